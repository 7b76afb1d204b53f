/**
 * Out of memory while a thread team starts changes nothing: the control block and every
 * worker's GEMM scratch are taken before the first worker starts, so a shared memory that
 * cannot hold them is an OutOfMemoryError with nothing left allocated and no worker running,
 * and a model that asked for the threads trains on afterwards exactly as one that never failed.
 * The threads core's memory is filled with untouched blocks (never written: no RAM used).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Dense, OutOfMemoryError, ReLU, Sequential, Adam } from '../src/index.js';
import { threadsCore, type ThreadsCore } from '../src/wasm/threads/threads-core.js';
import { ThreadPool } from '../src/wasm/threads/pool.js';
import { fillMemoryBut, wasmEngineOf } from './helpers/hardening.js';

const hogs: number[] = [];
let tc: ThreadsCore | undefined;

/** Takes all but about `leave` bytes of the threads memory, down to 4 KiB holes (so a team's blocks cannot fit). */
const fillBut = (c: ThreadsCore, leave: number): void => fillMemoryBut(c, leave, hogs, 4096);

afterEach(() => {
  for (const p of hogs.splice(0)) tc?.exports.free(p);
  if (tc) expect(tc.exports.arenaCheck()).toBe(0);
});

const x = Array.from({ length: 96 }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 7) / 7 - 0.5]);
const y = x.map((r) => [r[0] * r[1] > 0 ? 1 : 0]);

function model(): Sequential {
  const m = new Sequential([new Dense(3, 32), new ReLU(), new Dense(32, 1)], { seed: 11 });
  m.compile({ loss: 'bce_logits', optimizer: new Adam({ lr: 0.01 }) });
  return m;
}

describe('out of memory while a thread team starts', () => {
  it('ThreadPool.start refuses before any worker starts and leaves nothing allocated', async () => {
    tc = await threadsCore();
    fillBut(tc, 0);
    const inUse = tc.exports.bytesInUse() >>> 0;
    const started = ThreadPool.startedCount;
    const err = await ThreadPool.start(tc, 3).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OutOfMemoryError);
    expect((err as Error).message).toMatch(/control block|GEMM scratch/);
    expect((err as Error).message).toMatch(/use fewer threads/);
    expect(tc.exports.bytesInUse() >>> 0).toBe(inUse);
    expect(ThreadPool.startedCount).toBe(started);
    for (const p of hogs.splice(0)) tc.exports.free(p);
    const pool = await ThreadPool.start(tc, 3);
    expect(pool.size).toBe(3);
    pool.dispose();
    await pool.closed;
  });

  it('a fit asking for 2 threads fails cleanly at every shortfall, and the model then trains like one that never failed', async () => {
    tc = await threadsCore();
    const reference = model();
    await reference.fit(x, y, { epochs: 3, batchSize: 96, shuffle: false, threads: 2 });
    const want = reference.getWeights();
    expect(wasmEngineOf(reference).threads).toBe(2);
    reference.dispose();

    const m = model();
    const before = m.getWeights();
    fillBut(tc, 0);
    // Give memory back a block at a time (smallest first): each refusal, whether the network
    // could not move to the threads memory or the team could not start, leaves the model as it was.
    const refusals: string[] = [];
    for (;;) {
      const err = await m.fit(x, y, { epochs: 3, batchSize: 96, shuffle: false, threads: 2 }).then(
        () => null,
        (e: unknown) => e,
      );
      if (err === null) break;
      expect(err).toBeInstanceOf(OutOfMemoryError);
      expect(m.getWeights()).toEqual(before);
      refusals.push((err as Error).message);
      expect(hogs.length).toBeGreaterThan(0);
      tc.exports.free(hogs.pop()!);
    }
    expect(refusals.some((r) => /the thread team's control block|GEMM scratch/.test(r))).toBe(true);
    expect(wasmEngineOf(m).threads).toBe(2);
    expect(m.getWeights()).toEqual(want);
    m.dispose();
  });
});
