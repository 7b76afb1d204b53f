// ONNX import of hand-built graphs: Gemm attributes, MatMul + Add, float_data / float64 / raw
// initializers, Constant nodes, the Step pattern, static batch, out-of-order nodes; and the
// refusals: unsupported operator (named with its node), cycles, branches, corrupt bytes.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ConfigError, Random, Sequential, ValueError, scaledError } from '../src/index.js';
import { encodeModel, type Attribute, type Node, type Tensor } from '../src/io/onnx/schema.js';
import { float32Tensor } from '../src/io/onnx/tensor.js';

const FLOAT = 1,
  DOUBLE = 11,
  INT64 = 7;

function values(n: number, seed: number): number[] {
  const r = new Random(seed);
  return Array.from({ length: n }, () => Math.fround(r.uniform(-1, 1)));
}

function node(opType: string, input: string[], output: string, attribute: Attribute[] = [], name = `${opType}_${output}`): Node {
  return { opType, input, output: [output], attribute, name };
}

const ints = (name: string, i: number): Attribute => ({ name, type: 2, i });
const floats = (name: string, f: number): Attribute => ({ name, type: 1, f });

function model(nodes: Node[], initializer: Tensor[], inputDims: (number | string)[], output: string, opset = 13): Uint8Array {
  const dim = inputDims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'g',
      node: nodes,
      initializer,
      input: [{ name: 'x', type: { tensorType: { elemType: FLOAT, shape: { dim } } } }],
      output: [{ name: output, type: { tensorType: { elemType: FLOAT } } }],
    },
  });
}

async function agreesWithOrt(bytes: Uint8Array, rows: number, cols: number): Promise<number> {
  const x = Float32Array.from(values(rows * cols, 42));
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ x: new ort.Tensor('float32', x, [rows, cols]) });
  let worst = 0;
  for (const backend of ['wasm', 'reference'] as const) {
    const m = Sequential.fromONNX(bytes, { backend });
    worst = Math.max(worst, scaledError(m.predict({ data: x, shape: [rows, cols] }).data, out[session.outputNames[0]].data as Float32Array));
    m.dispose();
  }
  return worst;
}

