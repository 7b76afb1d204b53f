/**
 * Clipping sees BatchNorm's gamma and beta: the global norm counts their gradients and the
 * scale (or the per-value clamp) applies to them, on both backends, and the threaded step
 * clips bit-identically on 1 and 2 threads (thread 0 writes those gradients).
 */
import { describe, expect, it } from 'vitest';
import { BatchNorm, Dense, Sequential, SGD, Tanh } from '../src/index.js';

const X = Array.from({ length: 8 }, (_, i) => [Math.cos(i), i / 4 - 1, Math.sin(2 * i)]);
const Y = X.map((r) => [2 * r[0] + r[1], r[2] - 1]);
// Keras order: W0, b0, gamma, beta, running mean, running variance, W1, b1.
const RUNNING = new Set([4, 5]);
const TOL = { reference: 1e-12, wasm: 3e-6 };

function model(backend: 'wasm' | 'reference', clip: { clipGradNorm?: number; clipValue?: number }, threads = 1): Sequential {
  const m = new Sequential([new Dense(3, 4), new BatchNorm(4), new Tanh(), new Dense(4, 2)], { seed: 5, backend, threads });
  m.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.5 }), ...clip });
  return m;
}

const flat = (w: (number[] | number[][])[], i: number): number[] => (w[i] as (number | number[])[]).flat() as number[];

describe.each(['reference', 'wasm'] as const)('clipping with BatchNorm on %s', (backend) => {
  async function stepAndExpect(clip: { clipGradNorm?: number; clipValue?: number }, scaleOf: (g: number[][]) => (v: number) => number) {
    const m = model(backend, clip);
    const before = m.getWeights();
    const grads = m.gradients(X, Y).gradients.map((t) => Array.from(t as ArrayLike<number>).flat() as number[]);
    expect(grads[2].some((v) => v !== 0) && grads[3].some((v) => v !== 0)).toBe(true);
    const update = scaleOf(grads);
    await m.fit(X, Y, { epochs: 1, batchSize: X.length, shuffle: false });
    const after = m.getWeights();
    for (let i = 0; i < before.length; i++) {
      if (RUNNING.has(i)) continue;
      const b = flat(before, i),
        a = flat(after, i),
        g = grads[i];
      for (let k = 0; k < b.length; k++) {
        const want = b[k] - 0.5 * update(g[k]);
        expect(Math.abs(a[k] - want), `tensor ${i}[${k}]`).toBeLessThanOrEqual(TOL[backend] * Math.max(1, Math.abs(want)));
      }
    }
    m.dispose();
  }

  it('the global norm includes gamma and beta, and their gradients are scaled too', async () => {
    const probe = model(backend, {});
    const g = probe.gradients(X, Y).gradients.map((t) => Array.from(t as ArrayLike<number>).flat() as number[]);
    probe.dispose();
    const norm = Math.hypot(...g.flat());
    const withoutBn = Math.hypot(...g.filter((_, i) => i !== 2 && i !== 3).flat());
    const maxNorm = (norm + withoutBn) / 4;
    await stepAndExpect({ clipGradNorm: maxNorm }, (all) => {
      const n = Math.hypot(...all.flat());
      return (v) => v * (maxNorm / (n + 1e-6));
    });
  });

  it('clipValue clamps gamma and beta gradients', async () => {
    const probe = model(backend, {});
    const g = probe.gradients(X, Y).gradients.map((t) => Array.from(t as ArrayLike<number>).flat() as number[]);
    probe.dispose();
    const v = Math.max(...[...g[2], ...g[3]].map(Math.abs)) / 2;
    await stepAndExpect({ clipValue: v }, () => (x) => Math.max(-v, Math.min(v, x)));
  });
});

describe('clipping with BatchNorm on threads', () => {
  it('1 and 2 threads give bit-identical weights with norm and value clipping', async () => {
    const run = async (threads: number) => {
      const m = model('wasm', { clipGradNorm: 0.05, clipValue: 0.02 }, threads);
      await m.fit(X, Y, { epochs: 5, batchSize: 4, shuffle: true });
      expect((m.liveEngine as unknown as { threads: number }).threads).toBe(threads);
      const w = m.getWeights();
      m.dispose();
      return w;
    };
    expect(await run(2)).toEqual(await run(1));
  });
});
