/**
 * ONNX export: a network (layer descriptions and weights) becomes a graph x -> [Flatten] -> (Gemm -> activation)* -> y, opset
 * 13, IR version 7, float32, with a symbolic batch dimension. Dense layers are Gemm nodes with W
 * stored as [in, out] (transB = 0; no C input without bias); Step, which has no ONNX operator,
 * is Cast(Greater(x, 0), FLOAT); a BatchNorm is BatchNormalization (inference form), a Dropout is Dropout (identity in inference).
 */
import { ConfigError, describe } from '../../errors.js';
import type { ActivationName } from '../../plan.js';
import { copyMetadata } from '../metadata.js';
import type { LayerConfig, NetworkOutput, NetworkRecord } from '../model-record.js';
import { AttributeType, DataType, encodeModel, type Attribute, type Node, type Tensor, type ValueInfo } from './schema.js';
import { float32Tensor } from './tensor.js';

import { EXPORT_IR_VERSION, EXPORT_OPSET } from './constants.js';

export { EXPORT_IR_VERSION, EXPORT_OPSET } from './constants.js';

/** Options of toONNX. */
export interface ONNXExportOptions {
  /** Name of the graph input (default 'x'). */
  inputName?: string;
  /** Name of the graph output (default 'y'). */
  outputName?: string;
  /**
   * What the graph outputs for a model trained on logits (softmax_ce, bce_logits, sigmoid_mse):
   * 'logits' (default: the network as it is) or 'probabilities' (a Softmax or Sigmoid node
   * appended). A model whose output already is probabilities (bce, categorical_ce) takes
   * 'probabilities' only; other models take neither. Recorded in the file's metadata_props.
   */
  output?: 'probabilities' | 'logits';
}

/** The metadata_props key saying what the graph outputs: 'logits', 'probabilities' or 'values'. */
export const ONNX_OUTPUT_KEY = 'wasmlp.output';
/** The metadata_props key naming the function that turns logits into probabilities: 'sigmoid' or 'softmax'. */
export const ONNX_LINK_KEY = 'wasmlp.probabilities';
/** The metadata_props key holding the model's metadata as JSON text. */
export const ONNX_METADATA_KEY = 'wasmlp.metadata';

/**
 * What the exported graph outputs, from what the network outputs and what was asked for, and
 * whether a Sigmoid / Softmax node must be appended. Throws ConfigError for a request the
 * network cannot serve.
 */
function resolveOutput(network: NetworkOutput | undefined, requested: unknown): { kind: string | null; link: 'sigmoid' | 'softmax' | null; append: boolean } {
  if (requested !== undefined && requested !== 'logits' && requested !== 'probabilities') {
    throw new ConfigError(`toONNX: output must be 'probabilities' or 'logits', got ${describe(requested)}`);
  }
  const has = network?.kind ?? 'unknown';
  if (network?.kind === 'logits') {
    if (requested === 'probabilities') return { kind: 'probabilities', link: null, append: true };
    return { kind: 'logits', link: network.link, append: false };
  }
  if (requested === undefined) return { kind: network?.kind ?? null, link: null, append: false };
  if (requested === 'probabilities' && has === 'probabilities') return { kind: 'probabilities', link: null, append: false };
  const why =
    has === 'probabilities'
      ? 'already outputs probabilities (its loss takes them)'
      : has === 'values'
        ? 'outputs plain values (its loss is a regression loss)'
        : 'is not compiled, so what its output means is unknown (compile it with its loss first)';
  throw new ConfigError(`toONNX: output '${requested}' needs a model trained on logits (softmax_ce, bce_logits, sigmoid_mse); this one ${why}`);
}

const SIMPLE_OPS: Partial<Record<ActivationName, string>> = { identity: 'Identity', sigmoid: 'Sigmoid', tanh: 'Tanh', relu: 'Relu', softmax: 'Softmax' };

function intAttr(name: string, i: number): Attribute {
  return { name, type: AttributeType.INT, i };
}

function floatAttr(name: string, f: number): Attribute {
  return { name, type: AttributeType.FLOAT, f };
}

function valueInfo(name: string, dims: (number | string)[] | null): ValueInfo {
  const shape = dims === null ? undefined : { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) };
  return { name, type: { tensorType: { elemType: DataType.FLOAT, shape } } };
}

/**
 * The ONNX bytes of a network whose layers chain (as a built model's do): weights rounded to
 * float32, each tensor's shape as recorded, what the output is (and the metadata) in
 * metadata_props; `options.output: 'probabilities'` appends the Sigmoid / Softmax of a logit
 * output. Reads the record, changes nothing; throws ConfigError for an output it cannot give. With a Flatten
 * layer the input's rank is left open ([batch, ...] with the trailing sizes multiplying to the
 * input size).
 */
