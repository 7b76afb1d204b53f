/**
 * WasmEngine: one SGD update checked by hand, agreement with the float64 reference engine over
 * several steps for every optimiser, non-finite steps that change nothing, chunked predict,
 * optimiser state round trips, and use after dispose.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/wasm/core.js';
import { WasmEngine } from '../src/wasm/engine.js';
import { ReferenceEngine } from '../src/reference/engine.js';
import { StepStatus, type Engine } from '../src/engine.js';
import type { ActivationName, LossName, OptimizerConfig, Plan, Stage } from '../src/plan.js';
import { rng } from './helpers/rng.js';

beforeAll(async () => {
  await ready();
});

const sgd = (lr: number, more: Partial<OptimizerConfig> = {}): OptimizerConfig =>
  ({ type: 'sgd', lr, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, decayBiases: true, ...more }) as OptimizerConfig;

function dense(inSize: number, outSize: number, activation: ActivationName, alpha = 0, useBias = true): Stage {
  return { kind: 'dense', inSize, outSize, useBias, activation, alpha };
}

/** Scaled difference |a-b| / max(1, |b|), worst over all tensors. */
function worst(a: Float64Array[], b: Float64Array[]): number {
  let w = 0;
  a.forEach((t, i) =>
    t.forEach((v, j) => {
      w = Math.max(w, Math.abs(v - b[i][j]) / Math.max(1, Math.abs(b[i][j])));
    }),
  );
  return w;
}

/** f32-representable random parameters for a plan. */
function randomParams(eng: Engine, r: () => number, scale = 0.5): Float64Array[] {
  return eng.getParameters().map((t) => t.map(() => Math.fround(r() * scale)));
}

