// The native format: exact round trips through JSON (version 2, base64 weights) and the binary
// form, files and Blobs, version 1 still read, and a save taken mid-training (with optimiser and
// shuffle state) resuming into the very same trajectory as an uninterrupted run, on both backends.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Adam, Dense, LeakyReLU, MODEL_VERSION, Random, ReLU, RMSprop, SGD, Sequential, Sigmoid, Softmax, Tanh, datasets, sniffFormat } from '../src/index.js';

const backends = ['wasm', 'reference'] as const;
const { x, y } = datasets.moons({ n: 64, noise: 0.2, seed: 3 });

function net(backend: 'wasm' | 'reference', seed = 5) {
  return new Sequential([new Dense(2, 12), new Tanh(), new Dense(12, 8), new LeakyReLU(0.05), new Dense(8, 1, { useBias: false }), new Sigmoid()], {
    backend,
    seed,
  });
}

const optimizers = [
  ['adam', () => new Adam({ lr: 0.02 })],
  ['sgd momentum nesterov', () => new SGD({ lr: 0.1, momentum: 0.9, nesterov: true })],
  ['rmsprop centred', () => new RMSprop({ lr: 0.01, momentum: 0.5, centered: true })],
] as const;

describe.each(backends)('native format on %s', (backend) => {
  it('JSON: version 2, base64 weights of the backend dtype, bit-identical predictions', async () => {
    const model = net(backend);
    model.compile({ loss: 'bce', optimizer: new Adam({ lr: 0.01 }), metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 2, batchSize: 16 });
    const json = model.toJSON();
    expect(json.version).toBe(MODEL_VERSION);
    expect(json.weights.map((w) => [w.name, w.dtype, w.shape])).toEqual([
      ['W0', backend === 'wasm' ? 'float32' : 'float64', [2, 12]],
      ['b0', expect.any(String), [12]],
      ['W1', expect.any(String), [12, 8]],
      ['b1', expect.any(String), [8]],
      ['W2', expect.any(String), [8, 1]],
    ]);
    expect(json.training).toBeUndefined();
    const copy = Sequential.fromJSON(JSON.stringify(model));
    expect(copy.predict(x)).toEqual(model.predict(x));
    expect(copy.getWeights()).toEqual(model.getWeights());
    expect(copy.plan).toEqual(model.plan);
    expect(copy.metrics).toEqual(['accuracy']);
    copy.dispose();
    model.dispose();
  });

  it('binary: smaller than JSON, exact, through bytes, a file, an ArrayBuffer and a Blob', async () => {
    const model = net(backend);
    const bytes = model.save();
    expect(sniffFormat(bytes)).toBe('binary');
    expect(bytes.length).toBeLessThan(JSON.stringify(model.toJSON()).length);
    const path = join(mkdtempSync(join(tmpdir(), 'wasmlp-')), 'model.wasmlp');
    await model.save(path);
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
    const want = model.predict(x);
    for (const source of [bytes, path, bytes.slice().buffer, new Blob([bytes as Uint8Array<ArrayBuffer>])]) {
      const copy = await Sequential.load(source);
      expect(copy.predict(x)).toEqual(want);
      expect(copy.backend).toBe(backend);
      copy.dispose();
    }
    const json = await Sequential.load(new TextEncoder().encode(JSON.stringify(model)));
    expect(json.predict(x)).toEqual(want);
    json.dispose();
    model.dispose();
  });

  it.each(optimizers)('resumes exactly: N epochs, save, load, M more == N+M straight (%s)', async (_, make) => {
    const straight = net(backend);
    straight.compile({ loss: 'bce', optimizer: make() });
    await straight.fit(x, y, { epochs: 5, batchSize: 10 });

    const first = net(backend);
    first.compile({ loss: 'bce', optimizer: make() });
    await first.fit(x, y, { epochs: 2, batchSize: 10 });
    const viaJSON = Sequential.fromJSON(JSON.stringify(first.toJSON({ includeOptimizer: true })));
    const viaBinary = Sequential.fromBytes(first.save());
    first.dispose();
    for (const resumed of [viaJSON, viaBinary]) {
      await resumed.fit(x, y, { epochs: 3, batchSize: 10 });
      expect(resumed.getWeights()).toEqual(straight.getWeights());
      resumed.dispose();
    }
    // Without the training state the optimiser starts over, and the path differs.
    const restart = net(backend);
    restart.compile({ loss: 'bce', optimizer: make() });
    await restart.fit(x, y, { epochs: 2, batchSize: 10 });
    const cold = Sequential.fromJSON(restart.toJSON());
    await cold.fit(x, y, { epochs: 3, batchSize: 10 });
    expect(cold.getWeights()).not.toEqual(straight.getWeights());
    cold.dispose();
    restart.dispose();
    straight.dispose();
  });

  it('still reads version 1 documents (weights as number arrays)', () => {
    const model = new Sequential([new Dense(2, 3), new ReLU(), new Dense(3, 2), new Softmax()], { backend, seed: 2 });
    const v2 = model.toJSON();
    const v1 = {
      format: 'wasmlp-model',
      version: 1,
      seed: v2.seed,
      backend: v2.backend,
      layers: v2.layers,
      compile: null,
      weights: model.getWeights().map((w) => ({ shape: Array.isArray(w[0]) ? [w.length, (w[0] as number[]).length] : [w.length], values: w.flat() })),
    };
    const copy = Sequential.fromJSON(v1);
    expect(copy.predict(x)).toEqual(model.predict(x));
    copy.dispose();
    model.dispose();
  });
});

it('loads across backends: wasm weights into the reference engine are exact float32 values', () => {
  const model = net('wasm');
  const copy = Sequential.fromJSON(model.toJSON(), { backend: 'reference' });
  expect(copy.backend).toBe('reference');
  expect(copy.getWeights()).toEqual(model.getWeights());
  copy.dispose();
  model.dispose();
});

it('Random.getState / setState continue the stream exactly, the cached normal included', () => {
  const a = new Random(123);
  a.normal();
  const state = a.getState();
  expect(state.spare).not.toBeNull();
  const b = new Random(7);
  b.setState(JSON.parse(JSON.stringify(state)));
  expect([b.normal(), b.nextUint32(), b.next()]).toEqual([a.normal(), a.nextUint32(), a.next()]);
  expect(() => b.setState({ s: [1, 2, 3, 2 ** 32], spare: null })).toThrow(/four integers/);
  expect(b.getState()).toEqual(a.getState()); // a refused state changes nothing
});
