/**
 * Dropout: the masks' statistics (kept fraction 1 - rate, expectation preserved by the
 * 1 / (1 - rate) scale, no correlation between stages or steps), the very same masks on both
 * backends and in src/dropout-mask.ts, identity outside fit, and runs reproducible from the seed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dropoutMask } from '../src/dropout-mask.js';
import { ready } from '../src/wasm/core.js';
import { WasmEngine } from '../src/wasm/engine.js';
import { ReferenceEngine } from '../src/reference/engine.js';
import type { Engine } from '../src/engine.js';
import type { Plan } from '../src/plan.js';
import { Dense, Dropout, ReLU, Sequential, Tanh, datasets } from '../src/index.js';

beforeAll(async () => {
  await ready();
});

const N = 200_000;

describe('dropout masks', () => {
  it.each([0.1, 0.5, 0.8])('rate %s: kept fraction and mean within 5 standard errors', (rate) => {
    for (const [seed, stage] of [
      [1, 0],
      [0xdeadbeef, 3],
    ]) {
      const m = dropoutMask(new Float64Array(N), seed, stage, rate);
      const kept = m.filter((v) => v !== 0).length / N;
      const se = Math.sqrt((rate * (1 - rate)) / N);
      expect(Math.abs(kept - (1 - rate))).toBeLessThan(5 * se);
      // E[mask] = 1: the expected output equals the input.
      const mean = m.reduce((a, v) => a + v, 0) / N;
      expect(Math.abs(mean - 1)).toBeLessThan((5 * se) / (1 - rate));
      expect(new Set(m)).toEqual(new Set([0, 1 / (1 - rate)]));
    }
  });

  it('stages, seeds and neighbouring elements are uncorrelated', () => {
    const keep = (seed: number, stage: number) => dropoutMask(new Float64Array(N), seed, stage, 0.5).map((v) => (v ? 1 : -1));
    const corr = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0) / N;
    const a = keep(7, 0);
    const limit = 5 / Math.sqrt(N);
    expect(Math.abs(corr(a, keep(7, 1)))).toBeLessThan(limit);
    expect(Math.abs(corr(a, keep(8, 0)))).toBeLessThan(limit);
    expect(Math.abs((corr(a.subarray(1), a.subarray(0, N - 1)) * N) / (N - 1))).toBeLessThan(limit);
    expect(Array.from(keep(7, 0))).toEqual(Array.from(a)); // a pure function of (seed, stage)
  });
});

/** x = 1 -> Dense(1, W, all ones) -> Dropout(rate) -> Dense(W = I) with sse against 0: dL/dW0[c] = Σ_r mask[r, c]². */
function probePlan(width: number, rate: number): Plan {
  return {
    inputSize: 1,
    outputSize: width,
    loss: 'sse',
    optimizer: { type: 'sgd', lr: 0, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, decayBiases: true },
    stages: [
      { kind: 'dense', inSize: 1, outSize: width, useBias: false, activation: 'identity', alpha: 0 },
      { kind: 'dropout', size: width, rate, activation: 'identity', alpha: 0 },
      { kind: 'dense', inSize: width, outSize: width, useBias: false, activation: 'identity', alpha: 0 },
    ],
  };
}

/** The squared masks each engine drew in one training step (lr 0), read back from dL/dW0. */
function probe(engine: Engine, seed: number, rows: number): { grad: Float64Array; loss: number } {
  const w = engine.plan.outputSize;
  const eye = new Float64Array(w * w);
  for (let i = 0; i < w; i++) eye[i * w + i] = 1;
  engine.setParameters([new Float64Array(w).fill(1), eye]);
  const data = engine.loadData(new Float64Array(rows).fill(1), new Float64Array(rows * w), rows);
  engine.setNoiseSeed(seed);
  const loss = engine.trainStep(data, 0, rows);
  data.dispose();
  const grad = engine.getGradients()[0];
  engine.dispose();
  return { grad, loss };
}

