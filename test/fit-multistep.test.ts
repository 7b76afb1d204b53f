/**
 * fit's multi-step path (src/model/fit-epoch.ts, Engine.trainSteps) against the per-step loop
 * it replaces, forced by a no-op onBatchEnd: bit-identical weights, optimiser state, history
 * and shuffle / dropout stream on both backends, with shuffle, validation, sample weights,
 * BatchNorm and Dropout, an epoch schedule, running ahead across epochs, 2 threads, a failing
 * step, and an abort resumed by a second fit.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  Adam,
  BatchNorm,
  Dense,
  Dropout,
  NonFiniteError,
  ReLU,
  SGD,
  Sequential,
  Sigmoid,
  Tanh,
  datasets,
  ready,
  threadsAvailable,
  type FitOptions,
} from '../src/index.js';
import type { WasmEngine } from '../src/wasm/engine.js';
import { arenaBytesInUse } from '../src/wasm/core.js';
import type { Layer } from '../src/model/layers.js';

beforeAll(async () => {
  await ready();
});

const BACKENDS = ['wasm', 'reference'] as const;
const { x, y } = datasets.moons({ n: 203, noise: 0.2, seed: 4 });
const val = datasets.moons({ n: 40, noise: 0.2, seed: 5 });
const weights = x.map((_, i) => 0.5 + (i % 3) * 0.25);

type Make = (backend: 'wasm' | 'reference') => Sequential;
const noisy: Make = (backend) =>
  new Sequential([new Dense(2, 8), new BatchNorm(8), new ReLU(), new Dropout(0.25), new Dense(8, 1), new Sigmoid()] as Layer[], { seed: 11, backend }).compile({
    loss: 'bce',
    optimizer: new Adam({ lr: 0.02 }),
    metrics: ['accuracy'],
    schedule: { type: 'step', stepSize: 2, gamma: 0.5 },
  });
const tiny: Make = (backend) =>
  new Sequential([new Dense(2, 4), new Tanh(), new Dense(4, 1), new Sigmoid()] as Layer[], { seed: 2, backend }).compile({
    loss: 'mse',
    optimizer: new SGD({ lr: 0.5 }),
  });
const tinyDropout: Make = (backend) =>
  new Sequential([new Dense(2, 6), new Tanh(), new Dropout(0.2), new Dense(6, 1), new Sigmoid()] as Layer[], { seed: 3, backend }).compile({
    loss: 'mse',
    optimizer: new SGD({ lr: 0.5, momentum: 0.9 }),
  });

/** Everything a fit leaves behind that the two paths must agree on. */
function outcome(m: Sequential, h: Awaited<ReturnType<Sequential['fit']>>) {
  const engine = m.liveEngine;
  return {
    weights: m.getWeights(),
    state: engine.getOptimizerState(),
    history: h.history,
    epochs: h.epochs,
    stopped: h.stopped,
    random: m.shuffleRandom.getState(),
    pending: m.pendingEpoch,
  };
}

/** Fits a fresh model twice (multi-step, then per-step through a no-op onBatchEnd); returns both outcomes and the multi-step engine's call counts. */
async function both(make: Make, backend: 'wasm' | 'reference', options: FitOptions) {
  const fast = make(backend),
    slow = make(backend);
  const runs = vi.spyOn(fast.liveEngine, 'trainSteps');
  const steps = vi.spyOn(fast.liveEngine, 'trainStep');
  const a = outcome(fast, await fast.fit(x, y, options));
  const calls = { runs: runs.mock.calls.length, steps: steps.mock.calls.length };
  const b = outcome(slow, await slow.fit(x, y, { ...options, onBatchEnd: () => undefined }));
  fast.dispose();
  slow.dispose();
  return { a, b, calls };
}

