/**
 * Threads on the relaxed-SIMD (FMA) build: with the V8 flag on (Node 20), ready() loads the
 * relaxed core and threads take the threads-relaxed build, whose teams must match the relaxed
 * core on one thread bit for bit (fused multiply-adds round differently from the baseline, so
 * the two SIMD variants never mix).
 */
import v8 from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreVariant, hasRelaxedSimd, ready } from '../src/wasm/core.js';
import { WasmEngine } from '../src/wasm/engine.js';
import type { Plan, Stage } from '../src/plan.js';

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const available = hasRelaxedSimd();

beforeAll(async () => {
  await ready();
});

const engines: WasmEngine[] = [];
afterAll(() => engines.forEach((e) => e.dispose()));

const dense = (inSize: number, outSize: number, activation: Stage['activation']): Stage => ({
  kind: 'dense',
  inSize,
  outSize,
  useBias: true,
  activation,
  alpha: 0,
});

describe.skipIf(!available)('threads on the relaxed-SIMD build', () => {
  it('the core is the relaxed one', () => {
    expect(coreVariant()).toBe('relaxed-simd');
  });

  for (const [name, stages, batch] of [
    ['784-96-10 softmax', [dense(784, 96, 'relu'), dense(96, 10, 'softmax')], 45],
    ['65-17-10-1 (odd, one output)', [dense(65, 17, 'tanh'), dense(17, 10, 'relu'), dense(10, 1, 'sigmoid')], 37],
  ] as [string, Stage[], number][]) {
    it(`${name}: 2 and 3 threads give the weights of 1`, async () => {
      const last = stages[stages.length - 1] as { outSize: number };
      const plan: Plan = {
        inputSize: (stages[0] as { inSize: number }).inSize,
        outputSize: last.outSize,
        stages,
        loss: last.outSize === 1 ? 'bce' : 'categorical_ce',
        optimizer: { type: 'adam', lr: 0.003, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decayBiases: true, amsgrad: false },
      };
      const rows = batch * 3;
      let s = 11;
      const r = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
      const x = Float32Array.from({ length: rows * plan.inputSize }, r);
      const y = new Float32Array(rows * plan.outputSize);
      for (let i = 0; i < rows; i++) y[i * plan.outputSize + (i % plan.outputSize)] = plan.outputSize === 1 ? i % 2 : 1;
      const results: Float64Array[][] = [];
      for (const threads of [1, 2, 3]) {
        const eng = new WasmEngine(plan);
        engines.push(eng);
        s = 99;
        eng.setParameters(eng.getParameters().map((t) => t.map(() => Math.fround(r() - 0.5) * 0.2)));
        await eng.prepare({ threads, batchSize: batch });
        expect(eng.threads).toBe(threads);
        const d = eng.loadData(x, y, rows);
        const losses = [];
        for (let b = 0; b < 6; b++) losses.push(eng.trainStep(d, (b % 3) * batch, batch));
        results.push([Float64Array.from(losses), ...eng.getParameters()]);
      }
      expect(results[1]).toEqual(results[0]);
      expect(results[2]).toEqual(results[0]);
    });
  }
});
