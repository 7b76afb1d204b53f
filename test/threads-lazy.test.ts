/**
 * The wasm engine's thread-team code loads only when used (src/wasm/threads/team.ts, behind
 * threads-gate.ts): prepare with one thread, or 'auto' on steps too small for a team, loads no
 * threads module; where threads cannot run, prepare loads the support check only (never the
 * team, the threads build or the pool) and says why once; where they can, the team starts and
 * trains bit for bit like one thread. Which modules loaded is seen through vi.mock factories,
 * which run when a module is first imported (this file's module registry is its own).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Plan } from '../src/plan.js';
import { ready } from '../src/wasm/core.js';
import { WasmEngine } from '../src/wasm/engine.js';
import { disableThreads, threadsAvailable, threadsMemoryBytes } from '../src/wasm/threads/threads-support.js';

const loaded = vi.hoisted(() => [] as string[]);
vi.mock('../src/wasm/threads/threads-gate.js', async (importOriginal) => {
  loaded.push('gate');
  return importOriginal();
});
vi.mock('../src/wasm/threads/team.js', async (importOriginal) => {
  loaded.push('team');
  return importOriginal();
});
vi.mock('../src/wasm/threads/threads-core.js', async (importOriginal) => {
  loaded.push('threads-core');
  return importOriginal();
});
vi.mock('../src/wasm/threads/pool.js', async (importOriginal) => {
  loaded.push('pool');
  return importOriginal();
});

beforeAll(async () => {
  await ready();
});

const dense = (i: number, o: number, activation: 'relu' | 'identity') =>
  ({ kind: 'dense', inSize: i, outSize: o, useBias: true, activation, alpha: 0 }) as const;
const plan = {
  inputSize: 12,
  outputSize: 3,
  stages: [dense(12, 16, 'relu'), dense(16, 3, 'identity')],
  loss: 'mse',
  optimizer: { type: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decayBiases: true, amsgrad: false },
} as unknown as Plan;

/** Trains 6 steps of 20 rows after prepare(threads); returns the losses, parameters and threads used. */
async function train(threads: 1 | 2 | 'auto'): Promise<{ losses: number[]; params: number[][]; threads: number }> {
  const eng = new WasmEngine(plan);
  let s = 7;
  const r = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296 - 0.5;
  eng.setParameters(eng.getParameters().map((t) => t.map(() => r() * 0.4)));
  await eng.prepare({ threads, batchSize: 20 });
  const d = eng.loadData(Float32Array.from({ length: 60 * 12 }, r), Float32Array.from({ length: 60 * 3 }, r), 60);
  const losses = Array.from({ length: 6 }, (_, b) => eng.trainStep(d, (b % 3) * 20, 20));
  const out = { losses, params: eng.getParameters().map((p) => Array.from(p)), threads: eng.threads };
  eng.dispose();
  return out;
}

describe('the thread-team code loads only when a team is asked for', () => {
  it('one thread, small steps on auto, no threads here, then a team', async () => {
    expect(threadsAvailable()).toBe(true);
    const one = await train(1);
    expect(await train('auto')).toEqual(one); // 2 × 20 × 12 × 16 flops: far below AUTO_MIN_FLOPS
    expect(loaded).toEqual([]);

    disableThreads('simulated: no shared memory');
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    try {
      expect(await train(2)).toEqual(one);
      expect(await train(2)).toEqual(one);
      expect(loaded).toEqual(['gate']);
      expect(info).toHaveBeenCalledTimes(1);
      expect(String(info.mock.calls[0][0])).toBe('wasmlp: training on one thread: simulated: no shared memory');
    } finally {
      disableThreads(null);
      info.mockRestore();
    }
    expect(threadsMemoryBytes()).toBe(0);

    const team = await train(2);
    expect(team.threads).toBe(2);
    expect(team.losses).toEqual(one.losses);
    expect(team.params).toEqual(one.params);
    expect(loaded).toEqual(['gate', 'team', 'threads-core', 'pool']);
    expect(threadsMemoryBytes()).toBeGreaterThan(0);
  });
});
