/**
 * BatchNorm and Dropout on the WebAssembly core: the same steps as the float64 reference within
 * the f32 bound (dropout masks mask for mask: a different mask would be off by O(1)), bit-identical
 * on 1, 2 and 3 threads, and the arena holding exactly what the memory plan says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready, arenaBytesInUse } from '../src/wasm/core.js';
import { WasmEngine } from '../src/wasm/engine.js';
import { ReferenceEngine } from '../src/reference/engine.js';
import type { Engine } from '../src/engine.js';
import { StepStatus } from '../src/engine.js';
import { parameterLayout, type OptimizerConfig, type Plan, type Stage } from '../src/plan.js';
import { expectedArenaBytes } from '../src/bench/memory.js';
import { BatchNorm, Dense, Dropout, ReLU, Sequential, Tanh, datasets } from '../src/index.js';
import { rng } from './helpers/rng.js';

beforeAll(async () => {
  await ready();
});
const engines: Engine[] = [];
afterAll(() => {
  for (const e of engines) e.dispose();
});

const adam: OptimizerConfig = { type: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decayBiases: false, amsgrad: false };
const momentum: OptimizerConfig = { type: 'sgd', lr: 0.05, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0.001, decayBiases: true };

const STAGES: Stage[] = [
  { kind: 'dense', inSize: 5, outSize: 12, useBias: false, activation: 'identity', alpha: 0 },
  { kind: 'batchnorm', size: 12, eps: 1e-5, momentum: 0.1, activation: 'relu', alpha: 0 },
  { kind: 'dropout', size: 12, rate: 0.3, activation: 'identity', alpha: 0 },
  { kind: 'dense', inSize: 12, outSize: 7, useBias: true, activation: 'tanh', alpha: 0 },
  { kind: 'batchnorm', size: 7, eps: 1e-3, momentum: 0.25, activation: 'identity', alpha: 0 },
  { kind: 'dropout', size: 7, rate: 0.5, activation: 'identity', alpha: 0 },
  { kind: 'dense', inSize: 7, outSize: 3, useBias: true, activation: 'identity', alpha: 0 },
];
const plan = (optimizer: OptimizerConfig): Plan => ({ inputSize: 5, outputSize: 3, stages: STAGES, loss: 'softmax_ce', optimizer });

/** Parameters for the plan: weights small random f32 values, gamma near 1, running variance positive. */
function initial(p: Plan, seed: number): Float64Array[] {
  const r = rng(seed);
  return parameterLayout(p).map((e) =>
    Float64Array.from({ length: e.length }, () => {
      const v = Math.fround(r() * 0.5);
      if (e.name.endsWith('_gamma') || e.name.endsWith('_running_var')) return Math.fround(1 + v * 0.5);
      return v;
    }),
  );
}

function dataset(rows: number, seed: number): { x: Float32Array; y: Float32Array } {
  const r = rng(seed);
  const x = Float32Array.from({ length: rows * 5 }, () => r() * 2);
  const y = new Float32Array(rows * 3);
  for (let i = 0; i < rows; i++) y[i * 3 + (Math.floor((r() + 1) * 1.5) % 3)] = 1;
  return { x, y };
}

type Trace = { losses: number[]; params: Float64Array[]; out: Float64Array; gradLoss: number; grads: Float64Array[] };

/** `steps` training steps of `batch` rows (the last batch of an epoch shorter), a fresh noise seed each. */
async function train(engine: Engine, threads: number, steps: number, batch: number, seed: number): Promise<Trace> {
  engines.push(engine);
  engine.setParameters(initial(engine.plan, seed));
  await engine.prepare?.({ threads, batchSize: batch });
  const rows = 3 * batch + 2;
  const { x, y } = dataset(rows, seed + 1);
  const data = engine.loadData(x, y, rows);
  const losses: number[] = [];
  const noise = rng(seed + 2);
  for (let s = 0; s < steps; s++) {
    const start = (s % 4) * batch;
    engine.setNoiseSeed(Math.floor((noise() + 1) * 2 ** 31));
    losses.push(engine.trainStep(data, start, Math.min(batch, rows - start)));
    expect(engine.lastStatus).toBe(StepStatus.Ok);
  }
  const gradLoss = engine.computeGradients(data, 0, batch);
  const out = engine.predict(x, rows);
  data.dispose();
  return { losses, params: engine.getParameters(), out, gradLoss, grads: engine.getGradients() };
}

function worst(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return e;
}

