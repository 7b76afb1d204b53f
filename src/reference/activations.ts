/**
 * Activation functions in float64, each a { forward, derivative } pair side by side (as
 * TensorFlow Playground's nn.ts), plus softmax, which acts on a whole row and so lives apart
 * with its Jacobian-vector product. Conventions: ../../shared/fixtures/README.md.
 */
import type { ActivationName } from '../plan.js';

/** An elementwise activation: a = forward(z), and da/dz given both z and a (whichever is cheaper). */
interface Elementwise {
  forward(z: number, alpha: number): number;
  derivative(z: number, a: number, alpha: number): number;
}

/** The elementwise activations by name (softmax is not elementwise: see softmaxRows). */
const ELEMENTWISE: Record<Exclude<ActivationName, 'softmax'>, Elementwise> = {
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

/**
 * A new array: dL/dz from g = dL/da through softmax, row by row. The Jacobian is
 * da_i/dz_j = a_i (δ_ij - a_j), so dz_i = a_i (g_i - Σ_j g_j a_j).
 */
function softmaxBackwardRows(a: ArrayLike<number>, g: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const dz = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += g[o + j] * a[o + j];
    for (let j = 0; j < cols; j++) dz[o + j] = a[o + j] * (g[o + j] - dot);
  }
  return dz;
}

/** A new array a = act(z) over rows×cols (softmax per row). Mutates nothing. */
export function activationForward(act: ActivationName, alpha: number, z: ArrayLike<number>, rows: number, cols: number): Float64Array {
  if (act === 'softmax') return softmaxRows(z, rows, cols);
  const f = ELEMENTWISE[act];
  const a = new Float64Array(rows * cols);
  for (let i = 0; i < a.length; i++) a[i] = f.forward(z[i], alpha);
  return a;
}

/** A new array dL/dz from the upstream g = dL/da, given z and a = act(z). Mutates nothing. */
export function activationBackward(
  act: ActivationName,
  alpha: number,
  z: ArrayLike<number>,
  a: ArrayLike<number>,
  g: ArrayLike<number>,
  rows: number,
  cols: number,
): Float64Array {
  if (act === 'softmax') return softmaxBackwardRows(a, g, rows, cols);
  const f = ELEMENTWISE[act];
  const dz = new Float64Array(rows * cols);
  for (let i = 0; i < dz.length; i++) dz[i] = g[i] * f.derivative(z[i], a[i], alpha);
  return dz;
}
