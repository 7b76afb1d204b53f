/**
 * A Dense layer with its fused activation, forward and backward side by side, float64.
 * Shapes: x [rows × inSize], W [inSize × outSize] row-major, b [outSize]; y = act(x·W + b).
 */
import type { ActivationName } from '../plan.js';
import { activationForward } from './activations.js';
import { gemm } from './gemm.js';

/** New arrays z = x·W + b (b may be null) and a = act(z). Mutates nothing. */
export function denseForward(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  b: ArrayLike<number> | null,
  rows: number,
  inSize: number,
  outSize: number,
  act: ActivationName,
  alpha: number,
): { z: Float64Array; a: Float64Array } {
  const z = gemm('nn', x, w, rows, outSize, inSize);
  if (b) for (let r = 0; r < rows; r++) for (let j = 0; j < outSize; j++) z[r * outSize + j] += b[j];
  return { z, a: activationForward(act, alpha, z, rows, outSize) };
}

/**
 * New arrays dW = xᵀ·dz, db = column sums of dz, dx = dz·Wᵀ, from dz = dL/dz [rows × outSize].
 * Mutates nothing.
 */
export function denseBackward(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  dz: ArrayLike<number>,
  rows: number,
  inSize: number,
  outSize: number,
): { dw: Float64Array; db: Float64Array; dx: Float64Array } {
  const dw = gemm('tn', x, dz, inSize, outSize, rows);
  const db = new Float64Array(outSize);
  for (let r = 0; r < rows; r++) for (let j = 0; j < outSize; j++) db[j] += dz[r * outSize + j];
  const dx = gemm('nt', dz, w, rows, inSize, outSize);
  return { dw, db, dx };
}
