/**
 * ONNX import: walks an MLP graph from its input to its output and turns each operator into
 * wasmlp layers. Supported: Gemm (transA = 0; transB, alpha, beta), MatMul followed by an Add of
 * a bias, Flatten (axis 1) or a Reshape to [-1, k] before the first Dense, Relu, Sigmoid, Tanh,
 * LeakyRelu, Softmax over the last axis, Identity, Step as Cast(Greater(x, 0)),
 * BatchNormalization (inference form, [batch, features]), Dropout, and Constant nodes. The network must be one chain; anything else is refused with the operator and node.
 */
import type { BackendName } from '../../engine-options.js';
import { ConfigError, ShapeError, ValueError, describe } from '../../errors.js';
import type { ActivationName } from '../../plan.js';
import type { LayerConfig, NetworkRecord } from '../model-record.js';
import { dataInput, graphConstants, nodeLabel, topologicalOrder } from './graph.js';
import { DataType, decodeModel, type Attribute, type Model, type Node } from './schema.js';
import { readTensor, type ConstTensor } from './tensor.js';
import { copyMetadata, type ModelMetadata } from '../metadata.js';
import { ONNX_LINK_KEY, ONNX_METADATA_KEY, ONNX_OUTPUT_KEY } from './export.js';
import { SUPPORTED_OPS } from './constants.js';

/** Options of fromONNX. */
export interface ONNXImportOptions {
  /** Backend of the new model (default 'wasm'). */
  backend?: BackendName;
  /** Seed of the model's shuffling (the weights come from the file). */
  seed?: number;
}

export { SUPPORTED_OPS } from './constants.js';

/** The description of a Dense layer [inputs -> units] (checked when the model is built). */
function dense(inputs: number, units: number, useBias: boolean): LayerConfig {
  return { className: 'Dense', config: { inputs, units, useBias } };
}

/** The description of an activation layer. */
function activation(name: ActivationName, alpha?: number): LayerConfig {
  return { className: 'Activation', config: alpha === undefined ? { activation: name } : { activation: name, alpha } };
}

const isDense = (l: LayerConfig): boolean => l.className === 'Dense';
const isFlatten = (l: LayerConfig): boolean => l.className === 'Flatten';

function attr(node: Node, name: string): Attribute | undefined {
  return node.attribute.find((a) => a.name === name);
}

function intAttr(node: Node, name: string, fallback: number): number {
  const a = attr(node, name);
  return a?.i ?? fallback;
}

function floatAttr(node: Node, name: string, fallback: number): number {
  const a = attr(node, name);
  return a?.f ?? fallback;
}

/** Decodes ONNX bytes; corrupt protobuf becomes a ValueError. */
function decode(bytes: Uint8Array): Model {
  if (!(bytes instanceof Uint8Array)) throw new ValueError(`fromONNX: expected the file's bytes as a Uint8Array, got ${describe(bytes)}`);
  if (bytes.length === 0) throw new ValueError('fromONNX: the file is empty (0 bytes)');
  try {
    return decodeModel(bytes);
  } catch (e) {
    const message = (e as Error).message;
    // protobuf's reader says "index out of range" when a field runs past the last byte.
    if (/index out of range/.test(message)) throw new ValueError(`fromONNX: truncated: a field runs past the end of the ${bytes.length} bytes (${message})`);
    throw new ValueError(`fromONNX: not a valid ONNX file (${message})`);
  }
}

/** The default-domain opset a model declares. Throws ConfigError when there is none. */
function opsetOf(model: Model): number {
  const entry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  if (entry?.version === undefined) throw new ConfigError('fromONNX: the model declares no opset for the default ONNX domain (truncated after its graph?)');
  return Number(entry.version);
}

/**
 * The shortest decimal that rounds to the same float32 as `v`: attributes are stored as float32,
 * so an exported 0.1 comes back as 0.10000000149..., and the intended 0.1 is what the layer
 * should say (both compute the same float32 slope).
 */
function shortestFloat32(v: number): number {
  const f = Math.fround(v);
  for (let digits = 1; digits < 17; digits++) {
    const d = Number(f.toPrecision(digits));
    if (Math.fround(d) === f) return d;
  }
  return f;
}

