/**
 * Every op of the WebAssembly core (activations forward and backward, losses and their
 * gradients, the fused dense forward) against the float64 reference, through one helper.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/wasm/core.js';
import { wasmOps } from '../src/wasm/ops.js';
import { referenceOps } from '../src/reference/ops.js';
import { ACTIVATIONS, LOSSES } from '../src/plan.js';

beforeAll(async () => {
  await ready();
});

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 * 2 - 1;
  };
}

const values = (n: number, r: () => number, scale = 3) => Float64Array.from({ length: n }, () => Math.fround(r() * scale));

/** Asserts |got - want| <= tol · max(1, |want|) elementwise, naming the op on failure. */
function close(name: string, got: ArrayLike<number>, want: ArrayLike<number>, tol = 2e-6): void {
  expect(got.length, name).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    expect(Math.abs(got[i] - want[i]), `${name} [${i}]: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i])));
  }
}

const SHAPES: [number, number][] = [[1, 1], [3, 5], [7, 10], [2, 17]];

describe('wasm ops vs the float64 reference', () => {
  for (const act of ACTIVATIONS) {
    it(`activation ${act}: forward and backward`, () => {
      const r = rng(act.length);
      const alpha = act === 'leaky_relu' ? 0.05 : 0;
      for (const [rows, cols] of SHAPES) {
        const z = values(rows * cols, r);
        z[0] = 0; // the kink of relu / leaky_relu / step
        const a = referenceOps.activationForward(act, alpha, z, rows, cols);
        close(`${act} forward ${rows}x${cols}`, wasmOps.activationForward(act, alpha, z, rows, cols), a);
        const a32 = a.map(Math.fround);
        const g = values(rows * cols, r);
        close(`${act} backward ${rows}x${cols}`,
          wasmOps.activationBackward(act, alpha, z, a32, g, rows, cols),
          referenceOps.activationBackward(act, alpha, z, a32, g, rows, cols), 1e-5);
      }
    });
  }

  for (const loss of LOSSES) {
    for (const fused of loss === 'categorical_ce' ? [false, true] : [false]) {
      it(`loss ${loss}${fused ? ' (fused softmax)' : ''}: value and gradient`, () => {
        const r = rng(loss.length + (fused ? 100 : 0));
        for (const [rows, cols] of SHAPES) {
          const probs = loss === 'bce' || loss === 'categorical_ce';
          let y = values(rows * cols, r);
          if (probs) y = y.map((v) => Math.fround(0.02 + 0.96 * (v + 3) / 6));
          const t = Float64Array.from({ length: rows * cols }, (_, i) =>
            loss.includes('ce') && loss !== 'bce' ? (i % cols === 0 ? 1 : 0) : Math.fround((r() + 1) / 2));
          const want = referenceOps.loss(loss, y, t, rows, cols, fused);
          const got = wasmOps.loss(loss, y, t, rows, cols, fused);
          expect(Math.abs(got.value - want.value), `${loss} value`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want.value)));
          close(`${loss} grad ${rows}x${cols}`, got.grad, want.grad);
        }
      });
    }
  }

  it('bce clamps log(0) at -100 like PyTorch', () => {
    const got = wasmOps.loss('bce', [0, 1], [1, 0], 1, 2, false);
    expect(got.value).toBeCloseTo(100, 9);
    expect(Number.isFinite(got.grad[0])).toBe(true);
  });

  it('dense forward with and without bias, every activation', () => {
    const r = rng(77);
    for (const act of ACTIVATIONS) {
      for (const withBias of [true, false]) {
        const [rows, inSize, outSize] = [6, 9, 11];
        const x = values(rows * inSize, r, 1), w = values(inSize * outSize, r, 1);
        const b = withBias ? values(outSize, r, 1) : null;
        close(`dense ${act} bias=${withBias}`,
          wasmOps.denseForward(x, w, b, rows, inSize, outSize, act, 0.1),
          referenceOps.denseForward(x, w, b, rows, inSize, outSize, act, 0.1), 1e-5);
      }
    }
  });
});
