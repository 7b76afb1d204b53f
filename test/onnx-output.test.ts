// toONNX({ output }): a model trained on logits exports logits or probabilities, says which in
// metadata_props, and predictProba of the imported file gives probabilities either way.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ConfigError, Dense, Sequential, Softmax, Tanh, mlp } from '../src/index.js';
import { decodeModel } from '../src/io/onnx/schema.js';

const x = [
  [0.5, -1],
  [1.25, 0.75],
  [-2, 0.25],
];

async function runONNX(bytes: Uint8Array): Promise<number[][]> {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(x.flat()), [x.length, 2]) });
  const t = out[session.outputNames[0]];
  const cols = t.dims[1] as number;
  const data = Array.from(t.data as Float32Array);
  return x.map((_, r) => data.slice(r * cols, r * cols + cols));
}

const props = (bytes: Uint8Array) => Object.fromEntries((decodeModel(bytes).metadataProps ?? []).map((p) => [p.key, p.value]));
const close = (a: number[][], b: number[][]) => a.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - b[i][j])).toBeLessThan(2e-6)));

describe.each([
  ['softmax_ce', 3],
  ['bce_logits', 1],
] as const)('ONNX output of a %s model', (loss, outputs) => {
  const model = mlp([2, 5, outputs], { activation: 'tanh', seed: 4 });
  model.compile({ loss });
  const logits = model.predict(x);
  const proba = model.predictProba(x);

  it('writes logits by default, says so, and the import predicts probabilities', async () => {
    const bytes = model.toONNX();
    expect(props(bytes)).toMatchObject({ 'wasmlp.output': 'logits', 'wasmlp.probabilities': outputs === 1 ? 'sigmoid' : 'softmax' });
    close(await runONNX(bytes), logits);
    const imported = Sequential.fromONNX(bytes);
    expect(imported.compiled).toBe(false);
    close(imported.predictProba(x), proba);
    expect(imported.predictClasses(x)).toEqual(model.predictClasses(x));
    // Saved again as JSON (what `wasmlp import` writes), it still knows.
    const again = Sequential.fromJSON(imported.toJSON());
    close(again.predictProba(x), proba);
    expect(props(again.toONNX())['wasmlp.output']).toBe('logits');
    imported.dispose();
    again.dispose();
  });

  it("writes probabilities with output: 'probabilities', and the import predicts the same", async () => {
    const bytes = model.toONNX({ output: 'probabilities' });
    expect(props(bytes)['wasmlp.output']).toBe('probabilities');
    expect(props(bytes)['wasmlp.probabilities']).toBeUndefined();
    close(await runONNX(bytes), proba);
    const imported = Sequential.fromONNX(bytes);
    close(imported.predictProba(x), proba);
    close(imported.predict(x), proba);
    imported.dispose();
  });
});

describe('ONNX output refusals', () => {
  it('refuses an output the model cannot give, and a bad value', () => {
    const probs = new Sequential([new Dense(2, 3), new Tanh(), new Dense(3, 3), new Softmax()], { seed: 1 });
    probs.compile({ loss: 'categorical_ce' });
    expect(() => probs.toONNX({ output: 'logits' })).toThrow(/already outputs probabilities/);
    expect(props(probs.toONNX({ output: 'probabilities' }))['wasmlp.output']).toBe('probabilities');
    const regression = mlp([2, 3, 1], { seed: 1 });
    regression.compile({ loss: 'mse' });
    expect(() => regression.toONNX({ output: 'probabilities' })).toThrow(/plain values/);
    expect(props(regression.toONNX())['wasmlp.output']).toBe('values');
    const uncompiled = mlp([2, 3, 1], { seed: 1 });
    expect(() => uncompiled.toONNX({ output: 'logits' })).toThrow(ConfigError);
    expect(() => uncompiled.toONNX({ output: 'probs' as never })).toThrow(/output must be 'probabilities' or 'logits'/);
    for (const m of [probs, regression, uncompiled]) m.dispose();
  });
});
