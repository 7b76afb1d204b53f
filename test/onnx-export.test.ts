// ONNX export checked by onnxruntime-node: every activation, with and without bias, Flatten, both
// backends; the exported file is run and compared with wasmlp's predictions (f32 bound), and
// importing it back gives the same network.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  Activation,
  Dense,
  Flatten,
  Identity,
  LeakyReLU,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Step,
  Tanh,
  Random,
  scaledError,
  type Layer,
} from '../src/index.js';
import { decodeModel } from '../src/io/onnx/schema.js';

const BOUND = 1e-5;

function inputs(rows: number, cols: number, seed: number): Float32Array {
  const r = new Random(seed);
  // f32 values so wasmlp and onnxruntime see exactly the same inputs.
  return Float32Array.from({ length: rows * cols }, () => r.uniform(-2, 2));
}

async function runOnnx(bytes: Uint8Array, x: Float32Array, dims: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, dims) });
  return out[session.outputNames[0]].data as Float32Array;
}

const cases: [string, () => Layer[]][] = [
  ['relu + sigmoid', () => [new Dense(3, 8), new ReLU(), new Dense(8, 1), new Sigmoid()]],
  ['tanh, no bias', () => [new Dense(3, 6, { useBias: false }), new Tanh(), new Dense(6, 2, { useBias: false })]],
  ['leaky_relu(0.2) + softmax', () => [new Dense(3, 7), new LeakyReLU(0.2), new Dense(7, 4), new Softmax()]],
  ['identity + step', () => [new Dense(3, 5), new Identity(), new Dense(5, 4), new Step()]],
  ['two activations in a row, leading activation', () => [new Activation('tanh'), new Dense(3, 5), new ReLU(), new Sigmoid(), new Dense(5, 2)]],
  ['linear output', () => [new Dense(3, 4), new Dense(4, 3)]],
];

describe.each(['wasm', 'reference'] as const)('ONNX export on %s', (backend) => {
  it.each(cases)('%s: onnxruntime matches predict', async (_, layers) => {
    const model = new Sequential(layers(), { backend, seed: 3 });
    const rows = 17;
    const x = inputs(rows, 3, 5);
    const bytes = model.toONNX();
    const got = await runOnnx(bytes, x, [rows, 3]);
    const want = model.predict({ data: x, shape: [rows, 3] }).data;
    const err = scaledError(got, want);
    console.log(`onnx export [${backend}] ${_}: max scaled error onnxruntime vs wasmlp ${err.toExponential(2)}`);
    expect(err).toBeLessThan(BOUND);
    // Back in: the same network, weights equal to f32 precision (bit for bit from wasm).
    const back = Sequential.fromONNX(bytes, { backend });
    expect(back.plan.stages).toEqual(model.plan.stages);
    const w = model.getWeights().flat(2) as number[];
    const v = back.getWeights().flat(2) as number[];
    if (backend === 'wasm') expect(v).toEqual(w);
    else expect(scaledError(v, w)).toBeLessThan(1e-7);
    back.dispose();
    model.dispose();
  });

  it('exports Flatten with an open input rank: [n, 4, 4] and [n, 16] both run', async () => {
    const model = new Sequential([new Flatten(), new Dense(16, 8), new ReLU(), new Dense(8, 3), new Softmax()], { backend, seed: 4 });
    const x = inputs(6, 16, 9);
    const want = model.predict({ data: x, shape: [6, 4, 4] }).data;
    const bytes = model.toONNX();
    expect(scaledError(await runOnnx(bytes, x, [6, 4, 4]), want)).toBeLessThan(BOUND);
    expect(scaledError(await runOnnx(bytes, x, [6, 16]), want)).toBeLessThan(BOUND);
    const back = Sequential.fromONNX(bytes, { backend });
    expect(back.layers[0]).toBeInstanceOf(Flatten);
    expect(scaledError(back.predict({ data: x, shape: [6, 4, 4] }).data, want)).toBeLessThan(BOUND);
    back.dispose();
    model.dispose();
  });
});

describe('the exported file', () => {
  it('declares opset 13, IR 7, a symbolic batch axis and standard operators only', () => {
    const model = new Sequential([new Dense(2, 3), new Step(), new Dense(3, 2, { useBias: false }), new LeakyReLU(0.3)], { seed: 1 });
    const m = decodeModel(model.toONNX({ inputName: 'features', outputName: 'scores' }));
    expect(m.irVersion).toBe(7);
    expect(m.opsetImport).toEqual([{ domain: '', version: 13 }]);
    const g = m.graph!;
    expect(g.node.map((n) => n.opType)).toEqual(['Gemm', 'Greater', 'Cast', 'Gemm', 'LeakyRelu']);
    expect(g.node[3].input).toHaveLength(2); // no bias: no C input
    expect(g.input[0].name).toBe('features');
    expect(g.output[0].name).toBe('scores');
    expect(g.input[0].type!.tensorType!.shape!.dim).toEqual([{ dimParam: 'batch' }, { dimValue: 2 }]);
    expect(g.node[4].attribute.find((a) => a.name === 'alpha')!.f).toBeCloseTo(0.3, 6);
    model.dispose();
  });

  it('runs with any batch size, including 1', async () => {
    const model = new Sequential([new Dense(3, 4), new Tanh(), new Dense(4, 2)], { seed: 2 });
    const bytes = model.toONNX();
    for (const rows of [1, 2, 64]) {
      const x = inputs(rows, 3, rows);
      expect(scaledError(await runOnnx(bytes, x, [rows, 3]), model.predict({ data: x, shape: [rows, 3] }).data)).toBeLessThan(BOUND);
    }
    model.dispose();
  });
});