export function recordToONNX(network: NetworkRecord & { output?: NetworkOutput }, options: ONNXExportOptions = {}): Uint8Array {
  const output = resolveOutput(network.output, options.output);
  const metadataProps: { key: string; value: string }[] = [];
  if (output.kind !== null) metadataProps.push({ key: ONNX_OUTPUT_KEY, value: output.kind });
  if (output.link !== null) metadataProps.push({ key: ONNX_LINK_KEY, value: output.link });
  if (network.metadata !== undefined && Object.keys(network.metadata).length > 0) {
    metadataProps.push({ key: ONNX_METADATA_KEY, value: JSON.stringify(copyMetadata(network.metadata, 'toONNX')) });
  }
  const inputName = options.inputName ?? 'x';
  const outputName = options.outputName ?? 'y';
  const params = network.weights;
  let inputSize = 0;
  let outputSize = 0;
  const nodes: Node[] = [];
  const initializers: Tensor[] = [];
  let current = inputName;
  let p = 0;
  let hasFlatten = false;
  const fresh = (base: string) => `${base}_${nodes.length}`;
  const add = (opType: string, inputs: string[], attribute: Attribute[] = []): void => {
    const out = fresh(opType.toLowerCase());
    nodes.push({ name: `${opType}_${nodes.length}`, opType, input: inputs, output: [out], attribute });
    current = out;
  };
  network.layers.forEach((layer, i) => {
    if (layer.className === 'Flatten') {
      hasFlatten = true;
      add('Flatten', [current], [intAttr('axis', 1)]);
    } else if (layer.className === 'Dense') {
      const { inputs: fanIn, units, useBias } = layer.config as { inputs: number; units: number; useBias: boolean };
      if (inputSize === 0) inputSize = fanIn;
      outputSize = units;
      const w = `dense${i}.weight`;
      initializers.push(float32Tensor(w, params[p].shape, params[p].values));
      p++;
      const inputs = [current, w];
      if (useBias) {
        const b = `dense${i}.bias`;
        initializers.push(float32Tensor(b, params[p].shape, params[p].values));
        p++;
        inputs.push(b);
      }
      add('Gemm', inputs, [floatAttr('alpha', 1), floatAttr('beta', 1), intAttr('transA', 0), intAttr('transB', 0)]);
    } else if (layer.className === 'Activation') {
      addActivation(layer, add, initializers, i, () => current);
    } else if (layer.className === 'BatchNorm') {
      const { eps, momentum } = layer.config as { eps: number; momentum: number };
      // Inference form: scale, B, input_mean, input_var are gamma, beta and the running estimates.
      const inputs = ['scale', 'bias', 'mean', 'var'].map((part) => {
        const name = `bn${i}.${part}`;
        initializers.push(float32Tensor(name, params[p].shape, params[p].values));
        p++;
        return name;
      });
      // ONNX's momentum weighs the running value: 1 - wasmlp's.
      add('BatchNormalization', [current, ...inputs], [floatAttr('epsilon', eps), floatAttr('momentum', 1 - momentum)]);
    } else if (layer.className === 'Dropout') {
      const ratio = `dropout${i}.ratio`;
      initializers.push(float32Tensor(ratio, [], [layer.config.rate as number]));
      add('Dropout', [current, ratio]);
    }
  });
  if (output.append) {
    const link = (network.output as { link: 'sigmoid' | 'softmax' }).link;
    if (link === 'softmax') add('Softmax', [current], [intAttr('axis', -1)]);
    else add('Sigmoid', [current]);
  }
  // Name the last value as the graph output; an Identity keeps the graph valid when there is no node to rename.
  if (nodes.length === 0) add('Identity', [current]);
  nodes[nodes.length - 1].output[0] = outputName;
  return encodeModel({
    irVersion: EXPORT_IR_VERSION,
    opsetImport: [{ domain: '', version: EXPORT_OPSET }],
    producerName: 'wasmlp',
    producerVersion: '0.1.0',
    graph: {
      name: 'wasmlp_sequential',
      node: nodes,
      initializer: initializers,
      input: [valueInfo(inputName, hasFlatten ? null : ['batch', inputSize])],
      output: [valueInfo(outputName, ['batch', outputSize])],
    },
    metadataProps,
  });
}

function addActivation(
  layer: LayerConfig,
  add: (op: string, inputs: string[], attrs?: Attribute[]) => void,
  initializers: Tensor[],
  index: number,
  current: () => string,
): void {
  const act = layer.config.activation as ActivationName;
  if (act === 'leaky_relu') add('LeakyRelu', [current()], [floatAttr('alpha', layer.config.alpha as number)]);
  else if (act === 'softmax') add('Softmax', [current()], [intAttr('axis', -1)]);
  else if (act === 'step') {
    const zero = `step${index}.zero`;
    initializers.push(float32Tensor(zero, [], [0]));
    add('Greater', [current(), zero]);
    add('Cast', [current()], [intAttr('to', DataType.FLOAT)]);
  } else add(SIMPLE_OPS[act]!, [current()]);
}
