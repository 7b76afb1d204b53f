/**
 * How fit computes each compiled metric once per epoch from the model's predictions on the
 * training (and validation) rows: off the training step, and only the ones asked for.
 * Regression metrics read the raw outputs; classification metrics the class decisions of
 * classesOf (the loss says whether outputs are logits). Part of src/extras.ts: a fit whose
 * metrics are only accuracy (metrics.ts) never loads it; epoch.ts holds the names compile checks.
 */
import type { LossName } from '../../plan.js';
import type { Matrix } from '../input.js';
import { accuracy, classesOf } from '../metrics.js';
import { DEFAULT_TOP_K, TOP_K, type METRICS } from './epoch.js';
import { mae, mse, r2, rmse } from './regression.js';
import { f1, precision, recall, topKAccuracy } from './classification.js';

type MetricFn = (out: Matrix, targets: Matrix, loss: LossName) => number;

const rows = (m: Matrix): number[][] => Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
const truth = (t: Matrix) => classesOf(t, 'mse');
const binary =
  (fn: typeof precision): MetricFn =>
  (out, t, loss) =>
    fn(truth(t), classesOf(out, loss));
const macro =
  (fn: typeof precision): MetricFn =>
  (out, t, loss) =>
    fn(truth(t), classesOf(out, loss), { average: 'macro', classes: Math.max(2, out.cols) });
const topK =
  (k: number): MetricFn =>
  (out, t) =>
    topKAccuracy(truth(t), rows(out), k);

const FUNCTIONS: Record<(typeof METRICS)[number], MetricFn> = {
  accuracy,
  mae: (out, t) => mae(t.data, out.data),
  mse: (out, t) => mse(t.data, out.data),
  rmse: (out, t) => rmse(t.data, out.data),
  r2: (out, t) => r2(t.data, out.data),
  precision: binary(precision),
  recall: binary(recall),
  f1: binary(f1),
  precision_macro: macro(precision),
  recall_macro: macro(recall),
  f1_macro: macro(f1),
  top_k_accuracy: topK(DEFAULT_TOP_K),
};

/** The function of a metric name compile accepted (epoch.ts's checkMetric). */
function metricFunction(name: string): MetricFn {
  if (Object.hasOwn(FUNCTIONS, name)) return FUNCTIONS[name as keyof typeof FUNCTIONS];
  return topK(Number(TOP_K.exec(name)![1]));
}

/** Each named metric of outputs `out` against `targets` (same rows), in the order given. Pure. */
export function computeMetrics(names: readonly string[], out: Matrix, targets: Matrix, loss: LossName): number[] {
  return names.map((n) => metricFunction(n)(out, targets, loss));
}
