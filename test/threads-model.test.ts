/**
 * Threads through the public API: `threads` on the model and on fit give the history and
 * weights of one thread bit for bit; 'auto' keeps small steps on one thread; dispose() stops
 * the workers; without shared memory (simulated with disableThreads) fit trains on one thread
 * and says so once.
 */
import os from 'node:os';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Dense, ReLU, Sequential, Softmax, Tanh, ready, disableThreads, threadsAvailable, threadsMemoryBytes, type ThreadsOption } from '../src/index.js';
import type { WasmEngine } from '../src/wasm/engine.js';
import { AUTO_MIN_FLOPS, trainFlops } from '../src/wasm/threads/thread-count.js';

beforeAll(async () => {
  await ready();
});

afterEach(() => {
  disableThreads(null);
  vi.restoreAllMocks();
});

function data(rows: number, inputs: number, classes: number, seed: number): { x: Float32Array; y: number[] } {
  let s = seed >>> 0;
  const r = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const x = Float32Array.from({ length: rows * inputs }, r);
  const y = Array.from({ length: rows }, () => Math.floor(r() * classes));
  return { x, y };
}

function mnistLike(threads: ThreadsOption): Sequential {
  const model = new Sequential([new Dense(784, 64), new ReLU(), new Dense(64, 10), new Softmax()], { seed: 3, threads });
  return model.compile({ loss: 'categorical_ce', optimizer: { type: 'adam', lr: 0.002 } });
}

const engineOf = (m: Sequential) => m.liveEngine as WasmEngine;

describe('threads on Sequential and fit', () => {
  it('fit with 2 and 3 threads gives the history and weights of 1 thread, bit for bit', async () => {
    const { x, y } = data(203, 784, 10, 9);
    const runs = [];
    for (const threads of [1, 2, 3]) {
      const model = mnistLike(threads);
      const history = await model.fit({ data: x, shape: [203, 784] }, y, { epochs: 2, batchSize: 61 });
      expect(engineOf(model).threads).toBe(threads);
      runs.push({ history, weights: model.getWeights(), predicted: model.predict({ data: x, shape: [203, 784] }).data });
      model.dispose();
    }
    for (const r of runs.slice(1)) {
      expect(r.history).toEqual(runs[0].history);
      expect(r.weights).toEqual(runs[0].weights);
      expect(r.predicted).toEqual(runs[0].predicted);
    }
  });

  it("fit's threads option overrides the model's", async () => {
    const model = mnistLike(1);
    const { x, y } = data(64, 784, 10, 1);
    await model.fit({ data: x, shape: [64, 784] }, y, { epochs: 1, batchSize: 32, threads: 2 });
    expect(engineOf(model).threads).toBe(2);
    // The model now lives in the shared memory of the threads build.
    expect(threadsMemoryBytes()).toBeGreaterThan(model.plan.inputSize * 64 * 4);
    model.dispose();
  });

  it("'auto' keeps a tiny network on one thread and gives a big step min(cores, 4)", async () => {
    const tiny = new Sequential([new Dense(2, 16), new Tanh(), new Dense(16, 1)], { seed: 1, threads: 'auto' });
    tiny.compile({ loss: 'mse', optimizer: 'sgd' });
    expect(trainFlops(tiny.plan, 32)).toBeLessThan(AUTO_MIN_FLOPS);
    const { x } = data(100, 2, 2, 4);
    await tiny.fit(
      { data: x, shape: [100, 2] },
      Array.from({ length: 100 }, (_, i) => [i % 2]),
      { epochs: 2, batchSize: 32 },
    );
    expect(engineOf(tiny).threads).toBe(1);
    tiny.dispose();

    const wide = mnistLike('auto');
    expect(trainFlops(wide.plan, 128)).toBeGreaterThanOrEqual(AUTO_MIN_FLOPS);
    const { x: xw, y: yw } = data(256, 784, 10, 5);
    await wide.fit({ data: xw, shape: [256, 784] }, yw, { epochs: 1, batchSize: 128 });
    expect(engineOf(wide).threads).toBe(Math.min(os.availableParallelism(), 4));
    wide.dispose();
  });

  it('dispose() stops the workers of a threaded model', async () => {
    const model = mnistLike(3);
    const { x, y } = data(64, 784, 10, 2);
    await model.fit({ data: x, shape: [64, 784] }, y, { epochs: 1, batchSize: 32 });
    const pool = engineOf(model).threadPool!;
    expect(pool.size).toBe(3);
    model.dispose();
    expect(pool.isLive).toBe(false);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<string>((res) => {
      timer = setTimeout(() => res('still running'), 10_000);
    });
    expect(await Promise.race([pool.closed.then(() => 'closed'), timeout])).toBe('closed');
    clearTimeout(timer);
  });

  it('without shared memory, fit trains on one thread with the same results and one notice', async () => {
    expect(threadsAvailable()).toBe(true);
    const { x, y } = data(90, 784, 10, 6);
    const one = mnistLike(1);
    const expected = await one.fit({ data: x, shape: [90, 784] }, y, { epochs: 1, batchSize: 30 });
    disableThreads('simulated: SharedArrayBuffer is not available');
    expect(threadsAvailable()).toBe(false);
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const model = mnistLike(2);
    const history = await model.fit({ data: x, shape: [90, 784] }, y, { epochs: 1, batchSize: 30 });
    expect(engineOf(model).threads).toBe(1);
    expect(history).toEqual(expected);
    expect(model.getWeights()).toEqual(one.getWeights());
    expect(info).toHaveBeenCalledTimes(1);
    expect(String(info.mock.calls[0][0])).toMatch(/one thread: simulated: SharedArrayBuffer/);
    one.dispose();
    model.dispose();
  });

  it('refuses a bad threads option before anything runs', async () => {
    for (const bad of [0, -1, 1.5, 65, 'all', '2']) {
      expect(() => new Sequential([new Dense(2, 2)], { threads: bad as never })).toThrow(/threads must be 'auto' or an integer/);
    }
    const model = mnistLike(1);
    const { x, y } = data(8, 784, 10, 7);
    await expect(model.fit({ data: x, shape: [8, 784] }, y, { threads: 0 as never })).rejects.toThrow(/threads must be/);
    model.dispose();
  });
});