/** W [in, out] from a Gemm's B with transB, alpha applied. */
function gemmWeight(b: ConstTensor, transB: boolean, alpha: number, where: string): { inputs: number; units: number; w: Float64Array } {
  if (b.dims.length !== 2) throw new ShapeError(`${where}: weight B must be 2-D, has dims [${b.dims.join(', ')}]`);
  const [r, c] = b.dims;
  const [inputs, units] = transB ? [c, r] : [r, c];
  const w = new Float64Array(inputs * units);
  for (let i = 0; i < inputs; i++) {
    for (let j = 0; j < units; j++) w[i * units + j] = alpha * (transB ? b.values[j * c + i] : b.values[i * c + j]);
  }
  return { inputs, units, w };
}

/** A bias broadcast to [units] from dims [], [1], [units], [1, units] or [1, 1], scaled by beta. */
function biasOf(t: ConstTensor, units: number, beta: number, where: string): Float64Array {
  const count = t.values.length;
  const leading = t.dims.slice(0, -1).every((d) => d === 1);
  if (!leading || (count !== 1 && count !== units))
    throw new ShapeError(`${where}: bias of dims [${t.dims.join(', ')}] does not broadcast to [${units}] per row`);
  return Float64Array.from({ length: units }, (_, j) => beta * t.values[count === 1 ? 0 : j]);
}

