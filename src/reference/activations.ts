/**
 * Activation functions in float64, each a { forward, derivative } pair side by side (as
 * TensorFlow Playground's nn.ts), plus softmax, which acts on a whole row and so lives apart
 * with its Jacobian-vector product (activation-backward.ts, which runs the derivatives: only the
 * reference engine needs them, while the model layer's float64 probabilities need the forward
 * functions alone). Conventions: ../../shared/fixtures/README.md.
 */
import type { ActivationName } from '../plan.js';

/** An elementwise activation: a = forward(z), and da/dz given both z and a (whichever is cheaper). */
export interface Elementwise {
  forward(z: number, alpha: number): number;
  derivative(z: number, a: number, alpha: number): number;
}

/** The elementwise activations by name (softmax is not elementwise: see softmaxRows). Read only. */
export const ELEMENTWISE: Record<Exclude<ActivationName, 'softmax'>, Elementwise> = {
  identity: {
    forward: (z) => z,
    derivative: () => 1,
  },
  sigmoid: {
    forward: (z) => 1 / (1 + Math.exp(-z)),
    derivative: (_z, a) => a * (1 - a),
  },
  tanh: {
    forward: (z) => Math.tanh(z),
    derivative: (_z, a) => 1 - a * a,
  },
  relu: {
    forward: (z) => (z > 0 ? z : 0),
    derivative: (z) => (z > 0 ? 1 : 0), // 0 at z = 0, as PyTorch
  },
  leaky_relu: {
    forward: (z, alpha) => (z > 0 ? z : alpha * z),
    derivative: (z, _a, alpha) => (z > 0 ? 1 : alpha),
  },
  step: {
    forward: (z) => (z > 0 ? 1 : 0),
    // The true derivative is 0 almost everywhere (and undefined at 0): layers before a step get no gradient.
    derivative: () => 0,
  },
};

/** A new array: softmax of each row of z[rows×cols], shifting by the row max so exp cannot overflow. */
export function softmaxRows(z: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const a = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, z[o + j]);
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      a[o + j] = Math.exp(z[o + j] - max);
      sum += a[o + j];
    }
    for (let j = 0; j < cols; j++) a[o + j] /= sum;
  }
  return a;
}

/** A new array a = act(z) over rows×cols (softmax per row). Mutates nothing. */
export function activationForward(act: ActivationName, alpha: number, z: ArrayLike<number>, rows: number, cols: number): Float64Array {
  if (act === 'softmax') return softmaxRows(z, rows, cols);
  const f = ELEMENTWISE[act];
  const a = new Float64Array(rows * cols);
  for (let i = 0; i < a.length; i++) a[i] = f.forward(z[i], alpha);
  return a;
}
