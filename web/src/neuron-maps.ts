/**
 * Every neuron's heatmap for the network view: the model's own per-layer outputs
 * (`model.layerOutputs`) over the NEURON_GRID² feature rows, regrouped neuron by neuron.
 */
import { Activation, Dense, type Sequential } from 'wasmlp';
import { NEURON_GRID } from './protocol.js';

/**
 * One array per column of the diagram — the inputs, each hidden layer (its activation's output,
 * or the Dense's own where no activation follows), the output probabilities (predictProba, as
 * the decision grid) — neuron-major: unit u's map is values[u·P .. (u+1)·P) with P = NEURON_GRID².
 * `features` holds P rows of `width` values. Changes nothing in the model.
 */
export function neuronMaps(model: Sequential, features: Float32Array, width: number): Float32Array[] {
  const P = NEURON_GRID * NEURON_GRID;
  const x = { data: features, shape: [P, width] };
  const outputs = model.layerOutputs(x);
  const columns: Float32Array[] = [transpose(features, P, width)];
  const layers = model.layers;
  const denses = layers.flatMap((l, i) => (l instanceof Dense ? [i] : []));
  for (const i of denses.slice(0, -1)) {
    const o = outputs[layers[i + 1] instanceof Activation ? i + 1 : i];
    columns.push(transpose(o.data, P, o.shape[1]));
  }
  const proba = model.predictProba(x);
  columns.push(transpose(Float64Array.from(proba.flat()), P, proba[0]?.length ?? 0));
  return columns;
}

/** Point-major [P][units] to neuron-major [units][P], in f32 for transfer. */
function transpose(a: ArrayLike<number>, P: number, units: number): Float32Array {
  const out = new Float32Array(P * units);
  for (let p = 0; p < P; p++) for (let u = 0; u < units; u++) out[u * P + p] = a[p * units + u];
  return out;
}