describe('dropout on the engines', () => {
  it('both backends draw the masks of src/dropout-mask.ts, element for element', () => {
    for (const [rate, seed] of [
      [0.3, 12345],
      [0.75, 4000000000],
    ]) {
      const want = dropoutMask(new Float64Array(37), seed, 0, rate).map((v) => v * v);
      const ref = probe(new ReferenceEngine(probePlan(37, rate)), seed, 1);
      const wasm = probe(new WasmEngine(probePlan(37, rate)), seed, 1);
      expect(Array.from(ref.grad)).toEqual(Array.from(want));
      wasm.grad.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
      expect(wasm.grad.map((v) => (v === 0 ? 0 : 1))).toEqual(want.map((v) => (v === 0 ? 0 : 1)));
    }
    // Several rows: element e = r · width + c; the column sums agree only if every row's mask does.
    const ref = probe(new ReferenceEngine(probePlan(29, 0.5)), 99, 11);
    const wasm = probe(new WasmEngine(probePlan(29, 0.5)), 99, 11);
    const masks = dropoutMask(new Float64Array(11 * 29), 99, 0, 0.5);
    const sums = Array.from({ length: 29 }, (_, c) => Array.from({ length: 11 }, (_, r) => masks[r * 29 + c] ** 2).reduce((a, b) => a + b));
    expect(Array.from(ref.grad)).toEqual(sums);
    expect(Array.from(wasm.grad)).toEqual(sums); // small integers times 4: exact in f32 too
    expect(wasm.loss).toBe(ref.loss);
  });

  it('the expected output is preserved: the mean training-mode output over 400 steps is the input', () => {
    // x = 1 -> Dense(1, 50, W = 1) -> Dropout(0.4) -> Dense(50, 1, W = 1/50): out = the mean of 50 mask values,
    // read back from the sse loss against a far target T: loss = (out - T)² / 2.
    const plan = probePlan(50, 0.4);
    const engine = new ReferenceEngine({
      ...plan,
      outputSize: 1,
      stages: [...plan.stages.slice(0, 2), { kind: 'dense', inSize: 50, outSize: 1, useBias: false, activation: 'identity', alpha: 0 }],
    });
    engine.setParameters([new Float64Array(50).fill(1), new Float64Array(50).fill(1 / 50)]);
    const T = 1000;
    const data = engine.loadData([1], [T], 1);
    let sum = 0;
    for (let s = 0; s < 400; s++) {
      engine.setNoiseSeed(s);
      sum += T - Math.sqrt(2 * engine.trainStep(data, 0, 1));
    }
    const se = Math.sqrt(0.4 / 0.6) / Math.sqrt(400 * 50);
    expect(Math.abs(sum / 400 - 1)).toBeLessThan(5 * se);
    expect(engine.predict([1], 1)[0]).toBeCloseTo(1, 14); // predict: no dropout
    engine.dispose();
  });
});

describe('Dropout in a model', () => {
  const layers = (rate: number | null) => [
    new Dense(2, 24),
    new ReLU(),
    ...(rate === null ? [] : [new Dropout(rate)]),
    new Dense(24, 8),
    new Tanh(),
    new Dense(8, 2),
  ];
  const { x, y } = datasets.moons({ n: 64, noise: 0.1, seed: 3 });

  it.each(['reference', 'wasm'] as const)('is the identity in predict, evaluate and gradients (%s)', (backend) => {
    const a = new Sequential(layers(0.5), { backend, seed: 5 });
    const b = new Sequential(layers(null), { backend, seed: 5 });
    for (const m of [a, b]) m.compile({ loss: 'softmax_ce', optimizer: 'sgd' });
    expect(a.getWeights()).toEqual(b.getWeights());
    expect(a.predict(x)).toEqual(b.predict(x));
    expect(a.evaluate(x, y)).toEqual(b.evaluate(x, y));
    expect(a.gradients(x, y)).toEqual(b.gradients(x, y));
    a.dispose();
    b.dispose();
  });

  it.each(['reference', 'wasm'] as const)('a run is reproducible from its seed; another seed differs; fit is not the identity (%s)', async (backend) => {
    const trained = async (seed: number, rate: number | null) => {
      const m = new Sequential(layers(rate), { backend, seed });
      m.compile({ loss: 'softmax_ce', optimizer: { type: 'adam', lr: 0.01 } });
      await m.fit(x, y, { epochs: 3, batchSize: 16 });
      const w = m.getWeights();
      m.dispose();
      return w;
    };
    const first = await trained(5, 0.5);
    expect(await trained(5, 0.5)).toEqual(first);
    expect(await trained(6, 0.5)).not.toEqual(first);
    expect(await trained(5, null)).not.toEqual(first);
  });

  it('the backends train the same with dropout (same masks) within the f32 bound', async () => {
    const weights = await Promise.all(
      (['reference', 'wasm'] as const).map(async (backend) => {
        const m = new Sequential(layers(0.3), { backend, seed: 9 });
        m.compile({ loss: 'softmax_ce', optimizer: { type: 'sgd', lr: 0.1 } });
        await m.fit(x, y, { epochs: 4, batchSize: 16 });
        const w = m.getWeights().flat(2) as number[];
        m.dispose();
        return w;
      }),
    );
    const err = Math.max(...weights[0].map((v, i) => Math.abs(v - weights[1][i]) / Math.max(1, Math.abs(v))));
    expect(err).toBeLessThan(1e-5);
  });
});
