// model.layerOutputs(x): every layer's output, on both backends — the f32 core against the
// float64 reference, the last entry against predict (bit for bit), the Dense and activation
// entries against their definitions, the input forms, and that nothing in the model changes.
import { describe, expect, it } from 'vitest';
import {
  BatchNorm,
  Dense,
  Dropout,
  Flatten,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
  LeakyReLU,
  Random,
  SGD,
  DisposedError,
  ShapeError,
  ValueError,
  threadsAvailable,
  type Layer,
} from '../src/index.js';
import { arenaBytesInUse } from '../src/wasm/core.js';

const BACKENDS = ['wasm', 'reference'] as const;

/** Every kind of layer and both kinds of stage: a fused activation, a Dense without one, a standalone activation. */
function mixedLayers(): Layer[] {
  return [new Dense(3, 5), new ReLU(), new Dense(5, 4), new Tanh(), new Sigmoid(), new Dense(4, 6, { useBias: false }), new Dense(6, 3), new Softmax()];
}
const MIXED_WIDTHS = [5, 5, 4, 4, 4, 6, 3, 3];

function randomRows(rows: number, cols: number, seed: number): number[][] {
  const r = new Random(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => r.uniform(-2, 2)));
}

function model(layers: Layer[], backend: 'wasm' | 'reference', seed = 7): Sequential {
  return new Sequential(layers, { seed, backend });
}