describe('WasmEngine', () => {
  it('one SGD step on a 2-1 sigmoid unit matches the update worked by hand', () => {
    const plan: Plan = { inputSize: 2, outputSize: 1, stages: [dense(2, 1, 'sigmoid')], loss: 'mse', optimizer: sgd(0.5) };
    const eng = new WasmEngine(plan);
    eng.setParameters([[0.25, -0.5], [0.125]]);
    const d = eng.loadData([1, 2, -1, 0.5], [1, 0], 2);
    const loss = eng.trainStep(d, 0, 2);
    // By hand: z = x·W + b, a = sigmoid(z), L = mean (a-t)^2, dL/dz = 2(a-t)a(1-a)/2.
    const xs = [
        [1, 2],
        [-1, 0.5],
      ],
      ts = [1, 0];
    let L = 0;
    const gW = [0, 0];
    let gb = 0;
    xs.forEach((x, i) => {
      const a = 1 / (1 + Math.exp(-(x[0] * 0.25 - x[1] * 0.5 + 0.125)));
      L += (a - ts[i]) ** 2 / 2;
      const dz = (2 * (a - ts[i]) * a * (1 - a)) / 2;
      gW[0] += x[0] * dz;
      gW[1] += x[1] * dz;
      gb += dz;
    });
    expect(eng.lastStatus).toBe(StepStatus.Ok);
    expect(loss).toBeCloseTo(L, 6);
    const [g, gB] = eng.getGradients();
    expect(g[0]).toBeCloseTo(gW[0], 6);
    expect(g[1]).toBeCloseTo(gW[1], 6);
    expect(gB[0]).toBeCloseTo(gb, 6);
    const [W, b] = eng.getParameters();
    expect(W[0]).toBeCloseTo(0.25 - 0.5 * gW[0], 6);
    expect(W[1]).toBeCloseTo(-0.5 - 0.5 * gW[1], 6);
    expect(b[0]).toBeCloseTo(0.125 - 0.5 * gb, 6);
    eng.dispose();
  });

  const optimizers: [string, OptimizerConfig][] = [
    ['sgd', sgd(0.1, { weightDecay: 0.01, decayBiases: false })],
    ['sgd momentum dampening', sgd(0.05, { momentum: 0.9, dampening: 0.1, weightDecay: 0.001 })],
    ['sgd nesterov', sgd(0.05, { momentum: 0.8, nesterov: true })],
    ['adam amsgrad', { type: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.01, decayBiases: true, amsgrad: true }],
    ['adamw', { type: 'adamw', lr: 0.01, beta1: 0.8, beta2: 0.999, eps: 1e-6, weightDecay: 0.1, decayBiases: false, amsgrad: false }],
    ['rmsprop centered momentum', { type: 'rmsprop', lr: 0.005, alpha: 0.95, eps: 1e-6, momentum: 0.5, centered: true, weightDecay: 0.01, decayBiases: true }],
    ['rmsprop', { type: 'rmsprop', lr: 0.01, alpha: 0.99, eps: 1e-8, momentum: 0, centered: false, weightDecay: 0, decayBiases: true }],
  ];
  const nets: [string, Stage[], LossName, number][] = [
    ['tanh-relu / mse', [dense(5, 7, 'tanh'), dense(7, 9, 'relu'), dense(9, 3, 'identity')], 'mse', 3],
    ['leaky-sigmoid / bce', [dense(5, 6, 'leaky_relu', 0.1), dense(6, 2, 'sigmoid')], 'bce', 2],
    ['softmax layer / categorical_ce (fused)', [dense(5, 8, 'relu', 0, false), dense(8, 4, 'softmax')], 'categorical_ce', 4],
    [
      'standalone activations / softmax_ce',
      [
        { kind: 'activation', size: 5, activation: 'tanh', alpha: 0 },
        dense(5, 4, 'identity'),
        { kind: 'activation', size: 4, activation: 'leaky_relu', alpha: 0.2 },
      ],
      'softmax_ce',
      4,
    ],
    ['bce_logits', [dense(5, 3, 'tanh'), dense(3, 2, 'identity')], 'bce_logits', 2],
    ['sigmoid_mse', [dense(5, 4, 'sigmoid'), dense(4, 2, 'identity')], 'sigmoid_mse', 2],
    ['step hidden / sse', [dense(5, 4, 'sigmoid'), dense(4, 3, 'step'), dense(3, 2, 'identity')], 'sse', 2],
  ];
  for (const [oname, opt] of optimizers) {
    for (const [nname, stages, loss, out] of nets) {
      it(`agrees with the reference: ${nname}, ${oname}, shuffled batches`, () => {
        const plan: Plan = { inputSize: 5, outputSize: out, stages, loss, optimizer: opt };
        const r = rng(11);
        const rows = 37;
        const x = Array.from({ length: rows * 5 }, () => Math.fround(r() * 2));
        const y = Array.from({ length: rows * out }, (_, i) => {
          if (loss === 'categorical_ce' || loss === 'softmax_ce') return i % out === (Math.floor(i / out) * 7) % out ? 1 : 0;
          if (loss === 'mse') return Math.fround(r());
          return Math.fround((r() + 1) / 2);
        });
        const order = Int32Array.from({ length: rows }, (_, i) => (i * 13) % rows);
        const w = new WasmEngine(plan, 4);
        const ref = new ReferenceEngine(plan);
        const init = randomParams(w, r);
        w.setParameters(init);
        ref.setParameters(init);
        const dw = w.loadData(x, y, rows),
          dr = ref.loadData(x, y, rows);
        dw.setOrder(order);
        dr.setOrder(order);
        for (let epoch = 0; epoch < 3; epoch++) {
          for (let s = 0; s < rows; s += 10) {
            const n = Math.min(10, rows - s);
            const lw = w.trainStep(dw, s, n),
              lr = ref.trainStep(dr, s, n);
            expect(w.lastStatus).toBe(StepStatus.Ok);
            expect(Math.abs(lw - lr) / Math.max(1, Math.abs(lr))).toBeLessThan(1e-5);
          }
        }
        expect(worst(w.getGradients(), ref.getGradients())).toBeLessThan(1e-5);
        // Parameters move by 0.04-0.4 here; f32 keeps within ~1e-7 of the reference.
        expect(worst(w.getParameters(), ref.getParameters())).toBeLessThan(1e-5);
        const sw = w.getOptimizerState(),
          sr = ref.getOptimizerState();
        expect(sw.step).toBe(sr.step);
        expect(Object.keys(sw.buffers).sort()).toEqual(Object.keys(sr.buffers).sort());
        for (const k of Object.keys(sr.buffers)) expect(worst([sw.buffers[k]], [sr.buffers[k]]), k).toBeLessThan(1e-4);
        expect(worst([w.predict(x, rows)], [ref.predict(x, rows)])).toBeLessThan(1e-4);
        w.dispose();
      });
    }
  }

  it('a shuffled order gives the same step as the same rows loaded in that order', () => {
    const plan: Plan = { inputSize: 3, outputSize: 2, stages: [dense(3, 4, 'relu'), dense(4, 2, 'identity')], loss: 'mse', optimizer: sgd(0.1) };
    const r = rng(5);
    const x = Array.from({ length: 18 }, () => r()),
      y = Array.from({ length: 12 }, () => r());
    const order = [4, 1, 5, 0, 2, 3];
    const a = new WasmEngine(plan),
      b = new WasmEngine(plan);
    const p = randomParams(a, r);
    a.setParameters(p);
    b.setParameters(p);
    const da = a.loadData(x, y, 6);
    da.setOrder(Int32Array.from(order));
    const db = b.loadData(
      order.flatMap((i) => x.slice(i * 3, i * 3 + 3)),
      order.flatMap((i) => y.slice(i * 2, i * 2 + 2)),
      6,
    );
    expect(a.trainStep(da, 1, 4)).toBe(b.trainStep(db, 1, 4));
    expect(a.getParameters()).toEqual(b.getParameters());
    expect(() => da.setOrder(Int32Array.from([0, 6]))).toThrow(/outside/);
    a.dispose();
    b.dispose();
  });

  describe('non-finite steps change nothing', () => {
    const plan: Plan = { inputSize: 1, outputSize: 1, stages: [dense(1, 1, 'identity')], loss: 'sse', optimizer: sgd(0.1, { momentum: 0.9 }) };
    function setup(x: number[], lr = 0.1) {
      const eng = new WasmEngine({ ...plan, optimizer: sgd(lr, { momentum: 0.9 }) });
      eng.setParameters([[1], [0]]);
      const d = eng.loadData(
        x,
        x.map(() => 0),
        x.length,
      );
      return { eng, d };
    }

    it('a huge learning rate: NonFiniteUpdate, parameters and state unchanged', () => {
      const { eng, d } = setup([1, 2], 1e38);
      const loss = eng.trainStep(d, 0, 2);
      expect(loss).toBeCloseTo(2.5, 6);
      expect(eng.lastStatus).toBe(StepStatus.NonFiniteUpdate);
      expect(eng.getParameters().map((t) => Array.from(t))).toEqual([[1], [0]]);
      expect(eng.getOptimizerState()).toEqual({ step: 0, buffers: { momentum: new Float64Array(2) } });
      // The gradients too stay those of the last accepted step (none yet), as the reference's.
      expect(eng.getGradients().map((t) => Array.from(t))).toEqual([[0], [0]]);
      eng.dispose();
    });

    it('an overflowing gradient: NonFiniteGradient', () => {
      const { eng, d } = setup([1e30]);
      eng.trainStep(d, 0, 1);
      expect(eng.lastStatus).toBe(StepStatus.NonFiniteGradient);
      expect(eng.getParameters().map((t) => Array.from(t))).toEqual([[1], [0]]);
      eng.dispose();
    });

    it('NaN in the data: NonFiniteLoss; a later good step works', () => {
      const { eng, d } = setup([NaN, 1]);
      expect(eng.trainStep(d, 0, 2)).toBeNaN();
      expect(eng.lastStatus).toBe(StepStatus.NonFiniteLoss);
      expect(eng.getParameters().map((t) => Array.from(t))).toEqual([[1], [0]]);
      eng.trainStep(d, 1, 1);
      expect(eng.lastStatus).toBe(StepStatus.Ok);
      expect(eng.getParameters()[0][0]).toBeCloseTo(0.9, 6);
      expect(eng.getGradients()[0][0]).toBeCloseTo(1, 6);
      // computeGradients stores whatever it computes, NaN included, and leaves lastStatus alone.
      expect(eng.computeGradients(d, 0, 2)).toBeNaN();
      expect(eng.getGradients()[0][0]).toBeNaN();
      expect(eng.lastStatus).toBe(StepStatus.Ok);
      eng.dispose();
    });
  });

  it('predict in chunks past the capacity equals row-by-row predict', () => {
    const plan: Plan = { inputSize: 4, outputSize: 3, stages: [dense(4, 6, 'tanh'), dense(6, 3, 'softmax')], loss: 'categorical_ce', optimizer: sgd(0.1) };
    const eng = new WasmEngine(plan, 1);
    const r = rng(9);
    eng.setParameters(randomParams(eng, r, 1));
    const rows = 2500;
    const x = Float64Array.from({ length: rows * 4 }, () => r());
    const all = eng.predict(x, rows);
    expect(all.length).toBe(rows * 3);
    for (const i of [0, 1, 1023, 1024, 2047, 2048, 2499]) {
      const one = eng.predict(Array.from(x.subarray(i * 4, i * 4 + 4)), 1);
      expect(Array.from(all.subarray(i * 3, i * 3 + 3))).toEqual(Array.from(one));
    }
    expect(eng.predict([], 0).length).toBe(0);
    eng.dispose();
  });

  it('optimizer state round-trips and resets', () => {
    const plan: Plan = {
      inputSize: 2,
      outputSize: 1,
      stages: [dense(2, 3, 'relu'), dense(3, 1, 'identity')],
      loss: 'mse',
      optimizer: { type: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decayBiases: true, amsgrad: false },
    };
    const eng = new WasmEngine(plan);
    const r = rng(1);
    eng.setParameters(randomParams(eng, r));
    const d = eng.loadData([1, 2, 3, 4], [1, 0], 2);
    eng.trainStep(d, 0, 2);
    eng.trainStep(d, 0, 2);
    const s = eng.getOptimizerState();
    expect(s.step).toBe(2);
    expect(s.buffers.m.some((v) => v !== 0)).toBe(true);
    eng.resetOptimizer();
    expect(eng.getOptimizerState().step).toBe(0);
    expect(eng.getOptimizerState().buffers.v.every((v) => v === 0)).toBe(true);
    eng.setOptimizerState(s);
    expect(eng.getOptimizerState()).toEqual(s);
    expect(() => eng.setOptimizerState({ step: 1, buffers: { m: new Float64Array(3) } })).toThrow(/expected buffers/);
    eng.dispose();
  });

  it('rejects a plan whose sizes do not chain, before touching memory', () => {
    const base: Plan = { inputSize: 3, outputSize: 2, stages: [dense(3, 4, 'relu'), dense(4, 2, 'identity')], loss: 'mse', optimizer: sgd(0.1) };
    expect(() => new WasmEngine({ ...base, stages: [dense(3, 4, 'relu'), dense(5, 2, 'identity')] })).toThrow(/stage 1 takes 5 values but receives 4/);
    expect(() => new WasmEngine({ ...base, outputSize: 3 })).toThrow(/output is 3/);
    expect(() => new WasmEngine({ ...base, stages: [dense(3, 0, 'relu'), dense(0, 2, 'identity')] })).toThrow(/>= 1/);
    expect(() => new WasmEngine({ ...base, loss: 'hinge' as never })).toThrow(/unknown loss 'hinge'/);
  });

  it('a plan with no stage (only Flatten) outputs its input', () => {
    const eng = new WasmEngine({ inputSize: 3, outputSize: 3, stages: [], loss: 'mse', optimizer: sgd(0.1) });
    expect(Array.from(eng.predict([1, 2, 3, 4, 5, 6], 2))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(eng.getParameters()).toEqual([]);
    eng.dispose();
  });

  it('throws after dispose, and dispose is idempotent', () => {
    const plan: Plan = { inputSize: 2, outputSize: 1, stages: [dense(2, 1, 'identity')], loss: 'mse', optimizer: sgd(0.1) };
    const eng = new WasmEngine(plan);
    const d = eng.loadData([1, 2], [3], 1);
    eng.dispose();
    eng.dispose();
    expect(() => eng.getParameters()).toThrow(/disposed/);
    expect(() => eng.trainStep(d, 0, 1)).toThrow(/disposed/);
    expect(() => eng.predict([1, 2], 1)).toThrow(/disposed/);
    expect(() => d.setOrder(null)).toThrow(/disposed/);
  });
});
