/**
 * The reference engine's loss of a batch with row weights (fit's sampleWeight / classWeight),
 * built on losses.ts. Apart from it because the model layer reports its float64 losses with
 * losses.ts alone, so a page ships this only with the reference engine.
 */
import { DEFAULT_HUBER_DELTA, type LossName } from '../plan.js';
import { lossAndGradient } from './loss-gradient.js';

/**
 * The weighted loss of a batch as Keras reduces it by default ('sum_over_batch_size'):
 * (1/B) Σ_r w_r ℓ_r, ℓ_r row r's loss alone (its mean over the K outputs for the elementwise
 * losses), and its gradient, row r's gradient times w_r / B. sse, a sum by definition, is
 * Σ_r w_r ℓ_r with no 1/B. Computed row by row from lossAndGradient. Mutates nothing.
 */
export function weightedLossAndGradient(
  name: LossName,
  y: ArrayLike<number>,
  t: ArrayLike<number>,
  w: ArrayLike<number>,
  rows: number,
  cols: number,
  fusedSoftmax: boolean,
  delta = DEFAULT_HUBER_DELTA,
): { value: number; grad: Float64Array } {
  const yv = Float64Array.from(y),
    tv = Float64Array.from(t);
  const perBatch = name === 'sse' ? 1 : 1 / rows;
  const grad = new Float64Array(rows * cols);
  let value = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const one = lossAndGradient(name, yv.subarray(o, o + cols), tv.subarray(o, o + cols), 1, cols, fusedSoftmax, delta);
    const scale = w[r] * perBatch;
    value += scale * one.value;
    for (let j = 0; j < cols; j++) grad[o + j] = scale * one.grad[j];
  }
  return { value, grad };
}