describe('fit through Engine.trainSteps', () => {
  it.each(BACKENDS)('on %s: shuffle, validation, sample weights, BatchNorm, Dropout and an epoch schedule, as the per-step loop', async (backend) => {
    const { a, b, calls } = await both(noisy, backend, { epochs: 5, batchSize: 16, validationData: [val.x, val.y], sampleWeight: weights });
    expect(a).toEqual(b);
    expect(a.history.val_loss).toHaveLength(5);
    expect(new Set(a.history.lr).size).toBeGreaterThan(1);
    expect(calls.runs).toBeGreaterThan(0);
    expect(calls.runs).toBeLessThanOrEqual(5 * 13);
  });

  it.each(BACKENDS)('on %s: validationSplit, as the per-step loop', async (backend) => {
    const { a, b } = await both(noisy, backend, { epochs: 3, batchSize: 32, validationSplit: 0.2 });
    expect(a).toEqual(b);
  });

  it.each(BACKENDS)('on %s: running ahead over epochs without shuffle (full batch and minibatch), as the per-step loop', async (backend) => {
    for (const batchSize of [512, 40]) {
      const { a, b, calls } = await both(tiny, backend, { epochs: 60, batchSize, shuffle: false });
      expect(a).toEqual(b);
      expect(a.history.loss).toHaveLength(60);
      // Runs span epochs: far fewer calls than epochs.
      expect(calls.runs).toBeLessThan(60);
    }
  });

  it.each(BACKENDS)('on %s: Dropout seeds drawn per step while running ahead, as the per-step loop', async (backend) => {
    const { a, b } = await both(tinyDropout, backend, { epochs: 30, batchSize: 50, shuffle: false });
    expect(a).toEqual(b);
    const c = await both(tinyDropout, backend, { epochs: 4, batchSize: 50, shuffle: true, sampleWeight: weights });
    expect(c.a).toEqual(c.b);
  });

  it('leaves the arena as it found it (the run buffers go with the data)', async () => {
    const m = tiny('wasm');
    const before = arenaBytesInUse();
    await m.fit(x, y, { epochs: 20, batchSize: 16, shuffle: false });
    await m.fit(x, y, { epochs: 2, batchSize: 16 });
    expect(arenaBytesInUse()).toBe(before);
    m.dispose();
  });

  it('on 2 threads, as the per-step loop on one', async () => {
    const make: Make = (backend) =>
      new Sequential([new Dense(2, 64), new BatchNorm(64), new ReLU(), new Dropout(0.1), new Dense(64, 1), new Sigmoid()] as Layer[], {
        seed: 7,
        backend,
      }).compile({ loss: 'bce', optimizer: new Adam({ lr: 0.01 }) });
    const fast = make('wasm'),
      slow = make('wasm');
    const a = outcome(fast, await fast.fit(x, y, { epochs: 3, batchSize: 64, threads: 2 }));
    expect((fast.liveEngine as WasmEngine).threads).toBe(threadsAvailable() ? 2 : 1);
    const b = outcome(slow, await slow.fit(x, y, { epochs: 3, batchSize: 64, onBatchEnd: () => undefined }));
    expect(a).toEqual(b);
    fast.dispose();
    slow.dispose();
  });

  it.each(BACKENDS)("on %s: a failing step throws the per-step loop's NonFiniteError and leaves the same weights and streams", async (backend) => {
    // A huge rate overflows within a few steps; Dropout makes the stream's position after the failure count.
    const make: Make = (b) =>
      new Sequential([new Dense(2, 4), new Tanh(), new Dropout(0.2), new Dense(4, 1)] as Layer[], { seed: 5, backend: b }).compile({
        loss: 'mse',
        optimizer: new SGD({ lr: 1e37 }),
      });
    const results = [];
    for (const extra of [{}, { onBatchEnd: () => undefined }]) {
      const m = make(backend);
      const err = await m.fit(x, y, { epochs: 20, batchSize: 20, shuffle: false, ...extra }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(NonFiniteError);
      results.push({
        message: (err as Error).message,
        weights: m.getWeights(),
        random: m.shuffleRandom.getState(),
        step: m.liveEngine.getOptimizerState().step,
      });
      m.dispose();
    }
    expect(results[0]).toEqual(results[1]);
  });

  it.each(BACKENDS)('on %s: an abort between runs, resumed by a second fit, gives the uninterrupted run', async (backend) => {
    // Long enough that fit yields (every 50 ms) after the timer has fired.
    const epochs = backend === 'wasm' ? 20000 : 2000;
    const whole = tinyDropout(backend);
    await whole.fit(x, y, { epochs, batchSize: 50, shuffle: false });
    const parts = tinyDropout(backend);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1);
    const h1 = await parts.fit(x, y, { epochs, batchSize: 50, shuffle: false, signal: controller.signal });
    expect(h1.stopped).toBe('aborted');
    const left = epochs - h1.epochs;
    // The unfinished epoch is finished first, as the resumed run's first epoch.
    const h2 = await parts.fit(x, y, { epochs: left, batchSize: 50, shuffle: false });
    expect(h1.epochs + h2.epochs).toBe(epochs);
    expect(parts.getWeights()).toEqual(whole.getWeights());
    expect(parts.shuffleRandom.getState()).toEqual(whole.shuffleRandom.getState());
    whole.dispose();
    parts.dispose();
  });
});
