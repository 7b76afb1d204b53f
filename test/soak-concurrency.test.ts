/**
 * Many models at once: 100 models alive, their fits started together and run interleaved
 * (Promise.all; each fit yields to the event loop after every epoch), and the same models
 * trained in 4 worker threads (each with its own WebAssembly instance, importing the built dist/).
 * No cross-talk: every model ends bit-identical (weights and losses) to training it alone.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import * as wasmlp from '../src/index.js';
import { arenaBytesInUse } from '../src/wasm/core.js';
import { expectArenaIntact } from './helpers/hardening.js';
import { trainOne } from './helpers/train-one.mjs';

type Result = Awaited<ReturnType<typeof trainOne>>;
const SEEDS = Array.from({ length: 100 }, (_, i) => 1000 + i);

/** Each seed trained alone, one after the other, without yielding. */
async function alone(): Promise<Result[]> {
  const out: Result[] = [];
  for (const seed of SEEDS) out.push(await trainOne(wasmlp, seed, { yieldEachEpoch: false }));
  return out;
}

function inWorker(seeds: number[]): Promise<Result[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./helpers/train-worker.mjs', import.meta.url), { workerData: { seeds } });
    worker.once('message', (r: Result[]) => {
      resolve(r);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe('many models at once', () => {
  it('100 interleaved fits (Promise.all) end bit-identical to each trained alone', async () => {
    const bytes = arenaBytesInUse();
    const want = await alone();
    let running = 0,
      peak = 0;
    const together = await Promise.all(
      SEEDS.map(async (seed) => {
        running++;
        peak = Math.max(peak, running);
        try {
          return await trainOne(wasmlp, seed);
        } finally {
          running--;
        }
      }),
    );
    expect(peak).toBe(100);
    expect(together).toEqual(want);
    expect(arenaBytesInUse()).toBe(bytes);
    expectArenaIntact();
  });

  it('the same models across 4 worker threads end bit-identical to each trained alone', async () => {
    const want = await alone();
    const quarters = [0, 1, 2, 3].map((q) => SEEDS.filter((_, i) => i % 4 === q));
    const results = (await Promise.all(quarters.map(inWorker))).flat().sort((a, b) => a.seed - b.seed);
    expect(results).toEqual(want);
  });
});
