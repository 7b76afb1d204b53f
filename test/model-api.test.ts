// The layered model API: construction, weights, predictions, fit, serialisation, on both backends.
import { describe, expect, it } from 'vitest';
import { Adam, Dense, Flatten, ReLU, Sequential, SGD, Sigmoid, Softmax, Tanh, datasets, mlp } from '../src/index.js';

const backends = ['reference', 'wasm'] as const;

function moonsModel(backend: 'wasm' | 'reference', seed = 7) {
  return new Sequential([new Dense(2, 16), new Tanh(), new Dense(16, 1), new Sigmoid()], { backend, seed });
}

describe.each(backends)('model API on %s', (backend) => {
  it('builds the seed 001 network with mlp() and reports its summary', () => {
    const model = mlp([2, 6, 2], { activation: 'sigmoid', outputActivation: 'sigmoid', backend, seed: 1 });
    expect(model.layers.map((l) => l.toConfig().config.activation ?? l.className)).toEqual(['Dense', 'sigmoid', 'Dense', 'sigmoid']);
    // Without outputActivation the output is linear (as Keras and tfjs).
    const linear = mlp([2, 6, 2], { activation: 'sigmoid', backend, seed: 1 });
    expect(linear.layers.map((l) => l.toConfig().config.activation ?? l.className)).toEqual(['Dense', 'sigmoid', 'Dense']);
    linear.dispose();
    const summary = model.summary();
    expect(summary).toContain('Dense (2→6)');
    expect(summary).toContain('Total parameters: 32');
    expect(model.getWeights().map((w) => [w.length, Array.isArray(w[0]) ? (w[0] as number[]).length : 0])).toEqual([
      [2, 6],
      [6, 0],
      [6, 2],
      [2, 0],
    ]);
    model.dispose();
  });

  it('setWeights then getWeights returns the same values (f32-representable inputs)', () => {
    const model = mlp([3, 4, 2], { backend, seed: 2 });
    const ws = model
      .getWeights()
      .map((w) => (Array.isArray(w[0]) ? (w as number[][]).map((r) => r.map((_, j) => j * 0.25 - 0.5)) : (w as number[]).map((_, j) => j / 8)));
    model.setWeights(ws);
    expect(model.getWeights()).toEqual(ws);
    model.dispose();
  });

  it('trains moons to >= 95% accuracy with Adam and reports history', async () => {
    const { x, y } = datasets.moons({ n: 200, noise: 0.1, seed: 3 });
    const test = datasets.moons({ n: 100, noise: 0.1, seed: 4 });
    const model = moonsModel(backend);
    model.compile({ loss: 'bce', optimizer: new Adam({ lr: 0.05 }), metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 150, batchSize: 16, validationData: [test.x, test.y] });
    expect(history.epochs).toBe(150);
    expect(history.loss[149]).toBeLessThan(history.loss[0]);
    expect(history.valLoss).toHaveLength(150);
    expect(history.accuracy).toHaveLength(150);
    expect(model.evaluate(x, y).accuracy).toBeGreaterThanOrEqual(0.95);
    expect(history.valAccuracy![149]).toBeGreaterThanOrEqual(0.95);
    const classes = model.predictClasses(x);
    expect(classes.every((c) => c === 0 || c === 1)).toBe(true);
    model.dispose();
  });

  it('holds out the last rows with validationSplit (before shuffling), as Keras does', async () => {
    const x = Array.from({ length: 10 }, (_, i) => [i / 10, 1 - i / 10]);
    const y = x.map((_, i) => (i < 8 ? 0 : 1));
    const model = moonsModel(backend);
    model.compile({ loss: 'bce', optimizer: 'sgd', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 1, validationSplit: 0.2 });
    const held = model.evaluate(x.slice(8), y.slice(8));
    expect(history.valLoss![0]).toBe(held.loss);
    expect(history.valAccuracy![0]).toBe(held.accuracy);
    model.dispose();
  });

  it('reports the batch loss before each update in onBatchEnd, and passes epoch logs', async () => {
    const { x, y } = datasets.moons({ n: 64, noise: 0.1, seed: 4 });
    const model = moonsModel(backend);
    model.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.5 }) });
    const before = model.evaluate(x, y).loss;
    const batchLosses: number[] = [];
    const epochs: number[] = [];
    await model.fit(x, y, {
      epochs: 2,
      batchSize: 64,
      shuffle: false,
      onBatchEnd: (_b, l) => batchLosses.push(l.loss),
      onEpochEnd: (e) => {
        epochs.push(e);
      },
    });
    expect(batchLosses[0]).toBeCloseTo(before, backend === 'wasm' ? 5 : 12);
    expect(epochs).toEqual([0, 1]);
    model.dispose();
  });

  it('is reproducible from a seed, shuffling included', async () => {
    const { x, y } = datasets.moons({ n: 100, noise: 0.2, seed: 5 });
    const run = async () => {
      const m = moonsModel(backend, 11);
      m.compile({ loss: 'bce', optimizer: 'adam' });
      await m.fit(x, y, { epochs: 3, batchSize: 10, shuffle: true });
      const w = m.getWeights();
      m.dispose();
      return w;
    };
    expect(await run()).toEqual(await run());
  });

  it('accepts class indices, one-hot rows and flat typed arrays alike', async () => {
    const x = { data: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), shape: [4, 2] };
    const indices = [0, 1, 1, 0];
    const oneHot = [
      [1, 0],
      [0, 1],
      [0, 1],
      [1, 0],
    ];
    const a = new Sequential([new Dense(2, 4), new Tanh(), new Dense(4, 2)], { backend, seed: 9 });
    const b = new Sequential([new Dense(2, 4), new Tanh(), new Dense(4, 2)], { backend, seed: 9 });
    a.compile({ loss: 'softmax_ce', optimizer: new SGD({ lr: 0.5 }) });
    b.compile({ loss: 'softmax_ce', optimizer: new SGD({ lr: 0.5 }) });
    await a.fit(x, indices, { epochs: 3, batchSize: 4 });
    await b.fit(
      [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      oneHot,
      { epochs: 3, batchSize: 4 },
    );
    expect(a.getWeights()).toEqual(b.getWeights());
    const out = a.predict(x);
    expect(out.shape).toEqual([4, 2]);
    const proba = a.predictProba(x);
    for (const row of proba) expect(row[0] + row[1]).toBeCloseTo(1, 12);
    a.dispose();
    b.dispose();
  });

  it('flattens image batches [n, h, w] like nn.Flatten', () => {
    const model = new Sequential([new Flatten(), new Dense(6, 3), new ReLU(), new Dense(3, 2), new Softmax()], { backend, seed: 1 });
    const images = [
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [
        [0, 1, 0],
        [1, 0, 1],
      ],
    ];
    const flat = [
      [1, 2, 3, 4, 5, 6],
      [0, 1, 0, 1, 0, 1],
    ];
    expect(model.predict(images)).toEqual(model.predict(flat));
    expect(model.predict({ data: new Float64Array(flat.flat()), shape: [2, 2, 3] }).data).toEqual(new Float64Array(model.predict(flat).flat()));
    model.dispose();
  });

  it('exposes the gradients of one batch without updating (backprop made visible)', () => {
    const model = mlp([2, 3, 1], { activation: 'sigmoid', backend, seed: 4 });
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    const before = model.getWeights();
    const { loss, gradients } = model.gradients(
      [
        [0, 1],
        [1, 0],
      ],
      [1, 0],
    );
    expect(loss).toBeGreaterThan(0);
    expect(gradients.map((g) => g.length)).toEqual(before.map((w) => w.length));
    expect(model.getWeights()).toEqual(before);
    model.dispose();
  });

  it('stops after the current batch when the AbortSignal fires, keeping the trained weights', async () => {
    const { x, y } = datasets.moons({ n: 200, noise: 0.2, seed: 8 });
    const model = moonsModel(backend);
    model.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.1 }) });
    const controller = new AbortController();
    let batches = 0;
    const history = await model.fit(x, y, {
      epochs: 5,
      batchSize: 10,
      signal: controller.signal,
      onBatchEnd: () => {
        if (++batches === 7) controller.abort();
      },
    });
    expect(batches).toBe(7);
    expect(history.stopped).toBe('aborted');
    expect(history.epochs).toBe(0);
    model.dispose();
  });
});

describe('backends', () => {
  it('draw identical initial weights from a seed (wasm holds their f32 rounding)', () => {
    const ref = mlp([5, 7, 3], { backend: 'reference', seed: 42, activation: 'tanh' });
    const wasm = mlp([5, 7, 3], { backend: 'wasm', seed: 42, activation: 'tanh' });
    const round = (w: unknown): unknown => (Array.isArray(w) ? w.map(round) : Math.fround(w as number));
    expect(wasm.getWeights()).toEqual(round(ref.getWeights()));
    ref.dispose();
    wasm.dispose();
  });
});
