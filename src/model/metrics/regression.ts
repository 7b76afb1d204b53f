/**
 * Regression metrics over whole arrays of predictions and targets, in float64: mean absolute
 * error, mean squared error, its root, and the coefficient of determination. Pure functions.
 */
import { ShapeError } from '../../errors.js';

/** Values as a flat list: rows of numbers, a flat list or a typed array. */
export type Values = ArrayLike<number> | readonly (readonly number[])[];

function flat(v: Values, what: string): ArrayLike<number> {
  if (Array.isArray(v) && v.length > 0 && Array.isArray(v[0])) return (v as number[][]).flat();
  if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<number>).length !== 'number') throw new ShapeError(`${what}: expected an array of numbers`);
  return v as ArrayLike<number>;
}

/** Both sides flattened, checked to be of one non-zero length. */
function pair(yTrue: Values, yPred: Values, what: string): [ArrayLike<number>, ArrayLike<number>] {
  const t = flat(yTrue, what),
    p = flat(yPred, what);
  if (t.length !== p.length) throw new ShapeError(`${what}: yTrue has ${t.length} values, yPred ${p.length}`);
  if (t.length === 0) throw new ShapeError(`${what}: no values`);
  return [t, p];
}

/** Mean of |yPred - yTrue| over every value. */
export function mae(yTrue: Values, yPred: Values): number {
  const [t, p] = pair(yTrue, yPred, 'mae');
  let s = 0;
  for (let i = 0; i < t.length; i++) s += Math.abs(p[i] - t[i]);
  return s / t.length;
}

/** Mean of (yPred - yTrue)² over every value. */
export function mse(yTrue: Values, yPred: Values): number {
  const [t, p] = pair(yTrue, yPred, 'mse');
  let s = 0;
  for (let i = 0; i < t.length; i++) s += (p[i] - t[i]) ** 2;
  return s / t.length;
}

/** The square root of mse. */
export function rmse(yTrue: Values, yPred: Values): number {
  return Math.sqrt(mse(yTrue, yPred));
}

/**
 * R² = 1 - Σ(t - p)² / Σ(t - mean t)² over every value (scikit-learn's r2_score of flattened
 * values): 1 for a perfect fit, 0 for predicting the mean. Constant targets give 1 when the
 * fit is perfect, else 0 (as scikit-learn's force_finite).
 */
export function r2(yTrue: Values, yPred: Values): number {
  const [t, p] = pair(yTrue, yPred, 'r2');
  let mean = 0;
  for (let i = 0; i < t.length; i++) mean += t[i];
  mean /= t.length;
  let res = 0,
    tot = 0;
  for (let i = 0; i < t.length; i++) {
    res += (t[i] - p[i]) ** 2;
    tot += (t[i] - mean) ** 2;
  }
  if (tot === 0) return res === 0 ? 1 : 0;
  return 1 - res / tot;
}