describe('BatchNorm + Dropout: wasm core against the reference', () => {
  it.each([
    ['adam', adam],
    ['sgd momentum', momentum],
  ] as const)('%s: 12 steps agree within the f32 bound', async (_, optimizer) => {
    const a = await train(new WasmEngine(plan(optimizer)), 1, 12, 9, 3);
    const b = await train(new ReferenceEngine(plan(optimizer)), 1, 12, 9, 3);
    expect(worst(a.losses, b.losses)).toBeLessThan(1e-4);
    a.params.forEach((p, i) => expect(worst(p, b.params[i]), parameterLayout(plan(optimizer))[i].name).toBeLessThan(1e-4));
    expect(worst(a.out, b.out)).toBeLessThan(1e-4);
    expect(worst([a.gradLoss], [b.gradLoss])).toBeLessThan(1e-4);
    a.grads.forEach((g, i) => expect(worst(g, b.grads[i])).toBeLessThan(1e-3));
    // The running estimates moved and their gradient is zero.
    const layout = parameterLayout(plan(optimizer));
    const rv = layout.findIndex((e) => e.name === 'bn1_running_var');
    expect(worst(a.params[rv], initial(plan(optimizer), 3)[rv])).toBeGreaterThan(1e-3);
    expect(Array.from(a.grads[rv]).every((v) => v === 0)).toBe(true);
  });

  it('another noise seed gives other masks: the loss of the same step differs', async () => {
    const { x, y } = dataset(20, 4);
    const losses = [1, 2, 1].map((seed) => {
      const e = new WasmEngine(plan(momentum));
      engines.push(e);
      e.setParameters(initial(e.plan, 3));
      const data = e.loadData(x, y, 20);
      e.setNoiseSeed(seed);
      const l = [e.computeGradients(data, 0, 20), e.trainStep(data, 0, 20)]; // no dropout in computeGradients
      data.dispose();
      return l;
    });
    expect(losses[1][0]).toBe(losses[0][0]);
    expect(losses[1][1]).not.toBe(losses[0][1]);
    expect(losses[2]).toEqual(losses[0]);
  });
});

describe('BatchNorm + Dropout: threads change nothing', () => {
  it.each([
    ['adam', adam],
    ['sgd momentum', momentum],
  ] as const)('%s: 1, 2 and 3 threads are bit-identical', async (_, optimizer) => {
    const one = await train(new WasmEngine(plan(optimizer)), 1, 10, 23, 9);
    for (const t of [2, 3]) {
      const e = new WasmEngine(plan(optimizer));
      const other = await train(e, t, 10, 23, 9);
      expect(e.threads).toBe(t);
      expect(other.losses).toEqual(one.losses);
      other.params.forEach((p, i) => expect(Array.from(p)).toEqual(Array.from(one.params[i])));
      other.grads.forEach((g, i) => expect(Array.from(g)).toEqual(Array.from(one.grads[i])));
      expect(Array.from(other.out)).toEqual(Array.from(one.out));
      expect(other.gradLoss).toBe(one.gradLoss);
    }
  });
});

describe('BatchNorm + Dropout through fit', () => {
  it('a BatchNorm on the input, a Dropout after it, shuffled batches: backends agree, threads change nothing', async () => {
    const { x, y } = datasets.moons({ n: 90, noise: 0.2, seed: 8 });
    const trained = async (backend: 'wasm' | 'reference', threads: number) => {
      const m = new Sequential([new BatchNorm(2, { momentum: 0.3 }), new Dropout(0.2), new Dense(2, 16), new ReLU(), new Dense(16, 1)], { backend, seed: 4 });
      m.compile({ loss: 'bce_logits', optimizer: { type: 'adam', lr: 0.02 } });
      await m.fit(x, y, { epochs: 4, batchSize: 20, threads });
      const w = m.getWeights().flat(2) as number[];
      m.dispose();
      return w;
    };
    const wasm = await trained('wasm', 1);
    const ref = await trained('reference', 1);
    expect(Math.max(...wasm.map((v, i) => Math.abs(v - ref[i]) / Math.max(1, Math.abs(ref[i]))))).toBeLessThan(1e-5);
    expect(await trained('wasm', 2)).toEqual(wasm);
  });
});

describe('BatchNorm + Dropout: the memory plan', () => {
  it('the arena holds exactly expectedArenaBytes while fit trains', async () => {
    const before = arenaBytesInUse();
    const model = new Sequential(
      [new Dense(5, 16), new BatchNorm(16), new ReLU(), new Dropout(0.2), new Dense(16, 8), new Tanh(), new BatchNorm(8), new Dense(8, 3)],
      { seed: 2 },
    );
    model.compile({ loss: 'softmax_ce', optimizer: { type: 'adam', lr: 0.01 } });
    const { x, y } = dataset(40, 6);
    const seen: number[] = [];
    await model.fit(
      { data: x, shape: [40, 5] },
      { data: y, shape: [40, 3] },
      {
        epochs: 2,
        batchSize: 16,
        shuffle: false,
        onBatchEnd: () => {
          seen.push(arenaBytesInUse() - before);
        },
      },
    );
    const capacity = (model.liveEngine as WasmEngine).capacity;
    const expected = expectedArenaBytes(model.plan, capacity, 40).total;
    expect(new Set(seen)).toEqual(new Set([expected]));
    model.dispose();
    expect(arenaBytesInUse()).toBe(before);
  });
});
