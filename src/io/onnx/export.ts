/**
 * ONNX export: a network (layer descriptions and weights) becomes a graph x -> [Flatten] -> (Gemm -> activation)* -> y, opset
 * 13, IR version 7, float32, with a symbolic batch dimension. Dense layers are Gemm nodes with W
 * stored as [in, out] (transB = 0; no C input without bias); Step, which has no ONNX operator,
 * is Cast(Greater(x, 0), FLOAT); a BatchNorm is BatchNormalization (inference form), a Dropout is Dropout (identity in inference).
 */
import type { ActivationName } from '../../plan.js';
import type { LayerConfig, NetworkRecord } from '../model-record.js';
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
 * float32, each tensor's shape as recorded. Reads the record, changes nothing. With a Flatten
 * layer the input's rank is left open ([batch, ...] with the trailing sizes multiplying to the
 * input size).
 */
export function recordToONNX(network: NetworkRecord, options: ONNXExportOptions = {}): Uint8Array {
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
  if (act === 'leaky_relu') return add('LeakyRelu', [current()], [floatAttr('alpha', layer.config.alpha as number)]);
  if (act === 'softmax') return add('Softmax', [current()], [intAttr('axis', -1)]);
  if (act === 'step') {
    const zero = `step${index}.zero`;
    initializers.push(float32Tensor(zero, [], [0]));
    add('Greater', [current(), zero]);
    return add('Cast', [current()], [intAttr('to', DataType.FLOAT)]);
  }
  add(SIMPLE_OPS[act]!, [current()]);
}
