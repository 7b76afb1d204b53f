/**
 * The relaxed-SIMD (fused multiply-add) build: Node 20 runs it only behind a V8 flag, which
 * this file turns on for its own worker before the core loads. Checks that the loader picks
 * it, and that its kernels and a training run agree with the float64 references as the
 * baseline build does.
 */
import v8 from 'node:v8';
import { beforeAll, describe, expect, it } from 'vitest';
import { coreVariant, hasRelaxedSimd, ready } from '../src/wasm/core.js';
import { wasmOps } from '../src/wasm/ops.js';
import { WasmEngine } from '../src/wasm/engine.js';
import { ReferenceEngine } from '../src/reference/engine.js';
import type { GemmKind } from '../src/ops.js';
import type { Plan } from '../src/plan.js';

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const available = hasRelaxedSimd();

beforeAll(async () => {
  await ready();
});

function values(n: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return Math.fround(s / 4294967296 - 0.5);
  });
}

describe.skipIf(!available)('relaxed-SIMD build', () => {
  it('is the build ready() loaded', () => {
    expect(coreVariant()).toBe('relaxed-simd');
  });

  it('gemm nn/tn/nt agree with a float64 loop', () => {
    for (const kind of ['nn', 'tn', 'nt'] as GemmKind[]) {
      for (const [m, n, k] of [
        [1, 1, 1],
        [5, 17, 63],
        [65, 9, 784],
        [64, 64, 65],
      ]) {
        const a = values(m * k, m + n),
          b = values(k * n, k);
        const c = wasmOps.gemm(kind, a, b, m, n, k);
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) {
            let s = 0,
              mag = 0;
            for (let p = 0; p < k; p++) {
              const t = (kind === 'tn' ? a[p * m + i] : a[i * k + p]) * (kind === 'nt' ? b[j * k + p] : b[p * n + j]);
              s += t;
              mag += Math.abs(t);
            }
            expect(Math.abs(c[i * n + j] - s)).toBeLessThanOrEqual(1e-5 * mag + 1e-30);
          }
      }
    }
  });

  it('a training run agrees with the reference engine', () => {
    const plan: Plan = {
      inputSize: 6,
      outputSize: 3,
      stages: [
        { kind: 'dense', inSize: 6, outSize: 10, useBias: true, activation: 'tanh', alpha: 0 },
        { kind: 'dense', inSize: 10, outSize: 3, useBias: true, activation: 'softmax', alpha: 0 },
      ],
      loss: 'categorical_ce',
      optimizer: { type: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decayBiases: true, amsgrad: false },
    };
    const w = new WasmEngine(plan),
      r = new ReferenceEngine(plan);
    const init = w.getParameters().map((t, i) => values(t.length, 100 + i));
    w.setParameters(init);
    r.setParameters(init);
    const x = values(40 * 6, 7),
      y = Float64Array.from({ length: 120 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));
    const dw = w.loadData(x, y, 40),
      dr = r.loadData(x, y, 40);
    for (let s = 0; s < 40; s += 8) expect(Math.abs(w.trainStep(dw, s, 8) - r.trainStep(dr, s, 8))).toBeLessThan(1e-5);
    const pw = w.getParameters(),
      pr = r.getParameters();
    pw.forEach((t, i) => t.forEach((v, j) => expect(Math.abs(v - pr[i][j])).toBeLessThan(1e-5)));
    w.dispose();
  });
});
