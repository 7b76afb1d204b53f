// BatchNorm and Dropout models leave and come back: the JSON document and the binary form
// (layer configs, the four BatchNorm tensors by name, bit-identical predictions, training that
// resumes into the same trajectory, dropout masks included), ONNX export as BatchNormalization
// and Dropout run by onnxruntime-node, and the import of both back.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { BatchNorm, Dense, Dropout, ReLU, Sequential, ShapeError, Tanh, ValueError, datasets, scaledError } from '../src/index.js';
import { decodeModel } from '../src/io/onnx/schema.js';

const { x, y } = datasets.moons({ n: 60, noise: 0.2, seed: 4 });

function net(backend: 'wasm' | 'reference', seed = 3) {
  return new Sequential(
    [
      new Dense(2, 10, { useBias: false }),
      new BatchNorm(10, { momentum: 0.2, eps: 1e-3 }),
      new ReLU(),
      new Dropout(0.25),
      new Dense(10, 6),
      new Tanh(),
      new BatchNorm(6),
      new Dense(6, 2),
    ],
    { backend, seed },
  );
}

describe.each(['wasm', 'reference'] as const)('BatchNorm / Dropout models saved and loaded (%s)', (backend) => {
  it('JSON and binary: configs, tensor names, exact weights and predictions', async () => {
    const model = net(backend);
    model.compile({ loss: 'softmax_ce', optimizer: { type: 'adam', lr: 0.02 } });
    await model.fit(x, y, { epochs: 2, batchSize: 16 });
    const json = model.toJSON();
    expect(json.layers[1]).toEqual({ className: 'BatchNorm', config: { features: 10, momentum: 0.2, eps: 1e-3 } });
    expect(json.layers[3]).toEqual({ className: 'Dropout', config: { rate: 0.25 } });
    expect(json.weights.map((w) => w.name)).toEqual([
      'W0',
      'bn0_gamma',
      'bn0_beta',
      'bn0_running_mean',
      'bn0_running_var',
      'W1',
      'b1',
      'bn1_gamma',
      'bn1_beta',
      'bn1_running_mean',
      'bn1_running_var',
      'W2',
      'b2',
    ]);
    for (const copy of [Sequential.fromJSON(JSON.stringify(json)), Sequential.fromBytes(model.save())]) {
      expect(copy.plan).toEqual(model.plan);
      expect(copy.getWeights()).toEqual(model.getWeights());
      expect(copy.predict(x)).toEqual(model.predict(x));
      copy.dispose();
    }
    model.dispose();
  });

  it('resumes exactly with the training state: 2 epochs, save, load, 3 more == 5 straight (dropout masks included)', async () => {
    const compile = (m: Sequential) => m.compile({ loss: 'softmax_ce', optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9 } });
    const straight = net(backend);
    compile(straight);
    await straight.fit(x, y, { epochs: 5, batchSize: 16 });
    const first = net(backend);
    compile(first);
    await first.fit(x, y, { epochs: 2, batchSize: 16 });
    const copies = [Sequential.fromJSON(JSON.stringify(first.toJSON({ includeOptimizer: true }))), Sequential.fromBytes(first.save())];
    first.dispose();
    for (const resumed of copies) {
      await resumed.fit(x, y, { epochs: 3, batchSize: 16 });
      expect(resumed.getWeights()).toEqual(straight.getWeights());
      resumed.dispose();
    }
    straight.dispose();
  });

  it('refuses a BatchNorm tensor of the wrong size or a bad config, naming it', () => {
    const model = net(backend);
    const json = model.toJSON();
    const short = structuredClone(json);
    const values = backend === 'wasm' ? new Float32Array(11) : new Float64Array(11);
    short.weights[3].shape = [11];
    short.weights[3].data = Buffer.from(values.buffer).toString('base64'); // 11 values where 10 belong
    expect(() => Sequential.fromJSON(short)).toThrow(/weights\[3\] \(bn0_running_mean\) has shape \[\d+\] but the layers need \[10\]/);
    const bad = structuredClone(json);
    (bad.layers[1].config as { momentum: number }).momentum = 3;
    expect(() => Sequential.fromJSON(bad)).toThrow(ValueError);
    const wide = structuredClone(json);
    (wide.layers[1].config as { features: number }).features = 11;
    expect(() => Sequential.fromJSON(wide)).toThrow(ShapeError);
    model.dispose();
  });

  it('ONNX: BatchNormalization and Dropout, run by onnxruntime, read back to the same network', async () => {
    const model = net(backend);
    model.compile({ loss: 'softmax_ce', optimizer: { type: 'adam', lr: 0.02 } });
    await model.fit(x, y, { epochs: 3, batchSize: 16 }); // running estimates away from 0 and 1
    const bytes = model.toONNX();
    const ops = decodeModel(bytes).graph!.node.map((n) => n.opType);
    expect(ops).toEqual(['Gemm', 'BatchNormalization', 'Relu', 'Dropout', 'Gemm', 'Tanh', 'BatchNormalization', 'Gemm']);
    const data = Float32Array.from(x.flat());
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ x: new ort.Tensor('float32', data, [x.length, 2]) });
    const got = out[session.outputNames[0]].data as Float32Array;
    const want = model.predict({ data, shape: [x.length, 2] }).data;
    const err = scaledError(got, want);
    console.log(`onnx export [${backend}] batchnorm + dropout: max scaled error onnxruntime vs wasmlp ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-5);
    const back = Sequential.fromONNX(bytes, { backend });
    expect(back.plan.stages).toEqual(model.plan.stages);
    const w = model.getWeights().flat(2) as number[];
    const v = back.getWeights().flat(2) as number[];
    if (backend === 'wasm')
      expect(v).toEqual(w); // float32 out, float32 in
    else expect(scaledError(v, w)).toBeLessThan(1e-7);
    expect(back.layers.filter((l) => l instanceof BatchNorm).map((l) => [(l as BatchNorm).momentum, (l as BatchNorm).eps])).toEqual([
      [0.2, 1e-3],
      [0.1, 1e-5],
    ]);
    back.dispose();
    model.dispose();
  });
});