describe('layerOutputs', () => {
  it("gives one entry per layer, of the layer's width, the last equal to predict bit for bit, on both backends", () => {
    const x = randomRows(37, 3, 1);
    for (const backend of BACKENDS) {
      const m = model(mixedLayers(), backend);
      const outs = m.layerOutputs(x);
      expect(outs.map((o) => o[0].length)).toEqual(MIXED_WIDTHS);
      expect(outs.every((o) => o.length === 37)).toBe(true);
      expect(outs[outs.length - 1]).toEqual(m.predict(x));
      m.dispose();
    }
  });

  it('the f32 core agrees with the float64 reference on every layer', () => {
    const x = randomRows(50, 3, 2);
    const wasm = model(mixedLayers(), 'wasm');
    const ref = model(mixedLayers(), 'reference');
    const a = wasm.layerOutputs(x),
      b = ref.layerOutputs(x);
    a.forEach((layer, l) =>
      layer.forEach((row, r) =>
        row.forEach((v, j) => {
          expect(Math.abs(v - b[l][r][j])).toBeLessThan(1e-5 * Math.max(1, Math.abs(b[l][r][j])));
        }),
      ),
    );
    wasm.dispose();
    ref.dispose();
  });

  it('a Dense entry is x·W + b before its activation, an activation entry is the activation of the entry before', () => {
    const x = randomRows(9, 3, 3);
    for (const backend of BACKENDS) {
      const m = model(mixedLayers(), backend);
      const outs = m.layerOutputs(x);
      const [W0, b0] = m.getWeights() as [number[][], number[]];
      // The reference sums in float64 in this order; the core in f32.
      const z = x.map((row) => b0.map((bj, j) => row.reduce((s, v, i) => s + v * W0[i][j], 0) + bj));
      if (backend === 'reference') expect(outs[0]).toEqual(z);
      else outs[0].forEach((row, r) => row.forEach((v, j) => expect(v).toBeCloseTo(z[r][j], 5)));
      // ReLU is exact in both: max(0, z).
      expect(outs[1]).toEqual(outs[0].map((row) => row.map((v) => (v > 0 ? v : 0))));
      // Sigmoid stands alone after Tanh (a second activation in a row is a stage of its own).
      outs[4].forEach((row, r) => row.forEach((v, j) => expect(v).toBeCloseTo(1 / (1 + Math.exp(-outs[3][r][j])), 6)));
      // Softmax rows sum to 1.
      for (const row of outs[7]) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
      m.dispose();
    }
  });

  it("takes predict's input forms: { data, shape } gives typed entries, nested rows and one flat row give rows", () => {
    const x = randomRows(6, 3, 4);
    const data = Float32Array.from(x.flat());
    for (const backend of BACKENDS) {
      const m = model(mixedLayers(), backend);
      const typed = m.layerOutputs({ data, shape: [6, 3] });
      expect(typed.map((o) => o.shape)).toEqual(MIXED_WIDTHS.map((w) => [6, w]));
      expect(typed.every((o) => o.data instanceof Float64Array)).toBe(true);
      expect(typed[typed.length - 1]).toEqual(m.predict({ data, shape: [6, 3] }));
      const rows = m.layerOutputs(Array.from(data.subarray(0, 3)));
      expect(rows.map((o) => o.length)).toEqual(MIXED_WIDTHS.map(() => 1));
      expect(rows[3][0]).toEqual(Array.from(typed[3].data.subarray(0, 4)));
      m.dispose();
    }
  });

  it('Flatten gives the flattened images, and a leading activation is a stage of its own', () => {
    const images = [
      [
        [1, -2, 3],
        [-4, 5, -6],
      ],
      [
        [0.5, 0, -0.5],
        [2, -1, 1],
      ],
    ];
    for (const backend of BACKENDS) {
      const m = model([new LeakyReLU(0.5), new Flatten(), new Dense(6, 2), new Sigmoid()], backend);
      const outs = m.layerOutputs(images);
      const flat = images.map((im) => im.flat());
      expect(outs[0]).toEqual(flat.map((row) => row.map((v) => (v > 0 ? v : 0.5 * v))));
      expect(outs[1]).toEqual(outs[0]);
      expect(outs[3]).toEqual(m.predict(images));
      m.dispose();
    }
  });

  it('stays bit-identical to predict past its row chunks, through every GEMM path (packed panel, one output column)', () => {
    const x = randomRows(2501, 3, 5);
    const m = model([new Dense(3, 72), new ReLU(), new Dense(72, 1), new Sigmoid()], 'wasm');
    const outs = m.layerOutputs(x);
    expect(outs[3]).toEqual(m.predict(x));
    expect(outs.map((o) => o.length)).toEqual([2501, 2501, 2501, 2501]);
    m.dispose();
  });

  it("changes nothing: weights, optimiser and shuffle state, and the arena's bytes in use", async () => {
    const x = randomRows(40, 3, 6);
    const y = x.map((row) => (row[0] + row[1] > 0 ? 1 : 0));
    for (const backend of BACKENDS) {
      const m = model([new Dense(3, 8), new Tanh(), new Dense(8, 2)], backend);
      m.compile({ loss: 'softmax_ce', optimizer: new SGD({ lr: 0.1, momentum: 0.9 }) });
      await m.fit(x, y, { epochs: 2, batchSize: 16 });
      const before = JSON.stringify(m.toJSON({ includeOptimizer: true }));
      const bytes = arenaBytesInUse();
      const predicted = m.predict(x);
      m.layerOutputs(x);
      m.layerOutputs({ data: Float64Array.from(x.flat()), shape: [40, 3] });
      expect(JSON.stringify(m.toJSON({ includeOptimizer: true }))).toBe(before);
      expect(arenaBytesInUse()).toBe(bytes);
      expect(m.predict(x)).toEqual(predicted);
      m.dispose();
    }
  });

  it('refuses bad input before any work, and a disposed model', () => {
    for (const backend of BACKENDS) {
      const m = model(mixedLayers(), backend);
      expect(() => m.layerOutputs([[1, 2]])).toThrow(ShapeError);
      expect(() => m.layerOutputs([[1, NaN, 3]])).toThrow(ValueError);
      expect(() => m.layerOutputs({ data: new Float32Array(5), shape: [2, 3] })).toThrow(ShapeError);
      m.dispose();
      expect(() => m.layerOutputs([[1, 2, 3]])).toThrow(DisposedError);
    }
  });

  /** BatchNorm with and without a fused activation, on the input and after a Dense, and Dropouts. */
  function normLayers(): Layer[] {
    return [
      new BatchNorm(3),
      new Dense(3, 6),
      new BatchNorm(6),
      new Tanh(),
      new Dropout(0.4),
      new Dense(6, 4),
      new BatchNorm(4),
      new Dropout(0.2),
      new Dense(4, 2),
    ];
  }
  /** Trained a little on the core (so the running estimates and gamma, beta are not their initial values). */
  async function trainedNorm(): Promise<{ m: Sequential; x: number[][] }> {
    const x = randomRows(64, 3, 9).map((r) => [r[0] * 3 + 1, r[1] - 2, r[2] * 0.5]);
    const y = x.map((row) => (row[0] + row[1] > 0 ? 1 : 0));
    const m = model(normLayers(), 'wasm');
    m.compile({ loss: 'softmax_ce', optimizer: new SGD({ lr: 0.1 }) });
    await m.fit(x, y, { epochs: 3, batchSize: 16 });
    return { m, x };
  }

  it('BatchNorm (running estimates) and Dropout (identity) on the core: the last entry equals predict bit for bit, every entry the reference within 1e-5', async () => {
    const { m, x } = await trainedNorm();
    const ref = model(normLayers(), 'reference');
    ref.setWeights(m.getWeights());
    const a = m.layerOutputs(x),
      b = ref.layerOutputs(x);
    expect(a.map((o) => o[0].length)).toEqual([3, 6, 6, 6, 6, 4, 4, 4, 2]);
    expect(a[a.length - 1]).toEqual(m.predict(x));
    expect(b[b.length - 1]).toEqual(ref.predict(x));
    a.forEach((layer, l) =>
      layer.forEach((row, r) =>
        row.forEach((v, j) => {
          expect(Math.abs(v - b[l][r][j]), `layer ${l} row ${r} col ${j}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(b[l][r][j])));
        }),
      ),
    );
    m.dispose();
    ref.dispose();
  });

  it('a BatchNorm entry is gamma · (x - running mean) / sqrt(running var + eps) + beta of the entry before, a Dropout entry equals its input', async () => {
    const { m, x } = await trainedNorm();
    const ref = model(normLayers(), 'reference');
    ref.setWeights(m.getWeights());
    for (const mm of [m, ref]) {
      const outs = mm.layerOutputs(x);
      const [gamma, beta, mean, variance] = mm.getWeights().slice(0, 4) as number[][];
      expect(mean.some((v) => v !== 0) && variance.some((v) => v !== 1)).toBe(true);
      outs[0].forEach((row, r) =>
        row.forEach((v, j) => {
          expect(v).toBeCloseTo((gamma[j] * (x[r][j] - mean[j])) / Math.sqrt(variance[j] + 1e-5) + beta[j], 4);
        }),
      );
      // Tanh is fused into the second BatchNorm; the Dropouts pass values through exactly.
      outs[3].forEach((row, r) => row.forEach((v, j) => expect(v).toBeCloseTo(Math.tanh(outs[2][r][j]), 6)));
      expect(outs[4]).toEqual(outs[3]);
      expect(outs[7]).toEqual(outs[6]);
    }
    m.dispose();
    ref.dispose();
  });

  it.skipIf(!threadsAvailable())('on a model whose network moved to the threads build, still equals predict (which runs on the team)', async () => {
    const x = randomRows(3000, 3, 8);
    const m = model([new Dense(3, 128), new ReLU(), new Dense(128, 64), new Tanh(), new Dense(64, 1)], 'wasm');
    const single = m.layerOutputs(x);
    await m.startThreads({ threads: 2, batchSize: 3000 });
    const outs = m.layerOutputs(x);
    expect(outs).toEqual(single);
    expect(outs[4]).toEqual(m.predict(x));
    m.dispose();
  });
});
