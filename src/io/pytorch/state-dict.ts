/**
 * wasmlp layers and weights as a PyTorch `nn.Sequential` and its state dict, and back. Each
 * wasmlp layer is one module, so layer i's tensors are `i.weight`, `i.bias`, ... as PyTorch names
 * them: a Dense is `nn.Linear` with its weight as [out, in] (wasmlp keeps [in, out]), a BatchNorm
 * is `nn.BatchNorm1d` (weight = gamma, bias = beta, running_mean, running_var,
 * num_batches_tracked). Works on plain records; knows nothing of the model classes.
 */
import type { DType } from '../../engine-options.js';
import { ConfigError, ShapeError, describe } from '../../errors.js';
import type { LayerConfig, NetworkRecord, TensorRecord } from '../model-record.js';
import { tensorToFloat64, type SafetensorsFile, type SafetensorsTensor } from '../safetensors.js';

/** A layer's parameter tensors in the order the record holds them (Keras order), with their PyTorch names. */
function layerTensors(layer: LayerConfig, index: number): { torch: string }[] {
  const parts =
    layer.className === 'Dense'
      ? layer.config.useBias === false
        ? ['weight']
        : ['weight', 'bias']
      : layer.className === 'BatchNorm'
        ? ['weight', 'bias', 'running_mean', 'running_var']
        : [];
  return parts.map((p) => ({ torch: `${index}.${p}` }));
}

/** The Python expression (torch.nn as `nn`; `Step` defined in model.py) that builds `layer`. Throws ConfigError for a layer PyTorch has no module for. */
export function torchModule(layer: LayerConfig, index: number): string {
  const c = layer.config;
  const num = (v: unknown) => JSON.stringify(v);
  switch (layer.className) {
    case 'Dense':
      return `nn.Linear(${num(c.inputs)}, ${num(c.units)}, bias=${c.useBias === false ? 'False' : 'True'})`;
    case 'Flatten':
      return 'nn.Flatten()';
    case 'BatchNorm':
      return `nn.BatchNorm1d(${num(c.features)}, eps=${num(c.eps)}, momentum=${num(c.momentum)})`;
    case 'Dropout':
      return `nn.Dropout(p=${num(c.rate)})`;
    case 'Activation': {
      const simple: Record<string, string> = {
        relu: 'nn.ReLU()',
        sigmoid: 'nn.Sigmoid()',
        tanh: 'nn.Tanh()',
        identity: 'nn.Identity()',
        softmax: 'nn.Softmax(dim=1)',
        step: 'Step()',
      };
      if (c.activation === 'leaky_relu') return `nn.LeakyReLU(negative_slope=${num(c.alpha)})`;
      const m = simple[String(c.activation)];
      if (m !== undefined) return m;
      throw new ConfigError(`toPyTorch: layers[${index}]: activation ${describe(c.activation)} has no PyTorch module`);
    }
    default:
      throw new ConfigError(`toPyTorch: layers[${index}]: layer class ${describe(layer.className)} has no PyTorch module`);
  }
}

/**
 * The state dict of a network as safetensors tensors (dtype F32 or F64 as `dtype`; Linear
 * weights transposed to [out, in]). `batchesTracked` fills each BatchNorm's num_batches_tracked.
 * Reads the record, changes nothing.
 */
export function networkToStateDict(network: NetworkRecord, dtype: DType, batchesTracked: number): (SafetensorsTensor & { name: string })[] {
  const out: (SafetensorsTensor & { name: string })[] = [];
  let p = 0;
  network.layers.forEach((layer, i) => {
    for (const { torch } of layerTensors(layer, i)) {
      const w = network.weights[p++];
      const transposed = w.shape.length === 2 ? transpose(w.values, w.shape[0], w.shape[1]) : w.values;
      const shape = w.shape.length === 2 ? [w.shape[1], w.shape[0]] : w.shape.slice();
      out.push({ name: torch, dtype: dtype === 'float32' ? 'F32' : 'F64', shape, data: floatBytes(transposed, dtype) });
    }
    if (layer.className === 'BatchNorm') {
      const data = new Uint8Array(8);
      new DataView(data.buffer).setBigInt64(0, BigInt(batchesTracked), true);
      out.push({ name: `${i}.num_batches_tracked`, dtype: 'I64', shape: [], data });
    }
  });
  return out;
}

/**
 * The weights of `layers` read from a PyTorch state dict in safetensors form, in the record's
 * order and layout (Linear weights transposed back to [in, out]). Throws ShapeError for a tensor
 * of the wrong shape, ConfigError for a missing tensor, a tensor no layer owns, or a non-float
 * weight. Reads the file, changes nothing.
 */
export function stateDictToNetwork(file: SafetensorsFile, layers: LayerConfig[], where: string): NetworkRecord {
  const used = new Set<string>();
  const weights: TensorRecord[] = [];
  layers.forEach((layer, i) => {
    const specs = layerTensors(layer, i);
    specs.forEach(({ torch }, k) => {
      const t = file.tensors.get(torch);
      if (t === undefined) throw new ConfigError(`${where}: tensor ${JSON.stringify(torch)} of layers[${i}] (${layer.className}) is missing`);
      if (!['F32', 'F64', 'F16', 'BF16'].includes(t.dtype))
        throw new ConfigError(`${where}: tensor ${JSON.stringify(torch)} has dtype ${t.dtype}; weights must be floats`);
      const want = expectedShape(layer, k);
      if (t.shape.length !== want.length || t.shape.some((d, j) => d !== want[j])) {
        throw new ShapeError(
          `${where}: tensor ${JSON.stringify(torch)} has shape [${t.shape.join(', ')}], layers[${i}] (${layer.className}) needs [${want.join(', ')}]`,
        );
      }
      used.add(torch);
      const values = tensorToFloat64(t, `${where}: ${torch}`);
      weights.push(want.length === 2 ? { shape: [want[1], want[0]], values: transpose(values, want[0], want[1]) } : { shape: want.slice(), values });
    });
    if (layer.className === 'BatchNorm') used.add(`${i}.num_batches_tracked`);
  });
  for (const name of file.tensors.keys()) {
    if (!used.has(name))
      throw new ConfigError(`${where}: tensor ${JSON.stringify(name)} belongs to no layer of the architecture (${layers.map((l) => l.className).join(', ')})`);
  }
  return { layers, weights };
}

/** PyTorch's shape of a layer's k-th tensor. */
function expectedShape(layer: LayerConfig, k: number): number[] {
  const c = layer.config as Record<string, number>;
  if (layer.className === 'Dense') return k === 0 ? [c.units, c.inputs] : [c.units];
  return [c.features];
}

function transpose(values: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
  return out;
}

function floatBytes(values: Float64Array, dtype: DType): Uint8Array {
  const typed = dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
  const bytes = new Uint8Array(typed.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < typed.length; i++) {
    if (dtype === 'float32') view.setFloat32(i * 4, typed[i], true);
    else view.setFloat64(i * 8, typed[i], true);
  }
  return bytes;
}
