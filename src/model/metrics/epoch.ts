/**
 * The metrics compile() accepts by name and how fit computes each once per epoch from the
 * model's predictions on the training (and validation) rows: off the training step, and only
 * the ones asked for. Regression metrics read the raw outputs; classification metrics the
 * class decisions of classesOf (the loss says whether outputs are logits).
 */
import { ConfigError } from '../../errors.js';
import type { LossName } from '../../plan.js';
import type { Matrix } from '../input.js';
import { accuracy, classesOf } from '../metrics.js';
import { mae, mse, r2, rmse } from './regression.js';
import { f1, precision, recall, topKAccuracy } from './classification.js';

/** The metric names compile accepts, besides `top<k>_accuracy` for any k >= 1. */
export const METRICS = [
  'accuracy', 'mae', 'mse', 'rmse', 'r2', 'precision', 'recall', 'f1', 'precision_macro', 'recall_macro', 'f1_macro', 'top_k_accuracy',
] as const;

/** top_k_accuracy's k unless the name gives one (Keras's top_k_categorical_accuracy default). */
const DEFAULT_TOP_K = 5;
const TOP_K = /^top(\d+)_accuracy$/;

type MetricFn = (out: Matrix, targets: Matrix, loss: LossName) => number;

const rows = (m: Matrix): number[][] => Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
const truth = (t: Matrix) => classesOf(t, 'mse');
const binary = (fn: typeof precision): MetricFn => (out, t, loss) => fn(truth(t), classesOf(out, loss));
const macro = (fn: typeof precision): MetricFn => (out, t, loss) => fn(truth(t), classesOf(out, loss), { average: 'macro', classes: Math.max(2, out.cols) });
const topK = (k: number): MetricFn => (out, t) => topKAccuracy(truth(t), rows(out), k);

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

/** The function of a metric name, or undefined for an unknown one. */
function metricFunction(name: string): MetricFn | undefined {
  if (Object.hasOwn(FUNCTIONS, name)) return FUNCTIONS[name as keyof typeof FUNCTIONS];
  const m = TOP_K.exec(name);
  return m && Number(m[1]) >= 1 ? topK(Number(m[1])) : undefined;
}

/** Throws ConfigError naming the valid metrics unless `name` is one. */
export function checkMetric(name: unknown, where = 'compile'): void {
  if (typeof name !== 'string' || metricFunction(name) === undefined) {
    throw new ConfigError(`${where}: unknown metric ${JSON.stringify(name)} (valid: ${METRICS.join(', ')}, top<k>_accuracy)`);
  }
}

/**
 * Throws ConfigError when a metric cannot work on `outputs` outputs: binary precision / recall /
 * F1 need one output or two classes (the positive class is 1). Call before training starts.
 */
export function checkMetricsFit(names: readonly string[], outputs: number): void {
  for (const n of names) {
    if ((n === 'precision' || n === 'recall' || n === 'f1') && outputs > 2) {
      throw new ConfigError(`fit: metric '${n}' is binary (class 1 against the rest) but the model has ${outputs} classes; use '${n}_macro'`);
    }
  }
}

/** Each named metric of outputs `out` against `targets` (same rows), in the order given. Pure. */
export function computeMetrics(names: readonly string[], out: Matrix, targets: Matrix, loss: LossName): number[] {
  return names.map((n) => metricFunction(n)!(out, targets, loss));
}
