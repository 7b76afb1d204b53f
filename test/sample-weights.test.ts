/**
 * fit's sampleWeight and classWeight: the weighted loss (1/B) Σ w_i l_i (Keras's default
 * reduction) by hand, the engines' weighted steps against each other and against an unweighted
 * run on repeated rows, the thread count not mattering, and bad weights refused before work.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, Dense, Sequential, SGD, ShapeError, Sigmoid, Softmax, ValueError, type BackendName, type LossSpec } from '../src/index.js';
import { createEngine } from '../src/backends.js';
import { lower } from '../src/model/lower.js';

const x = [
  [0.1, 0.9],
  [0.8, 0.3],
  [0.5, 0.5],
  [0.2, 0.4],
  [0.9, 0.7],
];
const y = [[1], [0], [1], [0], [1]];
const w = [1, 3, 0.5, 2, 0];

function model(backend: BackendName, loss: LossSpec = 'mse'): Sequential {
  const m = new Sequential([new Dense(2, 3, { init: { name: 'normal', std: 0.5 } }), new Sigmoid(), new Dense(3, 1, { init: { name: 'normal', std: 0.5 } })], {
    seed: 7,
    backend,
  });
  return m.compile({ loss, optimizer: new SGD({ lr: 0.1 }) });
}

describe('weighted loss', () => {
  for (const backend of ['reference', 'wasm'] as const) {
    it(`${backend}: the step's loss is (1/B) Σ w_i l_i, by hand (mse, one output)`, () => {
      const m = model(backend);
      const p = m.predict(x).map((r) => r[0]);
      const hand = p.reduce((s, v, i) => s + w[i] * (v - y[i][0]) ** 2, 0) / x.length;
      const e = createEngine(lower(m.layers, 'mse', new SGD({ lr: 0.1 }).config), backend);
      e.setParameters((m as unknown as { liveEngine: { getParameters(): Float64Array[] } }).liveEngine.getParameters());
      const d = e.loadData(x.flat(), y.flat(), x.length, w);
      const loss = e.computeGradients(d, 0, x.length);
      expect(Math.abs(loss - hand)).toBeLessThan(backend === 'wasm' ? 1e-6 : 1e-14);
      d.dispose();
      e.dispose();
      m.dispose();
    });
  }

  it('integer weights equal repeating rows (sse sums, so one full batch matches exactly in float64)', async () => {
    const a = model('reference', 'sse'),
      b = model('reference', 'sse');
    const ww = [1, 3, 2, 2, 1];
    const xr = x.flatMap((r, i) => Array(ww[i]).fill(r)),
      yr = y.flatMap((r, i) => Array(ww[i]).fill(r));
    await a.fit(x, y, { epochs: 3, batchSize: 100, shuffle: false, sampleWeight: ww });
    await b.fit(xr, yr, { epochs: 3, batchSize: 100, shuffle: false });
    a.getWeights()
      .flat(2)
      .forEach((v, i) => expect(Math.abs(v - (b.getWeights().flat(2)[i] as number))).toBeLessThan(1e-12));
  });

  for (const loss of ['mse', 'bce_logits', 'huber', 'sse'] as const) {
    it(`wasm agrees with the reference on a weighted, shuffled fit (${loss})`, async () => {
      const r = model('reference', loss),
        m = model('wasm', loss);
      const hr = await r.fit(x, y, { epochs: 4, batchSize: 2, sampleWeight: w });
      const hm = await m.fit(x, y, { epochs: 4, batchSize: 2, sampleWeight: w });
      hm.loss.forEach((v, i) => expect(Math.abs(v - hr.loss[i])).toBeLessThan(1e-5));
      const wr = r.getWeights().flat(2) as number[];
      (m.getWeights().flat(2) as number[]).forEach((v, i) => expect(Math.abs(v - wr[i])).toBeLessThan(1e-5));
      // Weights change the result: an unweighted run ends elsewhere.
      const u = model('wasm', loss);
      await u.fit(x, y, { epochs: 4, batchSize: 2 });
      expect(u.getWeights().flat(2)).not.toEqual(m.getWeights().flat(2));
      r.dispose();
      m.dispose();
      u.dispose();
    });
  }

  it('classWeight weights each row by its class (softmax, several outputs), times sampleWeight', async () => {
    const mk = (backend: BackendName) =>
      new Sequential([new Dense(2, 3, { init: { name: 'normal', std: 0.5 } }), new Softmax()], { seed: 3, backend }).compile({
        loss: 'categorical_ce',
        optimizer: new SGD({ lr: 0.5 }),
      });
    const labels = [0, 2, 1, 2, 0];
    const cw = { 0: 1, 1: 4, 2: 0.5 };
    const a = mk('wasm'),
      b = mk('wasm'),
      r = mk('reference');
    await a.fit(x, labels, { epochs: 2, batchSize: 5, shuffle: false, classWeight: cw, sampleWeight: [1, 1, 2, 1, 1] });
    await b.fit(x, labels, { epochs: 2, batchSize: 5, shuffle: false, sampleWeight: labels.map((c, i) => cw[c as 0 | 1 | 2] * [1, 1, 2, 1, 1][i]) });
    await r.fit(x, labels, { epochs: 2, batchSize: 5, shuffle: false, classWeight: [1, 4, 0.5], sampleWeight: [1, 1, 2, 1, 1] });
    expect(a.getWeights()).toEqual(b.getWeights());
    (a.getWeights().flat(2) as number[]).forEach((v, i) => expect(Math.abs(v - (r.getWeights().flat(2)[i] as number))).toBeLessThan(1e-5));
  });

  it('threads do not change a weighted step', async () => {
    const one = model('wasm'),
      two = new Sequential(model('wasm').layers as never, { seed: 7, threads: 2 });
    two.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.1 }) });
    const xs = Array.from({ length: 64 }, (_, i) => [Math.sin(i), Math.cos(i * 0.7)]);
    const ys = xs.map((r) => [r[0] * r[1] > 0 ? 1 : 0]);
    const ws = xs.map((_, i) => (i % 5) * 0.5);
    await one.fit(xs, ys, { epochs: 2, batchSize: 32, sampleWeight: ws });
    await two.fit(xs, ys, { epochs: 2, batchSize: 32, sampleWeight: ws, threads: 2 });
    expect(two.getWeights()).toEqual(one.getWeights());
    one.dispose();
    two.dispose();
  });

  it('bad weights throw before any training', async () => {
    const m = model('wasm');
    const before = m.getWeights();
    await expect(m.fit(x, y, { sampleWeight: [1, 2] })).rejects.toThrow(ShapeError);
    await expect(m.fit(x, y, { sampleWeight: [1, -1, 1, 1, 1] })).rejects.toThrow(ValueError);
    await expect(m.fit(x, y, { sampleWeight: [1, NaN, 1, 1, 1] })).rejects.toThrow(ValueError);
    await expect(m.fit(x, y, { classWeight: { 0: 1 } })).rejects.toThrow(/no weight for class 1/);
    await expect(m.fit(x, y, { classWeight: { a: 1 } as never })).rejects.toThrow(ConfigError);
    expect(m.getWeights()).toEqual(before);
  });
});
