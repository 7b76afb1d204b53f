// fit scans a Float32Array x after its copy into the engine (the core's SIMD scan on wasm, the
// JavaScript scan elsewhere): a bad value is still named by row and column, nothing trains,
// and the arena gets back what the copy took.
import { describe, expect, it } from 'vitest';
import { mlp, SGD, ValueError } from '../src/index.js';
import { arenaBytesInUse } from '../src/wasm/core.js';

const backends = ['reference', 'wasm'] as const;

function model(backend: 'wasm' | 'reference') {
  const m = mlp([3, 4, 1], { activation: 'sigmoid', backend, seed: 7 });
  m.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.1 }) });
  return m;
}

describe.each(backends)('the deferred Float32Array scan on %s', (backend) => {
  // Positions in the first block, past several 64-value blocks, and in the tail after the last whole block.
  it.each([
    [0, 0],
    [0, 2],
    [30, 1],
    [61, 2],
    [66, 2],
  ])('names row %i, column %i for NaN and ±Infinity, changing nothing', async (row, col) => {
    const rows = 67;
    for (const bad of [NaN, Infinity, -Infinity]) {
      const m = model(backend);
      const before = m.getWeights();
      const x = new Float32Array(rows * 3).map((_, i) => (i % 7) / 7);
      x[row * 3 + col] = bad;
      const used = arenaBytesInUse();
      await expect(m.fit({ data: x, shape: [rows, 3] }, new Float32Array(rows), { epochs: 2 })).rejects.toThrow(
        new RegExp(`row ${row}, column ${col} is ${String(bad).replace('+', '')}`),
      );
      await expect(m.fit({ data: x, shape: [rows, 3] }, new Float32Array(rows))).rejects.toThrow(ValueError);
      // Streamed, x scanned in JavaScript by its exponent bits, here as a view at an offset into a larger buffer.
      const view = new Float32Array(rows * 3 + 5).subarray(5);
      view.set(x);
      await expect(m.fit({ data: view, shape: [rows, 3] }, new Float32Array(rows), { stream: true })).rejects.toThrow(
        new RegExp(`row ${row}, column ${col} is ${String(bad).replace('+', '')}`),
      );
      expect(arenaBytesInUse()).toBe(used);
      expect(m.getWeights()).toEqual(before);
      m.dispose();
    }
  });

  it('trains on clean float32 data exactly as on the same values as float64', async () => {
    const rows = 130;
    const x32 = new Float32Array(rows * 3).map((_, i) => Math.sin(i));
    const y = new Float32Array(rows).map((_, i) => (i % 3 === 0 ? 1 : 0));
    const a = model(backend),
      b = model(backend);
    const ha = await a.fit({ data: x32, shape: [rows, 3] }, y, { epochs: 3, batchSize: 16 });
    const hb = await b.fit({ data: Float64Array.from(x32), shape: [rows, 3] }, y, { epochs: 3, batchSize: 16 });
    expect(ha.loss).toEqual(hb.loss);
    a.dispose();
    b.dispose();
  });
});

// predict, predictProba and predictClasses leave a Float32Array x to the engine's scan too
// (the core's SIMD scan of its copy on wasm, chunk by chunk): the same error, no output.
describe.each(backends)('the deferred Float32Array scan of predict on %s', (backend) => {
  it.each([
    [0, 0],
    [66, 2],
    [5000, 1],
  ])('names row %i, column %i for NaN and ±Infinity', (row, col) => {
    const rows = 5003; // more than one of the wasm engine's predict chunks
    const m = model(backend);
    for (const bad of [NaN, Infinity, -Infinity]) {
      const x = new Float32Array(rows * 3).map((_, i) => (i % 7) / 7);
      x[row * 3 + col] = bad;
      const named = new RegExp(`row ${row}, column ${col} is ${String(bad).replace('+', '')}`);
      expect(() => m.predict({ data: x, shape: [rows, 3] })).toThrow(named);
      expect(() => m.predictProba({ data: x, shape: [rows, 3] })).toThrow(named);
      expect(() => m.predictClasses({ data: x, shape: [rows, 3] })).toThrow(ValueError);
    }
    m.dispose();
  });

  it('predicts clean float32 data exactly as the same values as float64', () => {
    const rows = 70;
    const x32 = new Float32Array(rows * 3).map((_, i) => Math.sin(i));
    const m = model(backend);
    expect(m.predict({ data: x32, shape: [rows, 3] }).data).toEqual(m.predict({ data: Float64Array.from(x32), shape: [rows, 3] }).data);
    m.dispose();
  });
});
