/**
 * TensorFlow.js layers-model import: a Sequential of Dense (with its activation), Activation,
 * ReLU / LeakyReLU / Softmax layers, Dropout, BatchNormalization, and InputLayer / Flatten where
 * they only state the input, read from model.json (or tfjs's save artifacts) and the weight bytes
 * into a network record. Anything else is refused naming the layer's class and name.
 */
import { ConfigError, ShapeError, ValueError, describe } from '../../errors.js';
import type { LayerConfig, NetworkRecord, TensorRecord } from '../model-record.js';
import { checkStrictJSON } from '../strict-json.js';

const ACTIVATIONS: Record<string, string | null> = { linear: null, relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax' };
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4 };

interface Spec {
  name: string;
  shape: number[];
  dtype: string;
}

/** The topology's layer list, from tfjs's or Keras's Sequential forms. */
function layerList(topology: unknown, where: string): { class_name: string; config: Record<string, unknown> }[] {
  let t = topology as Record<string, unknown>;
  if (typeof t === 'object' && t !== null && typeof t.model_config === 'object') t = t.model_config as Record<string, unknown>;
  if (typeof t !== 'object' || t === null) throw new ConfigError(`${where}: modelTopology must be an object, got ${describe(topology)}`);
  if (t.class_name !== 'Sequential')
    throw new ConfigError(`${where}: model class ${describe(t.class_name)} is not supported (only Sequential models are MLPs)`);
  const config = t.config as Record<string, unknown> | unknown[];
  const layers = Array.isArray(config) ? config : (config as Record<string, unknown>)?.layers;
  if (!Array.isArray(layers)) throw new ConfigError(`${where}: modelTopology.config.layers must be a list`);
  return layers.map((l, i) => {
    if (typeof l !== 'object' || l === null || typeof l.class_name !== 'string') throw new ConfigError(`${where}: layers[${i}] must be { class_name, config }`);
    return { class_name: l.class_name, config: (typeof l.config === 'object' && l.config !== null ? l.config : {}) as Record<string, unknown> };
  });
}

/** The weight specs of model.json's manifest or of save artifacts. */
function specList(doc: Record<string, unknown>, where: string): Spec[] {
  let specs: unknown = doc.weightSpecs;
  if (specs === undefined && Array.isArray(doc.weightsManifest))
    specs = (doc.weightsManifest as { weights?: unknown }[]).flatMap((g) => (Array.isArray(g?.weights) ? g.weights : [null]));
  if (!Array.isArray(specs)) throw new ConfigError(`${where}: no weightsManifest or weightSpecs`);
  return specs.map((s, i) => {
    if (
      typeof s !== 'object' ||
      s === null ||
      typeof s.name !== 'string' ||
      !Array.isArray(s.shape) ||
      s.shape.some((d: unknown) => !Number.isSafeInteger(d) || (d as number) < 0)
    ) {
      throw new ConfigError(`${where}: weight spec ${i} must be { name, shape, dtype }, got ${describe(s)}`);
    }
    if (s.quantization !== undefined) throw new ConfigError(`${where}: weight ${JSON.stringify(s.name)} is quantized; wasmlp reads float32 weights only`);
    const dtype = s.dtype ?? 'float32';
    if (dtype !== 'float32')
      throw new ConfigError(`${where}: weight ${JSON.stringify(s.name)} has dtype ${describe(dtype)}; wasmlp reads float32 weights only`);
    return { name: s.name, shape: s.shape.slice(), dtype };
  });
}

/** Splits the weight bytes by spec (concatenated in spec order); the bytes must match exactly. */
function weightValues(specs: Spec[], data: Uint8Array, where: string): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    if (at + n * DTYPE_BYTES[s.dtype] > data.length)
      throw new ValueError(`${where}: weight ${JSON.stringify(s.name)} runs past the ${data.length} bytes of weight data`);
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++, at += 4) v[i] = view.getFloat32(at, true);
    if (out.has(s.name)) throw new ConfigError(`${where}: weight name ${JSON.stringify(s.name)} is repeated`);
    out.set(s.name, v);
  }
  if (at !== data.length) throw new ValueError(`${where}: the manifest's weights take ${at} bytes but the weight data has ${data.length}`);
  return out;
}

/**
 * A network record from a tfjs layers model: `doc` is model.json (object or text, with
 * modelTopology and weightsManifest) or tfjs save artifacts ({ modelTopology, weightSpecs });
 * `weightData` the weight bytes (the manifest's files concatenated in order). Throws
 * ConfigError naming the class and name of a layer that is not part of an MLP, ShapeError for
 * weights of the wrong shape, ValueError for bytes that do not match the manifest.
 */