/** Walks a decoded graph into layers and weights. Throws ConfigError / ShapeError naming the node. */
function walk(model: Model): { layers: LayerConfig[]; weights: Float64Array[] } {
  const graph = model.graph;
  if (!graph) throw new ConfigError('fromONNX: the file has no graph (truncated, or not an ONNX model)');
  const opset = opsetOf(model);
  const constants = graphConstants(graph);
  const input = dataInput(graph, constants);
  const elem = input.type?.tensorType?.elemType;
  if (elem !== undefined && elem !== DataType.FLOAT && elem !== DataType.DOUBLE)
    throw new ConfigError(`fromONNX: input ${describe(input.name)} has element type ${elem}; only float32 and float64 inputs are supported`);
  const inputDims = input.type?.tensorType?.shape?.dim;
  if ((graph.output ?? []).length !== 1) throw new ConfigError(`fromONNX: an MLP has exactly one output, this graph has ${(graph.output ?? []).length}`);

  const layers: LayerConfig[] = [];
  const weights: Float64Array[] = [];
  let data = input.name; // the one non-constant value flowing through the chain
  let rank = inputDims ? inputDims.length : 2; // rank of `data` (unknown input rank taken as 2)
  let matmul: { inputs: number; units: number } | null = null; // a MatMul's Dense still waiting for its Add
  let greater: string | null = null; // output of Greater(x, 0) waiting for its Cast
  const order = topologicalOrder(graph, new Set([input.name, ...constants.keys()]));
  const seenDense = () => layers.some(isDense);

  for (const { node, index } of order) {
    const where = `fromONNX: ${nodeLabel(node, index)}`;
    if (node.domain && node.domain !== 'ai.onnx') throw new ConfigError(`${where}: operator domain ${describe(node.domain)} is not supported`);
    const op = node.opType;
    if (op === 'Constant') {
      const value = attr(node, 'value');
      if (value?.t) constants.set(node.output[0], readTensor(value.t, where));
      else if (attr(node, 'value_float')) constants.set(node.output[0], { dims: [], values: Float64Array.of(floatAttr(node, 'value_float', 0)) });
      else if (attr(node, 'value_ints')) {
        const v = attr(node, 'value_ints')!.ints ?? [];
        constants.set(node.output[0], { dims: [v.length], values: Float64Array.from(v.map(Number)) });
      } else throw new ConfigError(`${where}: only tensor, value_float and value_ints constants are supported`);
      continue;
    }
    const dynamic = node.input.filter((n) => n !== '' && !constants.has(n));
    const expected = op === 'Cast' && greater !== null ? greater : data;
    if (dynamic.length !== 1 || dynamic[0] !== expected) {
      throw new ConfigError(
        `${where}: reads [${dynamic.join(', ')}] but only a single chain from the input is supported (expected it to read ${describe(expected)})`,
      );
    }
    const constant = (k: number, what: string): ConstTensor => {
      const t = constants.get(node.input[k] ?? '');
      if (!t) throw new ConfigError(`${where}: ${what} must be a constant (an initializer)`);
      return t;
    };
    if (op !== 'Add') matmul = null;
    if (greater !== null && op !== 'Cast') throw new ConfigError(`${where}: Greater must be followed by Cast (the Step pattern)`);
    switch (op) {
      case 'Gemm': {
        if (node.input[0] !== data) throw new ConfigError(`${where}: the data must be input A`);
        if (intAttr(node, 'transA', 0) !== 0) throw new ConfigError(`${where}: transA = 1 is not supported (it transposes the batch)`);
        const { inputs, units, w } = gemmWeight(constant(1, 'B'), intAttr(node, 'transB', 0) !== 0, floatAttr(node, 'alpha', 1), where);
        const hasC = (node.input[2] ?? '') !== '';
        layers.push(dense(inputs, units, hasC));
        weights.push(w);
        if (hasC) weights.push(biasOf(constant(2, 'C'), units, floatAttr(node, 'beta', 1), where));
        rank = 2;
        break;
      }
      case 'MatMul': {
        if (node.input[0] !== data) throw new ConfigError(`${where}: the data must be the first input`);
        if (rank !== 2) throw new ConfigError(`${where}: MatMul on a rank-${rank} input is not an MLP layer (Flatten first)`);
        const { inputs, units, w } = gemmWeight(constant(1, 'the weight'), false, 1, where);
        matmul = { inputs, units };
        layers.push(dense(inputs, units, false));
        weights.push(w);
        break;
      }
      case 'Add': {
        if (matmul === null) throw new ConfigError(`${where}: Add is only supported as the bias right after a MatMul`);
        const other = node.input.find((n) => n !== data) ?? '';
        const b = constants.get(other);
        if (!b) throw new ConfigError(`${where}: the bias must be a constant`);
        layers[layers.length - 1] = dense(matmul.inputs, matmul.units, true);
        weights.push(biasOf(b, matmul.units, 1, where));
        matmul = null;
        break;
      }
      case 'Flatten':
      case 'Reshape': {
        if (op === 'Flatten' && intAttr(node, 'axis', 1) !== 1) throw new ConfigError(`${where}: only axis = 1 is supported`);
        if (op === 'Reshape') {
          const s = constant(1, 'the shape').values;
          if (s.length !== 2 || (s[0] !== -1 && s[0] !== 0))
            throw new ConfigError(`${where}: only a reshape to [-1, k] (a flatten) is supported, got [${Array.from(s).join(', ')}]`);
        }
        if (seenDense()) {
          if (rank !== 2) throw new ConfigError(`${where}: a reshape after the first Dense is not supported`);
        } else if (!layers.some(isFlatten)) {
          layers.push({ className: 'Flatten', config: {} });
        }
        rank = 2;
        break;
      }
      case 'Relu':
        layers.push(activation('relu'));
        break;
      case 'Sigmoid':
        layers.push(activation('sigmoid'));
        break;
      case 'Tanh':
        layers.push(activation('tanh'));
        break;
      case 'Identity':
        layers.push(activation('identity'));
        break;
      case 'LeakyRelu':
        layers.push(activation('leaky_relu', shortestFloat32(floatAttr(node, 'alpha', 0.01))));
        break;
      case 'Softmax': {
        const axis = intAttr(node, 'axis', opset >= 13 ? -1 : 1);
        if (rank !== 2 || (axis !== -1 && axis !== 1))
          throw new ConfigError(`${where}: only a softmax over the features of [batch, features] is supported (axis ${axis}, rank ${rank})`);
        layers.push(activation('softmax'));
        break;
      }
      case 'Greater': {
        const k = constants.get(node.input[1]);
        if (node.input[0] !== data || !k || k.values.some((v) => v !== 0))
          throw new ConfigError(`${where}: only Greater(x, 0) (the Step pattern) is supported`);
        greater = node.output[0];
        continue; // `data` stays: the Cast completes the step
      }
      case 'Cast': {
        const to = intAttr(node, 'to', 0);
        if (greater === null || (to !== DataType.FLOAT && to !== DataType.DOUBLE))
          throw new ConfigError(`${where}: only Cast(Greater(x, 0), float) (the Step pattern) is supported`);
        greater = null;
        layers.push(activation('step'));
        break;
      }
      case 'BatchNormalization': {
        if (rank !== 2) throw new ConfigError(`${where}: only a BatchNormalization of [batch, features] is supported (rank ${rank})`);
        if (intAttr(node, 'training_mode', 0) !== 0) throw new ConfigError(`${where}: training_mode = 1 is not supported (only the inference form)`);
        const [scale, bias, mean, variance] = [1, 2, 3, 4].map((k) => constant(k, ['scale', 'B', 'input_mean', 'input_var'][k - 1]));
        const features = scale.values.length;
        for (const t of [bias, mean, variance]) {
          if (t.values.length !== features) throw new ShapeError(`${where}: scale has ${features} values but another input has ${t.values.length}`);
        }
        // ONNX's momentum weighs the running value (Keras's); wasmlp's, PyTorch's, the batch's.
        // (the attribute is float32: its shortest decimal, then 1 - it without float64's tail digits).
        const momentum = Number((1 - shortestFloat32(floatAttr(node, 'momentum', 0.9))).toPrecision(15));
        layers.push({ className: 'BatchNorm', config: { features, momentum, eps: shortestFloat32(floatAttr(node, 'epsilon', 1e-5)) } });
        weights.push(scale.values, bias.values, mean.values, variance.values);
        break;
      }
      case 'Dropout': {
        // The ratio: an input from opset 12 on, an attribute before; 0.5 when absent.
        const given = (node.input[1] ?? '') !== '' ? constant(1, 'the ratio').values[0] : floatAttr(node, 'ratio', 0.5);
        layers.push({ className: 'Dropout', config: { rate: shortestFloat32(given) } });
        break;
      }
      default:
        throw new ConfigError(`${where}: operator ${op} is not supported (supported: ${SUPPORTED_OPS.join(', ')})`);
    }
    data = node.output[0];
  }
  if (greater !== null) throw new ConfigError('fromONNX: the graph ends in Greater without its Cast');
  const output = graph.output[0].name;
  if (data !== output) throw new ConfigError(`fromONNX: the chain from the input ends at ${describe(data)}, but the graph output is ${describe(output)}`);
  checkInput(layers, inputDims, input.name);
  return { layers, weights };
}

