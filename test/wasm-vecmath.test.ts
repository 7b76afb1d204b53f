/**
 * The core's SIMD sigmoid and tanh (polynomial exp) against Math in float64: relative error
 * of a few f32 ulps over a dense grid, exact limits, and NaN passed through.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/wasm/core.js';
import { wasmOps } from '../src/wasm/ops.js';

beforeAll(async () => {
  await ready();
});

/** z from -30 to 30 in steps of 1e-3 (f32-rounded), plus the edges of every branch. */
function grid(): Float64Array {
  const z: number[] = [];
  for (let i = -30000; i <= 30000; i++) z.push(Math.fround(i * 1e-3));
  z.push(
    0,
    -0,
    1e-30,
    -1e-30,
    1e-6,
    -1e-6,
    Math.fround(0.3),
    -Math.fround(0.3),
    0.29999998,
    -0.29999998,
    43.5,
    -43.5,
    87,
    -87,
    88,
    -88,
    100,
    -100,
    1e30,
    -1e30,
  );
  return Float64Array.from(z);
}

function worstRelative(got: Float64Array, want: (z: number) => number, z: Float64Array, floor: number): number {
  let worst = 0;
  z.forEach((v, i) => {
    const w = want(v);
    worst = Math.max(worst, Math.abs(got[i] - w) / Math.max(Math.abs(w), floor));
  });
  return worst;
}

describe('SIMD exp-based activations', () => {
  const z = grid();

  it('sigmoid within 4 ulp (relative) down to 1e-30, and exact limits', () => {
    const s = wasmOps.activationForward('sigmoid', 0, z, 1, z.length);
    expect(worstRelative(s, (v) => 1 / (1 + Math.exp(-v)), z, 1e-30)).toBeLessThan(2.5e-7);
    const edge = wasmOps.activationForward('sigmoid', 0, [0, 100, -100, Infinity, -Infinity], 1, 5);
    expect(edge[0]).toBe(0.5);
    expect(edge[1]).toBe(1);
    expect(edge[2]).toBeLessThan(1e-37);
    expect(edge[2]).toBeGreaterThanOrEqual(0);
    expect(edge[3]).toBe(1);
    expect(edge[4]).toBeLessThan(1e-37);
  });

  it('tanh within 4 ulp (relative) everywhere, odd, and exact limits', () => {
    const t = wasmOps.activationForward('tanh', 0, z, 1, z.length);
    expect(worstRelative(t, Math.tanh, z, 1e-38)).toBeLessThan(2.5e-7);
    const neg = wasmOps.activationForward(
      'tanh',
      0,
      z.map((v) => -v),
      1,
      z.length,
    );
    neg.forEach((v, i) => expect(v + t[i]).toBe(0)); // odd (the sign of a zero aside)
    expect(Array.from(wasmOps.activationForward('tanh', 0, [20, -20, Infinity, -Infinity], 1, 4))).toEqual([1, -1, 1, -1]);
  });

  it('NaN stays NaN (so a non-finite step is detected)', () => {
    for (const act of ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'softmax'] as const) {
      const out = wasmOps.activationForward(act, 0.1, [NaN, 1, 2, 3, 4], 1, 5);
      expect(out[0], act).toBeNaN();
    }
  });
});