export function recordFromTFJS(doc: unknown, weightData: Uint8Array, where = 'fromTFJS'): NetworkRecord {
  if (typeof doc === 'string') {
    checkStrictJSON(doc, `${where}: model.json`);
    doc = JSON.parse(doc);
  }
  if (typeof doc !== 'object' || doc === null) throw new ConfigError(`${where}: model.json must be an object, got ${describe(doc)}`);
  const d = doc as Record<string, unknown>;
  if (d.format !== undefined && d.format !== 'layers-model')
    throw new ConfigError(`${where}: format ${describe(d.format)} is not a layers model (graph models are not supported)`);
  const values = weightValues(specList(d, where), weightData, where);
  const used = new Set<string>();
  const take = (layer: string, suffix: string, shape: number[]): TensorRecord => {
    const name = `${layer}/${suffix}`;
    const v = values.get(name);
    if (v === undefined) throw new ConfigError(`${where}: weight ${JSON.stringify(name)} is missing from the manifest`);
    const n = shape.reduce((a, b) => a * b, 1);
    if (v.length !== n) throw new ShapeError(`${where}: weight ${JSON.stringify(name)} has ${v.length} values, expected [${shape.join(', ')}]`);
    used.add(name);
    return { shape, values: v };
  };
  const layers: LayerConfig[] = [];
  const weights: TensorRecord[] = [];
  let width = 0;
  let flatten = false;
  const activation = (act: unknown, what: string): void => {
    const name = ACTIVATIONS[String(act ?? 'linear')];
    if (name === undefined)
      throw new ConfigError(`${where}: ${what}: activation ${describe(act)} is not supported (valid: ${Object.keys(ACTIVATIONS).join(', ')})`);
    if (name !== null) layers.push({ className: 'Activation', config: { activation: name } });
  };
  layerList(d.modelTopology, where).forEach(({ class_name: cls, config: c }, i) => {
    const what = `layer ${cls} ${JSON.stringify(c.name ?? `#${i}`)}`;
    const shape = (c.batch_input_shape ?? c.batchInputShape) as unknown;
    if (i === 0 || cls === 'InputLayer') {
      if (Array.isArray(shape) && shape.length >= 2 && shape.slice(1).every((s) => Number.isSafeInteger(s) && s > 0)) {
        width = shape.slice(1).reduce((a: number, b: number) => a * b, 1);
        flatten = shape.length > 2;
      }
    }
    const units = width;
    switch (cls) {
      case 'InputLayer':
        return;
      case 'Flatten':
        if (layers.length === 0 && flatten) layers.push({ className: 'Flatten', config: {} });
        flatten = false;
        return;
      case 'Dense': {
        const name = String(c.name);
        const out = c.units as number;
        if (!Number.isSafeInteger(out) || out < 1) throw new ConfigError(`${where}: ${what}: units must be a positive integer, got ${describe(c.units)}`);
        const kernel = values.get(`${name}/kernel`);
        const inputs = units > 0 ? units : kernel !== undefined ? kernel.length / out : 0;
        if (!Number.isSafeInteger(inputs) || inputs < 1) throw new ConfigError(`${where}: ${what}: the input width is unknown (no batch_input_shape)`);
        if (flatten) throw new ConfigError(`${where}: ${what}: its input has several dimensions; an MLP needs a Flatten first`);
        const useBias = c.use_bias !== false;
        layers.push({ className: 'Dense', config: { inputs, units: out, useBias } });
        weights.push(take(name, 'kernel', [inputs, out]));
        if (useBias) weights.push(take(name, 'bias', [out]));
        width = out;
        return activation(c.activation, what);
      }
      case 'Activation':
        return activation(c.activation, what);
      case 'ReLU':
        if ((c.max_value ?? null) !== null || (c.negative_slope ?? 0) !== 0 || (c.threshold ?? 0) !== 0)
          throw new ConfigError(`${where}: ${what}: only a plain ReLU (no max_value, negative_slope, threshold) is supported`);
        return activation('relu', what);
      case 'LeakyReLU': {
        const alpha = (c.alpha ?? 0.3) as number;
        layers.push({ className: 'Activation', config: { activation: 'leaky_relu', alpha } });
        return;
      }
      case 'Softmax':
        if (c.axis !== undefined && c.axis !== -1 && c.axis !== 1) throw new ConfigError(`${where}: ${what}: softmax must run over the features (axis -1)`);
        return activation('softmax', what);
      case 'Dropout':
        layers.push({ className: 'Dropout', config: { rate: c.rate } });
        return;
      case 'BatchNormalization': {
        const axis = Array.isArray(c.axis) ? c.axis[0] : (c.axis ?? -1);
        if (axis !== -1 && axis !== 1) throw new ConfigError(`${where}: ${what}: only axis -1 (the features) is supported, got ${describe(c.axis)}`);
        if (width < 1) throw new ConfigError(`${where}: ${what}: the input width is unknown (no batch_input_shape)`);
        const name = String(c.name);
        const ones = { shape: [width], values: new Float64Array(width).fill(1) };
        const zeros = { shape: [width], values: new Float64Array(width) };
        weights.push(c.scale === false ? ones : take(name, 'gamma', [width]), c.center === false ? zeros : take(name, 'beta', [width]));
        weights.push(take(name, 'moving_mean', [width]), take(name, 'moving_variance', [width]));
        layers.push({ className: 'BatchNorm', config: { features: width, momentum: 1 - ((c.momentum ?? 0.99) as number), eps: c.epsilon ?? 1e-3 } });
        return;
      }
      default:
        throw new ConfigError(
          `${where}: ${what} is not supported (an MLP has Dense, Activation, ReLU, LeakyReLU, Softmax, Dropout, BatchNormalization, InputLayer, Flatten)`,
        );
    }
  });
  for (const name of values.keys()) if (!used.has(name)) throw new ConfigError(`${where}: weight ${JSON.stringify(name)} belongs to no layer`);
  if (!layers.some((l) => l.className === 'Dense')) throw new ConfigError(`${where}: the model has no Dense layer`);
  return { layers, weights };
}
