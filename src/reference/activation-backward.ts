/**
 * Backpropagation through an activation in float64: the derivative of each { forward, derivative }
 * pair (activations.ts) applied elementwise, and softmax's Jacobian-vector product. Apart from
 * activations.ts so that a page without the reference engine does not ship them.
 */
import type { ActivationName } from '../plan.js';
import { ELEMENTWISE } from './activations.js';

/**
 * A new array: dL/dz from g = dL/da through softmax, row by row. The Jacobian is
 * da_i/dz_j = a_i (δ_ij - a_j), so dz_i = a_i (g_i - Σ_j g_j a_j).
 */
function softmaxBackwardRows(a: ArrayLike<number>, g: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const dz = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += g[o + j] * a[o + j];
    for (let j = 0; j < cols; j++) dz[o + j] = a[o + j] * (g[o + j] - dot);
  }
  return dz;
}

/** A new array dL/dz from the upstream g = dL/da, given z and a = act(z). Mutates nothing. */
export function activationBackward(
  act: ActivationName,
  alpha: number,
  z: ArrayLike<number>,
  a: ArrayLike<number>,
  g: ArrayLike<number>,
  rows: number,
  cols: number,
): Float64Array {
  if (act === 'softmax') return softmaxBackwardRows(a, g, rows, cols);
  const f = ELEMENTWISE[act];
  const dz = new Float64Array(rows * cols);
  for (let i = 0; i < dz.length; i++) dz[i] = g[i] * f.derivative(z[i], a[i], alpha);
  return dz;
}
