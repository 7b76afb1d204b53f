/**
 * The range a hyper-parameter must lie in to mean the same on both backends. The core computes
 * in f32: a learning rate of 1e-50 rounds to 0 there (training silently does nothing) and 1e39
 * to Infinity (the first step fails), while the float64 reference would take both. compile
 * refuses such values once, here, whichever backend runs the model.
 */
import { ValueError, describe } from '../errors.js';
import { MAX_MAGNITUDE } from './input.js';

/** float32's smallest normal magnitude, 2^-126: below it f32 loses precision, then rounds to 0. */
export const MIN_NORMAL_F32 = 2 ** -126;

/**
 * Throws ValueError naming `what` when the finite number `v` is neither 0 nor of a magnitude in
 * [MIN_NORMAL_F32, MAX_MAGNITUDE]. Returns `v`; mutates nothing.
 */
export function checkFloat32Range(v: number, what: string): number {
  const a = Math.abs(v);
  if (a !== 0 && !(a >= MIN_NORMAL_F32 && a <= MAX_MAGNITUDE)) {
    throw new ValueError(
      `${what} is ${describe(v)}, outside float32's range (0, or a magnitude in [${MIN_NORMAL_F32}, ${MAX_MAGNITUDE}]): the f32 core would compute with ${Math.fround(v)}`,
    );
  }
  return v;
}
