/**
 * Accuracy and class decisions from network outputs, and the loss of a whole output matrix
 * (computed in float64 by the reference loss functions, whatever the backend).
 */
import type { LossName, Plan } from '../plan.js';
import { float64Ops } from '../backends.js';
import type { Matrix } from './input.js';

/** Losses whose network output is a logit (the decision threshold of one output is 0, not 0.5). */
function outputIsLogit(loss: LossName): boolean {
  return loss === 'bce_logits' || loss === 'sigmoid_mse' || loss === 'softmax_ce';
}

/** Predicted class per row: argmax for several outputs, output > threshold for one. */
export function classesOf(out: Matrix, loss: LossName): number[] {
  const classes: number[] = [];
  const threshold = outputIsLogit(loss) ? 0 : 0.5;
  for (let r = 0; r < out.rows; r++) classes.push(argmaxRow(out, r, threshold));
  return classes;
}

function argmaxRow(m: Matrix, r: number, threshold: number): number {
  if (m.cols === 1) return m.data[r] > threshold ? 1 : 0;
  let best = 0;
  for (let c = 1; c < m.cols; c++) if (m.data[r * m.cols + c] > m.data[r * m.cols + best]) best = c;
  return best;
}

/** Fraction of rows whose predicted class equals the target's (targets: one-hot rows or a 0/1 column). */
export function accuracy(out: Matrix, targets: Matrix, loss: LossName): number {
  if (out.rows === 0) return NaN;
  let hits = 0;
  for (let r = 0; r < out.rows; r++) {
    if (argmaxRow(out, r, outputIsLogit(loss) ? 0 : 0.5) === argmaxRow(targets, r, 0.5)) hits++;
  }
  return hits / out.rows;
}

/** Mean absolute error over every output of every row (a metric, in float64). */
export function meanAbsoluteError(out: Matrix, targets: Matrix): number {
  let sum = 0;
  for (let i = 0; i < out.data.length; i++) sum += Math.abs(out.data[i] - targets.data[i]);
  return sum / out.data.length;
}

/** Mean squared error over every output of every row (a metric, in float64). */
export function meanSquaredError(out: Matrix, targets: Matrix): number {
  let sum = 0;
  for (let i = 0; i < out.data.length; i++) sum += (out.data[i] - targets.data[i]) ** 2;
  return sum / out.data.length;
}

/** The error metrics fit and evaluate report by name, besides accuracy. */
export const ERROR_METRICS: Readonly<Record<string, (out: Matrix, targets: Matrix) => number>> = { mae: meanAbsoluteError, mse: meanSquaredError };

/** The plan's loss over a whole output matrix, in float64. */
export function lossOf(plan: Plan, out: Matrix, targets: Matrix): number {
  return float64Ops.lossValue(plan.loss, out.data, targets.data, out.rows, out.cols, plan.huberDelta);
}

/** Probabilities from outputs: sigmoid or softmax applied when the loss takes logits; else a copy. */
export function probabilities(out: Matrix, loss: LossName): Matrix {
  if (loss === 'softmax_ce') return { ...out, data: float64Ops.activationForward('softmax', 0, out.data, out.rows, out.cols) };
  if (loss === 'bce_logits' || loss === 'sigmoid_mse') return { ...out, data: float64Ops.activationForward('sigmoid', 0, out.data, out.rows, out.cols) };
  return { ...out, data: out.data.slice() };
}

/** What evaluate reports: the compiled loss (float64), accuracy, and mae / mse when compiled as metrics. Pure. */
export interface Evaluation {
  loss: number;
  accuracy: number;
  mae?: number;
  mse?: number;
}

/** evaluate's report of outputs `out` against `targets` (same rows) for a model compiled with `plan` and `metricNames`. Pure. */
export function evaluation(plan: Plan, out: Matrix, targets: Matrix, metricNames: readonly string[]): Evaluation {
  const result: Evaluation = { loss: lossOf(plan, out, targets), accuracy: accuracy(out, targets, plan.loss) };
  for (const m of metricNames) if (m === 'mae' || m === 'mse') result[m] = ERROR_METRICS[m](out, targets);
  return result;
}
