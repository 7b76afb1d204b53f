/**
 * The core's GEMM kernels (nn, tn, nt) and their epilogues against a naive float64 triple
 * loop, over sizes that hit every tile edge: 1, 3, 5, 17, 63, 65, 784, k not a multiple of 4.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/wasm/core.js';
import { wasmOps } from '../src/wasm/ops.js';
import type { GemmKind } from '../src/ops.js';
import { core } from '../src/wasm/core.js';
import { rng } from './helpers/rng.js';

/** f32-representable random values, so only the kernel's rounding differs from the f64 loop. */
function randomMatrix(n: number, r: () => number): Float64Array {
  return Float64Array.from({ length: n }, () => Math.fround(r()));
}

/** C = op(A)·op(B) in float64, and Σ|a·b| per element (the scale of its rounding error). */
function naive(kind: GemmKind, a: Float64Array, b: Float64Array, m: number, n: number, k: number) {
  const c = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0,
        t = 0;
      for (let p = 0; p < k; p++) {
        const av = kind === 'tn' ? a[p * m + i] : a[i * k + p];
        const bv = kind === 'nt' ? b[j * k + p] : b[p * n + j];
        s += av * bv;
        t += Math.abs(av * bv);
      }
      c[i * n + j] = s;
      mag[i * n + j] = t;
    }
  }
  return { c, mag };
}

/** Largest |got - want| / (Σ|a·b| + tiny) over all elements. */
function worstError(got: Float64Array, want: { c: Float64Array; mag: Float64Array }): number {
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want.c[i]) / (want.mag[i] + 1e-30));
  return worst;
}

// f32 summation of k terms: error <= ~k·2^-24 of Σ|a·b|; 784 terms stay under 1e-4.
const TOL = 1e-4;
const SMALL = [1, 3, 4, 5, 8, 9, 17, 63, 65];
const KINDS: GemmKind[] = ['nn', 'tn', 'nt'];

beforeAll(async () => {
  await ready();
});

describe('wasm gemm', () => {
  for (const kind of KINDS) {
    it(`${kind}: every combination of small sizes`, () => {
      const r = rng(42);
      let worst = 0;
      for (const m of SMALL)
        for (const n of SMALL)
          for (const k of SMALL) {
            const a = randomMatrix(m * k, r),
              b = randomMatrix(k * n, r);
            const got = wasmOps.gemm(kind, a, b, m, n, k);
            expect(got.length).toBe(m * n);
            worst = Math.max(worst, worstError(got, naive(kind, a, b, m, n, k)));
          }
      expect(worst).toBeLessThan(TOL);
    });

    it(`${kind}: MLP shapes with 784 (k % 4 != 0 too)`, () => {
      const r = rng(7);
      const shapes: [number, number, number][] = [
        [64, 64, 784],
        [784, 64, 64],
        [64, 784, 64],
        [1, 10, 784],
        [3, 784, 5],
        [65, 17, 783],
        [5, 63, 785],
      ];
      for (const [m, n, k] of shapes) {
        const a = randomMatrix(m * k, r),
          b = randomMatrix(k * n, r);
        const got = wasmOps.gemm(kind, a, b, m, n, k);
        expect(worstError(got, naive(kind, a, b, m, n, k)), `${kind} ${m}x${n}x${k}`).toBeLessThan(TOL);
      }
    });
  }

  it('nn: a row of A gives the same bits alone as in any batch (the 1-row tiles sum as the taller ones)', () => {
    const r = rng(11);
    for (const [n, k] of [
      [64, 784],
      [70, 1100],
      [40, 33],
    ]) {
      const rows = 13;
      const a = randomMatrix(rows * k, r),
        b = randomMatrix(k * n, r);
      const alone = Array.from({ length: rows }, (_, i) => wasmOps.gemm('nn', a.subarray(i * k, (i + 1) * k), b, 1, n, k));
      for (let m = 2; m <= rows; m++) {
        const got = wasmOps.gemm('nn', a.subarray(0, m * k), b, m, n, k);
        for (let i = 0; i < m; i++) expect(Array.from(got.subarray(i * n, (i + 1) * n)), `row ${i} of ${m}, ${n}x${k}`).toEqual(Array.from(alone[i]));
      }
    }
  });

  it('k = 0 gives zeros, and a 1x1x1 product is exact', () => {
    for (const kind of KINDS) {
      expect(Array.from(wasmOps.gemm(kind, [], [], 3, 5, 0))).toEqual(new Array(15).fill(0));
      expect(Array.from(wasmOps.gemm(kind, [3], [-2], 1, 1, 1))).toEqual([-6]);
    }
  });

  it('epilogues: C += product and the fused bias', () => {
    const c = core();
    const e = c.exports;
    const r = rng(3);
    for (const [m, n, k] of [
      [5, 13, 7],
      [4, 8, 3],
      [17, 65, 9],
      [6, 1, 9],
      [7, 5, 1],
      [1, 1, 4],
      [5, 9, 1100],
    ] as [number, number, number][]) {
      const a = randomMatrix(m * k, r),
        b = randomMatrix(k * n, r),
        bt = new Float64Array(n * k);
      for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) bt[j * k + i] = b[i * n + j];
      const at = new Float64Array(k * m);
      for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) at[p * m + i] = a[i * k + p];
      const bias = randomMatrix(n, r),
        c0 = randomMatrix(m * n, r);
      const want = naive('nn', a, b, m, n, k);
      const pA = e.alloc(m * k * 4),
        pAt = e.alloc(m * k * 4),
        pB = e.alloc(k * n * 4),
        pBt = e.alloc(k * n * 4);
      const pBias = e.alloc(n * 4),
        pC = e.alloc(m * n * 4);
      const f32 = () => c.f32();
      f32().set(a, pA >>> 2);
      f32().set(at, pAt >>> 2);
      f32().set(b, pB >>> 2);
      f32().set(bt, pBt >>> 2);
      f32().set(bias, pBias >>> 2);
      const calls: [string, () => void][] = [
        ['nn', () => e.gemmNN(pA, pB, pC, m, n, k, pBias, 1)],
        ['tn', () => e.gemmTN(pAt, pB, pC, m, n, k, pBias, 1)],
        ['nt', () => e.gemmNT(pA, pBt, pC, m, n, k, pBias, 1)],
      ];
      for (const [name, call] of calls) {
        f32().set(c0, pC >>> 2);
        call();
        const got = Float64Array.from(f32().subarray(pC >>> 2, (pC >>> 2) + m * n));
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) {
            const w = want.c[i * n + j] + c0[i * n + j] + bias[j];
            expect(Math.abs(got[i * n + j] - w), `${name} (${i},${j})`).toBeLessThan(1e-5 * (want.mag[i * n + j] + 2));
          }
      }
      for (const p of [pA, pAt, pB, pBt, pBias, pC]) e.free(p);
    }
  });
});
