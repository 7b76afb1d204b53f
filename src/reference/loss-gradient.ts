/**
 * The loss value with its gradient, as the reference engine's step needs them: each loss's
 * { value, gradient } pair (losses.ts), or with `fusedSoftmax` the gradient taken through the
 * softmax before categorical_ce. Apart from losses.ts so that a page which only reports losses
 * (evaluate) does not ship it.
 */
import { DEFAULT_HUBER_DELTA, type LossName } from '../plan.js';
import { LOSS_FUNCTIONS, softmaxTimesRowSumMinusT } from './losses.js';

/**
 * dL/dz for categorical_ce taken through the softmax that produced p: (p·Σt - t)/B. The softmax
 * Jacobian and the 1/p of the log cancel, so this skips both (and the clamp).
 */
function fusedSoftmaxCrossEntropyGradient(p: ArrayLike<number>, t: ArrayLike<number>, rows: number, cols: number): Float64Array {
  return softmaxTimesRowSumMinusT(p, t, rows, cols);
}

/**
 * The loss value and a new gradient array. With `fusedSoftmax` (categorical_ce after a softmax
 * stage) the gradient is with respect to the logits. `delta` is huber's. Mutates nothing.
 */
export function lossAndGradient(
  name: LossName,
  y: ArrayLike<number>,
  t: ArrayLike<number>,
  rows: number,
  cols: number,
  fusedSoftmax: boolean,
  delta = DEFAULT_HUBER_DELTA,
): { value: number; grad: Float64Array } {
  const loss = LOSS_FUNCTIONS[name];
  if (!loss) throw new Error(`reference: unknown loss '${name}'`);
  if (fusedSoftmax && name !== 'categorical_ce') throw new Error(`reference: only categorical_ce fuses with softmax, not '${name}'`);
  const value = loss.value(y, t, rows, cols, delta);
  const grad = fusedSoftmax ? fusedSoftmaxCrossEntropyGradient(y, t, rows, cols) : loss.gradient(y, t, rows, cols, delta);
  return { value, grad };
}