describe('ONNX import of hand-built graphs', () => {
  it('Gemm with transB = 0, alpha, beta and a [1, out] bias', async () => {
    const bytes = model(
      [node('Gemm', ['x', 'W', 'b'], 'y', [floats('alpha', 0.5), floats('beta', 2), ints('transB', 0)])],
      [float32Tensor('W', [3, 4], values(12, 1)), float32Tensor('b', [1, 4], values(4, 2))],
      ['batch', 3],
      'y',
    );
    expect(await agreesWithOrt(bytes, 5, 3)).toBeLessThan(1e-5);
  });

  it('MatMul + Add (bias first or second), float_data and float64 initializers, static batch', async () => {
    const W1: Tensor = { name: 'W1', dims: [3, 4], dataType: FLOAT, floatData: values(12, 3) };
    const b1: Tensor = { name: 'b1', dims: [4], dataType: FLOAT, floatData: values(4, 4) };
    const W2: Tensor = { name: 'W2', dims: [4, 2], dataType: DOUBLE, doubleData: values(8, 5) };
    const b2 = float32Tensor('b2', [2], values(2, 6));
    const nodes = [
      node('MatMul', ['x', 'W1'], 'h1'),
      node('Add', ['b1', 'h1'], 'h2'),
      node('Sigmoid', ['h2'], 'h3'),
      node('MatMul', ['h3', 'W2'], 'h4'),
      node('Add', ['h4', 'b2'], 'y'),
    ];
    const bytes = model(nodes, [W1, b1, W2, b2], [6, 3], 'y');
    const m = Sequential.fromONNX(bytes);
    expect(m.layers.map((l) => l.toConfig().config.useBias ?? l.className)).toEqual([true, 'Activation', true]);
    m.dispose();
    // onnxruntime refuses float64 weights in a float MatMul, so compare a float32 copy there.
    const W2f = float32Tensor('W2', [4, 2], values(8, 5));
    expect(await agreesWithOrt(model(nodes, [W1, b1, W2f, b2], [6, 3], 'y'), 6, 3)).toBeLessThan(1e-5);
  });

  it('the Step pattern Cast(Greater(x, 0)) with a Constant zero, and nodes listed out of order', async () => {
    const zero: Attribute = { name: 'value', type: 4, t: float32Tensor('', [], [0]) };
    const nodes = [
      node('Gemm', ['s', 'W2'], 'y', [ints('transB', 1)]),
      node('Cast', ['g'], 's', [ints('to', FLOAT)]),
      node('Greater', ['h', 'zero'], 'g'),
      node('Constant', [], 'zero', [zero]),
      node('Gemm', ['x', 'W1', 'b1'], 'h', [ints('transB', 1)]),
    ];
    const bytes = model(
      nodes,
      [float32Tensor('W1', [5, 2], values(10, 7)), float32Tensor('b1', [5], values(5, 8)), float32Tensor('W2', [3, 5], values(15, 9))],
      ['n', 2],
      'y',
    );
    const m = Sequential.fromONNX(bytes);
    expect(m.plan.stages.map((s) => s.activation)).toEqual(['step', 'identity']);
    m.dispose();
    expect(await agreesWithOrt(bytes, 9, 2)).toBeLessThan(1e-5);
  });

  it('Reshape to [-1, k] as a Flatten, and Softmax with opset 11 default axis', () => {
    const shape: Tensor = { name: 'shape', dims: [2], dataType: INT64, int64Data: [-1, 4] };
    const bytes = model(
      [node('Reshape', ['x', 'shape'], 'f'), node('Gemm', ['f', 'W'], 'z'), node('Softmax', ['z'], 'y')],
      [shape, float32Tensor('W', [4, 3], values(12, 10))],
      ['n', 2, 2],
      'y',
      11,
    );
    const m = Sequential.fromONNX(bytes);
    expect(m.layers.map((l) => l.className)).toEqual(['Flatten', 'Dense', 'Activation']);
    expect(
      m
        .predict([
          [
            [1, 2],
            [3, 4],
          ],
        ])[0]
        .reduce((a, b) => a + b),
    ).toBeCloseTo(1, 6);
    m.dispose();
  });

  it('refuses an unsupported operator, naming it and its node', () => {
    const bytes = model([node('Gemm', ['x', 'W'], 'h'), node('Elu', ['h'], 'y', [], 'act/elu_1')], [float32Tensor('W', [2, 2], values(4, 1))], ['n', 2], 'y');
    expect(() => Sequential.fromONNX(bytes)).toThrow(ConfigError);
    expect(() => Sequential.fromONNX(bytes)).toThrow(/Elu node "act\/elu_1".*operator Elu is not supported/);
  });

  it('refuses a cycle, a branch, a dangling input, a second input and a wrong output', () => {
    const W = [float32Tensor('W', [2, 2], values(4, 1))];
    const cycle = model([node('Relu', ['b'], 'a'), node('Tanh', ['a'], 'b'), node('Gemm', ['x', 'W'], 'y')], W, ['n', 2], 'y');
    expect(() => Sequential.fromONNX(cycle)).toThrow(/cycle through Relu node .*Tanh node/);
    const branch = model([node('Gemm', ['x', 'W'], 'h'), node('Relu', ['h'], 'r'), node('Tanh', ['h'], 'y')], W, ['n', 2], 'y');
    expect(() => Sequential.fromONNX(branch)).toThrow(/Tanh node .*single chain/);
    const dangling = model([node('Gemm', ['x', 'Wmissing'], 'y')], W, ['n', 2], 'y');
    expect(() => Sequential.fromONNX(dangling)).toThrow(/reads "Wmissing", which no node/);
    const wrongOut = model([node('Gemm', ['x', 'W'], 'h'), node('Relu', ['h'], 'r')], W, ['n', 2], 'y');
    expect(() => Sequential.fromONNX(wrongOut)).toThrow(/ends at "r", but the graph output is "y"/);
    const sizes = model([node('Gemm', ['x', 'W'], 'y')], W, ['n', 3], 'y');
    expect(() => Sequential.fromONNX(sizes)).toThrow(/3 features but the first layer takes 2/);
    const transA = model([node('Gemm', ['x', 'W'], 'y', [ints('transA', 1)])], W, ['n', 2], 'y');
    expect(() => Sequential.fromONNX(transA)).toThrow(/transA = 1/);
  });

  it('refuses NaN weights and corrupt bytes with ValueError', () => {
    const nan = model([node('Gemm', ['x', 'W'], 'y')], [float32Tensor('W', [2, 2], [1, NaN, 0, 1])], ['n', 2], 'y');
    expect(() => Sequential.fromONNX(nan)).toThrow(ValueError);
    expect(() => Sequential.fromONNX(Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0x0f))).toThrow(ValueError);
    const short: Tensor = { name: 'W', dims: [2, 2], dataType: FLOAT, floatData: [1, 2, 3] };
    expect(() => Sequential.fromONNX(model([node('Gemm', ['x', 'W'], 'y')], [short], ['n', 2], 'y'))).toThrow(/holds 3 values but its dims \[2, 2\] need 4/);
  });
});
