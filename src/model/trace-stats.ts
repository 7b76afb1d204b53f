/**
 * The diagnostics of a training-step trace (trace.ts): histograms of weights, activations and
 * gradients, the share of dead ReLU units and of saturated sigmoid / tanh values. Pure
 * functions of the arrays they are given; nothing is mutated.
 */
import type { ActivationName } from '../plan.js';

/** Bins of every trace histogram. */
export const HISTOGRAM_BINS = 16;

/**
 * A value is saturated when its activation's derivative is below this share of the largest it
 * can be (sigmoid: a(1-a) < 0.01 · 1/4; tanh: 1 - a² < 0.01): the unit passes on almost no gradient.
 */
export const SATURATION_SHARE = 0.01;

/** Counts of values in HISTOGRAM_BINS equal bins over [min, max] (the last bin includes max). */
export interface Histogram {
  min: number;
  max: number;
  counts: number[];
}

/** The histogram of `values` (min = max = 0 and all counts 0 for none; one value: everything in the first bin). */
export function histogram(values: ArrayLike<number>): Histogram {
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  if (values.length === 0) return { min: 0, max: 0, counts };
  let min = Infinity,
    max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  const width = (max - min) / HISTOGRAM_BINS;
  for (let i = 0; i < values.length; i++) {
    const bin = width > 0 ? Math.min(HISTOGRAM_BINS - 1, Math.floor((values[i] - min) / width)) : 0;
    counts[bin]++;
  }
  return { min, max, counts };
}

/**
 * The share of the `width` units of a ReLU stage that are dead on this batch: z ≤ 0 on every
 * row, so the unit outputs 0 and passes no gradient back. z is rows × width, row-major.
 */
export function deadShare(z: ArrayLike<number>, rows: number, width: number): number {
  let dead = 0;
  for (let j = 0; j < width; j++) {
    let alive = false;
    for (let r = 0; r < rows && !alive; r++) alive = z[r * width + j] > 0;
    if (!alive) dead++;
  }
  return width === 0 ? 0 : dead / width;
}

/** The share of the values a = act(z) of a sigmoid or tanh stage that are saturated (see SATURATION_SHARE). */
export function saturatedShare(activation: 'sigmoid' | 'tanh', a: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    const slope = activation === 'sigmoid' ? 4 * v * (1 - v) : 1 - v * v;
    if (slope < SATURATION_SHARE) n++;
  }
  return a.length === 0 ? 0 : n / a.length;
}

/** True for the activations whose saturation the trace reports. */
export function saturates(activation: ActivationName): activation is 'sigmoid' | 'tanh' {
  return activation === 'sigmoid' || activation === 'tanh';
}

/** The 2-norm of all values of the arrays together. */
export function norm(arrays: readonly ArrayLike<number>[]): number {
  let s = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}
