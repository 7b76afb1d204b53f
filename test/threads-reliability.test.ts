/**
 * Threads fail cleanly: a worker terminated mid-fit fails the step with a ThreadError within a
 * bounded time (no hang) and the model carries on on one thread; concurrent startThreads calls
 * start one team; an optimiser step count at the i32 limit is refused on both backends alike.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense, ReLU, Sequential, Softmax, StateError, ThreadError, ValueError, ready } from '../src/index.js';
import type { WasmEngine } from '../src/wasm/engine.js';
import { ThreadPool } from '../src/wasm/threads/pool.js';
import { MAX_OPTIMIZER_STEP } from '../src/engine.js';

beforeAll(async () => {
  await ready();
});

function data(rows: number, inputs: number, classes: number): { x: Float32Array; y: number[] } {
  let s = 7;
  const r = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  return { x: Float32Array.from({ length: rows * inputs }, r), y: Array.from({ length: rows }, () => Math.floor(r() * classes)) };
}

function wide(threads: number, backend: 'wasm' | 'reference' = 'wasm'): Sequential {
  const model = new Sequential([new Dense(256, 128), new ReLU(), new Dense(128, 10), new Softmax()], { seed: 2, threads, backend });
  return model.compile({ loss: 'categorical_ce', optimizer: { type: 'adam', lr: 0.01 } });
}

const engineOf = (m: Sequential) => m.liveEngine as WasmEngine;

/** Resolves with what `p` settles to, or 'hung' after `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'hung'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<'hung'>((res) => {
    timer = setTimeout(() => res('hung'), ms);
  });
  try {
    return await Promise.race([p, hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe('a dead worker thread', () => {
  it('fails the step with a ThreadError instead of hanging, and the model carries on', async () => {
    const model = wide(2);
    const { x, y } = data(256, 256, 10);
    const input = { data: x, shape: [256, 256] };
    let killed = false;
    const run = model
      .fit(input, y, {
        epochs: 3,
        batchSize: 64,
        shuffle: false,
        onBatchEnd: (batch) => {
          if (batch !== 1 || killed) return;
          killed = true;
          engineOf(model).threadPool!.terminateWorker(0);
        },
      })
      .then(
        () => 'resolved',
        (e: unknown) => e,
      );
    const outcome = await within(run, 20_000);
    expect(outcome).toBeInstanceOf(ThreadError);
    expect((outcome as Error).message).toMatch(/worker thread failed/);
    expect(killed).toBe(true);
    expect(engineOf(model).threadPool).toBeNull();
    // Still usable: predicts finite numbers and trains again (a fresh team or one thread).
    const p = model.predict({ data: x.subarray(0, 256 * 4), shape: [4, 256] }) as { data: Float64Array };
    expect(p.data.every(Number.isFinite)).toBe(true);
    const again = await within(model.fit(input, y, { epochs: 1, batchSize: 64, threads: 1 }), 20_000);
    expect(again).not.toBe('hung');
    model.dispose();
  }, 60_000);
});

describe('startThreads', () => {
  it('three concurrent calls start one team, and dispose stops it', async () => {
    const model = wide(2);
    const before = ThreadPool.startedCount;
    await Promise.all([model.startThreads(), model.startThreads(), model.startThreads()]);
    expect(ThreadPool.startedCount - before).toBe(1);
    const pool = engineOf(model).threadPool!;
    expect(pool.size).toBe(2);
    model.dispose();
    expect(
      await within(
        pool.closed.then(() => 'closed'),
        10_000,
      ),
    ).toBe('closed');
  }, 30_000);
});

describe('the optimiser step count at the i32 limit', () => {
  for (const backend of ['wasm', 'reference'] as const) {
    it(`${backend}: steps up to 2^31 - 1, then refuses with StateError; a larger count is a ValueError`, async () => {
      const model = wide(1, backend);
      const { x, y } = data(8, 256, 10);
      const input = { data: x, shape: [8, 256] };
      const engine = model.liveEngine;
      const state = engine.getOptimizerState();
      expect(() => engine.setOptimizerState({ ...state, step: MAX_OPTIMIZER_STEP + 1 })).toThrow(ValueError);
      engine.setOptimizerState({ ...state, step: MAX_OPTIMIZER_STEP - 1 });
      await model.fit(input, y, { epochs: 1, batchSize: 8 });
      expect(engine.getOptimizerState().step).toBe(MAX_OPTIMIZER_STEP);
      expect(model.getWeights().flat(2).every(Number.isFinite)).toBe(true);
      const weights = model.getWeights();
      await expect(model.fit(input, y, { epochs: 1, batchSize: 8 })).rejects.toThrow(StateError);
      expect(model.getWeights()).toEqual(weights);
      expect(engine.getOptimizerState().step).toBe(MAX_OPTIMIZER_STEP);
      model.dispose();
    });
  }
});
