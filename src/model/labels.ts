/**
 * Turning targets into a rows × outputs float64 matrix: one-hot rows or raw targets pass through;
 * a flat list of class indices becomes one-hot rows when the model has several outputs.
 */
import { ShapeError, ValueError, describe } from '../errors.js';
import type { LossName } from '../plan.js';
import { isTensorLike, toMatrix, type Matrix, type TensorLike } from './input.js';

/** Targets: rows of values (one-hot for classes), class indices, or a flat array with a shape. */
export type Labels = readonly (readonly number[])[] | readonly number[] | Int32Array | Uint8Array | Uint16Array | Float32Array | Float64Array | TensorLike;

/** Losses whose targets are class probabilities (one-hot rows or class indices). */
const CLASS_LOSSES: readonly LossName[] = ['softmax_ce', 'categorical_ce'];
/** Losses whose targets must lie in [0, 1]. */
const PROBABILITY_LOSSES: readonly LossName[] = ['bce', 'bce_logits', 'sigmoid_mse', ...CLASS_LOSSES];

/**
 * Converts `y` to a rows × outputs matrix for `loss`, checking the row count against `rows`,
 * that class indices are integers in [0, outputs), and that probability targets lie in [0, 1].
 */
export function toTargets(y: unknown, outputs: number, rows: number, loss: LossName): Matrix {
  const flat = flatLabels(y);
  let m: Matrix;
  if (flat && outputs > 1) {
    m = oneHot(flat, outputs);
  } else if (flat) {
    m = toMatrix({ data: flat, shape: [flat.length, 1] }, 1, 'y');
  } else {
    m = toMatrix(y, outputs, 'y');
  }
  if (m.rows !== rows) throw new ShapeError(`x has ${rows} rows but y has ${m.rows}`);
  if (PROBABILITY_LOSSES.includes(loss)) {
    for (let i = 0; i < m.data.length; i++) {
      const v = m.data[i];
      if (v < 0 || v > 1) throw new ValueError(`y: row ${Math.floor(i / outputs)} has target ${v}; loss '${loss}' needs targets in [0, 1]`);
    }
  }
  return m;
}

/** The values of y when it is one-dimensional (a list of numbers or indices), else null. */
function flatLabels(y: unknown): ArrayLike<number> | null {
  if (isTensorLike(y)) {
    if (!Array.isArray(y.shape) || y.shape.length !== 1) return null;
    const n = y.shape[0];
    const length = (y.data as ArrayLike<number> | null)?.length;
    if (n !== length) throw new ShapeError(`y: shape [${describe(n)}] needs ${describe(n)} labels but data has ${describe(length)}`);
    return y.data;
  }
  if (ArrayBuffer.isView(y) && !(y instanceof DataView)) return y as unknown as ArrayLike<number>;
  if (Array.isArray(y) && (y.length === 0 || !Array.isArray(y[0]))) return y;
  if (!Array.isArray(y)) throw new ValueError(`y must be an array of rows, a list of labels or { data, shape }, got ${describe(y)}`);
  return null;
}

/** One-hot rows for class indices; throws ValueError for a non-integer or out-of-range label. */
function oneHot(labels: ArrayLike<number>, classes: number): Matrix {
  const data = new Float64Array(labels.length * classes);
  for (let r = 0; r < labels.length; r++) {
    const c = labels[r];
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= classes) {
      throw new ValueError(`y: label ${describe(c)} at row ${r} is not a class index in [0, ${classes - 1}]`);
    }
    data[r * classes + c] = 1;
  }
  return { data, rows: labels.length, cols: classes };
}
