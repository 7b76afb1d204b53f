/**
 * A plain float64 forward pass over a small grid that keeps every layer's output, for the
 * heatmap on each neuron (the model's own forward gives only the last layer).
 */
import { NEURON_GRID } from './protocol.js';
import type { HiddenActivation } from './state.js';

/** One Dense layer: W [rows=in][cols=out] row-major, b of length cols. */
export interface DenseWeights {
  W: Float32Array;
  b: Float32Array;
  rows: number;
  cols: number;
}

function activate(name: HiddenActivation, v: number): number {
  switch (name) {
    case 'relu': return v > 0 ? v : 0;
    case 'leaky_relu': return v > 0 ? v : 0.01 * v;
    case 'tanh': return Math.tanh(v);
    case 'sigmoid': return 1 / (1 + Math.exp(-v));
    case 'identity': return v;
  }
}

/**
 * Runs the NEURON_GRID² feature rows through the layers. Returns one array per column of the
 * diagram (inputs, each hidden layer, the softmax output), neuron-major: unit u's map is
 * values[u·P .. (u+1)·P) with P = NEURON_GRID².
 */
export function forwardAll(inputs: Float32Array, width: number, dense: DenseWeights[], activations: HiddenActivation[]): Float32Array[] {
  const P = NEURON_GRID * NEURON_GRID;
  let a: Float64Array = Float64Array.from(inputs);
  const columns: Float32Array[] = [transpose(a, P, width)];
  dense.forEach((d, li) => {
    const z = new Float64Array(P * d.cols);
    for (let p = 0; p < P; p++) {
      for (let j = 0; j < d.cols; j++) {
        let s = d.b[j];
        for (let i = 0; i < d.rows; i++) s += a[p * d.rows + i] * d.W[i * d.cols + j];
        z[p * d.cols + j] = s;
      }
    }
    if (li < activations.length) {
      for (let k = 0; k < z.length; k++) z[k] = activate(activations[li], z[k]);
    } else {
      softmaxRows(z, P, d.cols);
    }
    a = z;
    columns.push(transpose(a, P, d.cols));
  });
  return columns;
}

function softmaxRows(z: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, z[r * cols + j]);
    let s = 0;
    for (let j = 0; j < cols; j++) s += (z[r * cols + j] = Math.exp(z[r * cols + j] - m));
    for (let j = 0; j < cols; j++) z[r * cols + j] /= s;
  }
}

/** Point-major [P][units] to neuron-major [units][P], in f32 for transfer. */
function transpose(a: Float64Array, P: number, units: number): Float32Array {
  const out = new Float32Array(P * units);
  for (let p = 0; p < P; p++) for (let u = 0; u < units; u++) out[u * P + p] = a[p * units + u];
  return out;
}
