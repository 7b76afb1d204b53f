/**
 * TensorFlow.js layers-model export: `model.json` (format 'layers-model', a Keras-style Sequential
 * topology and a weights manifest) and `weights.bin` (float32, little-endian, in manifest order),
 * what `tf.loadLayersModel` reads and `tensorflowjs_converter --input_format=tfjs_layers_model
 * --output_format=keras` turns into a Keras file. Each Dense is a linear Dense followed by its
 * activation as an Activation layer (LeakyReLU as a LeakyReLU layer), so layers map one to one.
 */
import { ConfigError, describe } from '../../errors.js';
import { layerSizes } from '../layer-sizes.js';
import type { LayerConfig, NetworkRecord } from '../model-record.js';

/** The weight file model.json names. */
export const TFJS_WEIGHTS_FILE = 'weights.bin';
/** The Keras-side version string written into model.json. */
const KERAS_VERSION = 'tfjs-layers 4.22.0';

/** One weight's entry in the manifest. */
export interface TFJSWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

/** The parts of a tfjs layers model: what model.json holds and the weight bytes. */
export interface TFJSArtifacts {
  modelTopology: Record<string, unknown>;
  weightSpecs: TFJSWeightSpec[];
  weightData: Uint8Array;
}

const ACTIVATIONS: Record<string, string> = { relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax', identity: 'linear' };

/** The tfjs layer of one wasmlp layer, and the suffixes of its weights in record order. */
function tfjsLayer(layer: LayerConfig, i: number): { className: string; config: Record<string, unknown>; weights: string[] } {
  const c = layer.config as Record<string, number & string & boolean>;
  switch (layer.className) {
    case 'Dense':
      return {
        className: 'Dense',
        config: { name: `dense_${i}`, units: c.units, activation: 'linear', use_bias: c.useBias !== false },
        weights: c.useBias === false ? ['kernel'] : ['kernel', 'bias'],
      };
    case 'Flatten':
      return { className: 'Flatten', config: { name: `flatten_${i}` }, weights: [] };
    case 'Dropout':
      return { className: 'Dropout', config: { name: `dropout_${i}`, rate: c.rate }, weights: [] };
    case 'BatchNorm':
      return {
        className: 'BatchNormalization',
        config: { name: `batch_normalization_${i}`, axis: -1, momentum: 1 - c.momentum, epsilon: c.eps, center: true, scale: true },
        weights: ['gamma', 'beta', 'moving_mean', 'moving_variance'],
      };
    case 'Activation': {
      if (c.activation === 'leaky_relu') return { className: 'LeakyReLU', config: { name: `leaky_re_lu_${i}`, alpha: c.alpha }, weights: [] };
      const name = ACTIVATIONS[c.activation];
      if (name === undefined) throw new ConfigError(`toTFJS: layers[${i}]: activation ${describe(c.activation)} has no TensorFlow.js equivalent`);
      return { className: 'Activation', config: { name: `activation_${i}`, activation: name }, weights: [] };
    }
    default:
      throw new ConfigError(`toTFJS: layers[${i}]: layer class ${describe(layer.className)} has no TensorFlow.js equivalent`);
  }
}

/**
 * The tfjs artifacts of a network whose layers chain (a built model's): topology, weight specs
 * and float32 weight bytes. Throws ConfigError for a layer tfjs has no equivalent of (step).
 * Reads the record, changes nothing.
 */
export function recordToTFJS(network: NetworkRecord): TFJSArtifacts {
  const { inputSize } = layerSizes(network.layers);
  const layers: Record<string, unknown>[] = [];
  const weightSpecs: TFJSWeightSpec[] = [];
  const values: number[][] = [];
  let p = 0;
  network.layers.forEach((l, i) => {
    const t = tfjsLayer(l, i);
    const config: Record<string, unknown> = { ...t.config, trainable: true, dtype: 'float32' };
    if (i === 0) config.batch_input_shape = [null, inputSize];
    layers.push({ class_name: t.className, config });
    for (const suffix of t.weights) {
      const w = network.weights[p++];
      weightSpecs.push({ name: `${t.config.name as string}/${suffix}`, shape: w.shape.slice(), dtype: 'float32' });
      values.push(Array.from(w.values));
    }
  });
  const weightData = new Uint8Array(values.reduce((n, v) => n + v.length * 4, 0));
  const view = new DataView(weightData.buffer);
  let at = 0;
  for (const v of values)
    for (const x of v) {
      view.setFloat32(at, x, true);
      at += 4;
    }
  return {
    modelTopology: { class_name: 'Sequential', config: { name: 'sequential', layers }, keras_version: KERAS_VERSION, backend: 'tensor_flow.js' },
    weightSpecs,
    weightData,
  };
}

/** model.json's document for these artifacts, the weights in one file named `weightsPath`. */
export function tfjsModelJSON(artifacts: TFJSArtifacts, weightsPath = TFJS_WEIGHTS_FILE): Record<string, unknown> {
  return {
    format: 'layers-model',
    generatedBy: 'wasmlp',
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs }],
  };
}
