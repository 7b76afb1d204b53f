/**
 * The metrics compile() accepts by name, and what fit checks of them before training. How each
 * is computed is epoch-values.ts, loaded with src/extras.ts only by a fit that needs more than
 * accuracy, so a page that trains with accuracy alone does not ship the metric functions.
 */
import { ConfigError } from '../../errors.js';

/** The metric names compile accepts, besides `top<k>_accuracy` for any k >= 1. */
export const METRICS = [
  'accuracy',
  'mae',
  'mse',
  'rmse',
  'r2',
  'precision',
  'recall',
  'f1',
  'precision_macro',
  'recall_macro',
  'f1_macro',
  'top_k_accuracy',
] as const;

/** top_k_accuracy's k unless the name gives one (Keras's top_k_categorical_accuracy default). */
export const DEFAULT_TOP_K = 5;
/** `top<k>_accuracy`: the metric name that gives its own k. */
export const TOP_K = /^top(\d+)_accuracy$/;

/** Whether compile accepts metric `name`: one of METRICS or `top<k>_accuracy` with k >= 1. */
function isMetric(name: string): boolean {
  if ((METRICS as readonly string[]).includes(name)) return true;
  const m = TOP_K.exec(name);
  return m !== null && Number(m[1]) >= 1;
}

/** Throws ConfigError naming the valid metrics unless `name` is one. */
export function checkMetric(name: unknown, where = 'compile'): void {
  if (typeof name !== 'string' || !isMetric(name)) {
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