/** Compares the declared input shape with the first Dense. */
function checkInput(layers: LayerConfig[], dims: { dimValue?: number; dimParam?: string }[] | undefined, name: string): void {
  const first = layers.find(isDense);
  if (!first) throw new ConfigError('fromONNX: the graph has no Gemm or MatMul layer');
  if (!dims || dims.length < 2) return;
  const flat = isFlatten(layers[0]);
  if (dims.length > 2 && !flat) throw new ConfigError(`fromONNX: input ${describe(name)} has rank ${dims.length} and no Flatten before the first layer`);
  const sizes = dims.slice(1).map((d) => d.dimValue);
  if (sizes.some((d) => d === undefined)) return;
  const size = (sizes as number[]).reduce((a, b) => a * b, 1);
  const inputs = first.config.inputs as number;
  if (size !== inputs) throw new ShapeError(`fromONNX: input ${describe(name)} has ${size} features but the first layer takes ${inputs}`);
}

/**
 * The network of ONNX bytes: layer descriptions and weights in Keras order (named W0, b0, ...
 * by the model when it is built). Throws ValueError for corrupt bytes, ConfigError / ShapeError
 * naming the operator and node for anything outside the supported set.
 */
export function recordFromONNX(bytes: Uint8Array): NetworkRecord {
  const model = decode(bytes);
  const { layers, weights } = walk(model);
  const metadata = metadataOf(model);
  let w = 0;
  const shapes: number[][] = [];
  for (const l of layers) {
    // A BatchNorm's gamma, beta, running mean and running variance: [features] each.
    if (l.className === 'BatchNorm') shapes.push(...Array.from({ length: 4 }, () => [l.config.features as number]));
    if (!isDense(l)) continue;
    const c = l.config as { inputs: number; units: number; useBias: boolean };
    shapes.push([c.inputs, c.units]);
    if (c.useBias) shapes.push([c.units]);
  }
  return { layers, weights: weights.map((values) => ({ shape: shapes[w++], values })), metadata };
}

/**
 * The model metadata of a wasmlp export (its metadata_props): the saved metadata, plus
 * `logits: 'sigmoid' | 'softmax'` when the graph outputs logits, so predictProba of the imported
 * model gives probabilities. Files from other exporters have none. Throws ValueError for
 * metadata that is not a JSON object.
 */
function metadataOf(model: Model): ModelMetadata {
  const props = new Map((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
  let metadata: ModelMetadata = {};
  const text = props.get(ONNX_METADATA_KEY);
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ValueError(`fromONNX: metadata_props ${ONNX_METADATA_KEY} is not valid JSON`);
    }
    metadata = copyMetadata(parsed, 'fromONNX');
  }
  const link = props.get(ONNX_LINK_KEY);
  if (props.get(ONNX_OUTPUT_KEY) === 'logits' && (link === 'sigmoid' || link === 'softmax')) metadata.logits = link;
  else delete metadata.logits;
  return metadata;
}
