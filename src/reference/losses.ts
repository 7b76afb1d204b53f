/**
 * Losses in float64, each a { value, gradient } pair side by side, exactly as documented in
 * src/plan.ts and ../../shared/fixtures/README.md. y is the network output (probabilities or
 * logits, as the loss says), t the targets, both rows×cols; B = rows, K = cols.
 */
import { DEFAULT_HUBER_DELTA, type LossName } from '../plan.js';
import { softmaxRows } from './activations.js';

/** A loss: its batch value, and a new array dL/dy of the same shape as y (`delta`: huber's). Neither mutates its inputs. */
interface Loss {
  value(y: ArrayLike<number>, t: ArrayLike<number>, rows: number, cols: number, delta: number): number;
  gradient(y: ArrayLike<number>, t: ArrayLike<number>, rows: number, cols: number, delta: number): Float64Array;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Sum over all elements of f(y_i, t_i). */
function sumOf(y: ArrayLike<number>, t: ArrayLike<number>, n: number, f: (y: number, t: number) => number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += f(y[i], t[i]);
  return s;
}

/** A new array of f(y_i, t_i). */
function mapOf(y: ArrayLike<number>, t: ArrayLike<number>, n: number, f: (y: number, t: number) => number): Float64Array {
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) g[i] = f(y[i], t[i]);
  return g;
}

/** The log of each row's softmax, computed stably as z - max - log Σ exp(z - max). */
function logSoftmaxRows(z: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, z[o + j]);
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(z[o + j] - max);
    const logSum = Math.log(sum);
    for (let j = 0; j < cols; j++) out[o + j] = z[o + j] - max - logSum;
  }
  return out;
}

/** Categorical cross-entropy clamps probabilities at this floor before the log (as Keras). */
const CCE_EPS = 1e-7;

/** The losses by canonical name. */
export const LOSS_FUNCTIONS: Record<LossName, Loss> = {
  // 0.5 Σ (y-t)^2, no mean (seed 001).
  sse: {
    value: (y, t, B, K) => 0.5 * sumOf(y, t, B * K, (a, b) => (a - b) * (a - b)),
    gradient: (y, t, B, K) => mapOf(y, t, B * K, (a, b) => a - b),
  },
  // Mean over all B*K elements of (y-t)^2.
  mse: {
    value: (y, t, B, K) => sumOf(y, t, B * K, (a, b) => (a - b) * (a - b)) / (B * K),
    gradient: (y, t, B, K) => mapOf(y, t, B * K, (a, b) => (2 * (a - b)) / (B * K)),
  },
  // Binary cross-entropy on probabilities, logs clamped at -100 (PyTorch BCELoss).
  bce: {
    value: (p, t, B, K) => -sumOf(p, t, B * K, (a, b) => b * Math.max(Math.log(a), -100) + (1 - b) * Math.max(Math.log(1 - a), -100)) / (B * K),
    gradient: (p, t, B, K) => mapOf(p, t, B * K, (a, b) => (a - b) / Math.max(a * (1 - a), 1e-12) / (B * K)),
  },
  // BCE on logits z: max(z,0) - z t + log(1 + e^-|z|), which never overflows (BCEWithLogitsLoss).
  bce_logits: {
    value: (z, t, B, K) => sumOf(z, t, B * K, (a, b) => Math.max(a, 0) - a * b + Math.log1p(Math.exp(-Math.abs(a)))) / (B * K),
    gradient: (z, t, B, K) => mapOf(z, t, B * K, (a, b) => (sigmoid(a) - b) / (B * K)),
  },
  // Cross-entropy on logits, mean over the batch (CrossEntropyLoss).
  softmax_ce: {
    value: (z, t, B, K) => -sumOf(logSoftmaxRows(z, B, K), t, B * K, (l, b) => b * l) / B,
    gradient: (z, t, B, K) => softmaxTimesRowSumMinusT(softmaxRows(z, B, K), t, B, K),
  },
  // Cross-entropy on probabilities, clamped at 1e-7 (Keras categorical_crossentropy).
  // Unfused gradient only; after a softmax stage the engine uses fusedSoftmaxCrossEntropyGradient.
  categorical_ce: {
    value: (p, t, B, K) => -sumOf(p, t, B * K, (a, b) => b * Math.log(Math.max(a, CCE_EPS))) / B,
    gradient: (p, t, B, K) => mapOf(p, t, B * K, (a, b) => -b / (Math.max(a, CCE_EPS) * B)),
  },
  // Mean over B*K of (sigmoid(z) - t)^2, on logits z.
  sigmoid_mse: {
    value: (z, t, B, K) => sumOf(z, t, B * K, (a, b) => (sigmoid(a) - b) ** 2) / (B * K),
    gradient: (z, t, B, K) =>
      mapOf(z, t, B * K, (a, b) => {
        const s = sigmoid(a);
        return (2 * (s - b) * s * (1 - s)) / (B * K);
      }),
  },
  // Mean over B*K of |y-t| (L1Loss); the subgradient at y = t is 0.
  mae: {
    value: (y, t, B, K) => sumOf(y, t, B * K, (a, b) => Math.abs(a - b)) / (B * K),
    gradient: (y, t, B, K) => mapOf(y, t, B * K, (a, b) => Math.sign(a - b) / (B * K)),
  },
  // HuberLoss: quadratic within delta of the target, linear beyond.
  huber: {
    value: (y, t, B, K, delta) =>
      sumOf(y, t, B * K, (a, b) => {
        const d = Math.abs(a - b);
        return d <= delta ? 0.5 * d * d : delta * (d - 0.5 * delta);
      }) /
      (B * K),
    gradient: (y, t, B, K, delta) => mapOf(y, t, B * K, (a, b) => Math.max(-delta, Math.min(delta, a - b)) / (B * K)),
  },
};

/**
 * dL/dz of -Σ t log softmax(z), given p = softmax(z): (p·Σt - t)/B per row. Σt is 1 for one-hot
 * rows; keeping it makes soft or partial target rows follow the gradient of the loss reported
 * (an all-zero row: loss 0, gradient 0). A new array; mutates nothing.
 */
export function softmaxTimesRowSumMinusT(p: ArrayLike<number>, t: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const g = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let ts = 0;
    for (let j = 0; j < cols; j++) ts += t[o + j];
    for (let j = 0; j < cols; j++) g[o + j] = (p[o + j] * ts - t[o + j]) / rows;
  }
  return g;
}

/**
 * The loss value alone (evaluate's and the validation loss: the model layer reports in float64
 * with this). `delta` is huber's. Mutates nothing.
 */
export function lossValue(name: LossName, y: ArrayLike<number>, t: ArrayLike<number>, rows: number, cols: number, delta = DEFAULT_HUBER_DELTA): number {
  const loss = LOSS_FUNCTIONS[name];
  if (!loss) throw new Error(`reference: unknown loss '${name}'`);
  return loss.value(y, t, rows, cols, delta);
}
