// The one helper that checks an op of the WebAssembly core against the float64 reference
// (tinygrad's helper_test_op): the same random inputs go through both backends' Ops, and every
// output value must agree to |wasm - reference| <= atol + rtol * |reference|.
import { expect } from 'vitest';
import type { Ops } from '../../src/ops.js';
import { referenceOps } from '../../src/reference/ops.js';
import { wasmOps } from '../../src/wasm/ops.js';
import type { Random } from '../../src/random.js';

/** Sizes that hit every edge of the SIMD kernels: 1, below and above the 4/8-wide tiles, 784. */
export const AWKWARD = [1, 3, 5, 17, 63, 65, 784] as const;

/** n values drawn uniformly from [lo, hi) and rounded to f32, so both backends see identical inputs. */
export function randomValues(random: Random, n: number, lo = -3, hi = 3): Float64Array {
  return Float64Array.from({ length: n }, () => Math.fround(random.uniform(lo, hi)));
}

/** What an op returns: one array, or a loss value with its gradient. */
type OpResult = ArrayLike<number> | { value: number; grad: ArrayLike<number> };

/**
 * Runs `op` on the reference and on the wasm core and asserts agreement, naming the op, the
 * case and the first differing index on failure.
 */
export function checkOp(name: string, op: (ops: Ops) => OpResult, atol = 1e-6, rtol = 1e-5): void {
  const want = op(referenceOps);
  const got = op(wasmOps);
  const flat = (r: OpResult) => ('grad' in r ? [r.value, ...Array.from(r.grad)] : Array.from(r));
  const w = flat(want);
  const g = flat(got);
  expect(g.length, `${name}: output length`).toBe(w.length);
  for (let i = 0; i < w.length; i++) {
    const bound = atol + rtol * Math.abs(w[i]);
    if (!(Math.abs(g[i] - w[i]) <= bound)) {
      expect.fail(`${name}: value ${i} is ${g[i]} on wasm but ${w[i]} on the reference (bound ${bound.toExponential(1)})`);
    }
  }
}
