// model.trace(x, y): one step made visible. Its dW, db against model.gradients and PyTorch's
// grads_step0, its updates against PyTorch's after_step0 - initial, δ by finite differences of
// the loss, the forward values against layerOutputs, the diagnostics against their definitions,
// both backends, and that nothing in the model changes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  Activation,
  BatchNorm,
  Dense,
  Dropout,
  HISTOGRAM_BINS,
  ReLU,
  Random,
  SGD,
  Sequential,
  Sigmoid,
  StateError,
  Tanh,
  ValueError,
  type ActivationName,
  type Layer,
  type LossName,
  type OptimizerSpec,
  type Weights,
} from '../src/index.js';

const BACKENDS = ['wasm', 'reference'] as const;
type Nested = number | Nested[];
const flat = (v: unknown): number[] => (Array.isArray(v) ? (v as Nested[]).flatMap((e) => flat(e)) : [v as number]);

interface FixtureLayer {
  type: string;
  in?: number;
  out?: number;
  fn?: ActivationName;
  alpha?: number;
  features?: number;
  eps?: number;
  momentum?: number;
}
/** The fixture's optimiser (../shared/fixtures/README.md: sgd or adam, PyTorch's field names). */
type FixtureOptimizer =
  | { type: 'sgd'; lr: number; momentum: number; dampening: number; nesterov: boolean; weight_decay: number }
  | { type: 'adam'; lr: number; beta1: number; beta2: number; eps: number; weight_decay: number; amsgrad: boolean };
interface Fixture {
  layers: FixtureLayer[];
  loss: LossName;
  optimizer: FixtureOptimizer;
  batch_size: number;
  x: number[][];
  y: number[][] | number[];
  initial: Record<string, Nested>;
  grads_step0: Record<string, Nested>;
  after_step0: Record<string, Nested>;
}
const fixture = (name: string): Fixture => JSON.parse(readFileSync(new URL(`../../shared/fixtures/${name}.json`, import.meta.url), 'utf8'));

/** The fixture's network on `backend` with its initial weights, compiled with its loss and optimiser. */
function fromFixture(f: Fixture, backend: 'wasm' | 'reference'): { model: Sequential; names: string[] } {
  let dense = 0,
    bn = 0;
  const names: string[] = [];
  const layers: Layer[] = f.layers.map((l) => {
    if (l.type === 'dense') {
      const useBias = `b${dense}` in f.initial;
      names.push(`W${dense}`, ...(useBias ? [`b${dense}`] : []));
      dense++;
      return new Dense(l.in!, l.out!, { useBias });
    }
    if (l.type === 'batchnorm') {
      names.push(...['gamma', 'beta', 'running_mean', 'running_var'].map((p) => `bn${bn}_${p}`));
      bn++;
      return new BatchNorm(l.features!, { eps: l.eps, momentum: l.momentum });
    }
    return new Activation(l.fn!, l.alpha);
  });
  const model = new Sequential(layers, { seed: 1, backend });
  model.setWeights(names.map((n) => flat(f.initial[n])));
  const o = f.optimizer;
  const optimizer: OptimizerSpec =
    o.type === 'sgd'
      ? { type: 'sgd', lr: o.lr, momentum: o.momentum, dampening: o.dampening, nesterov: o.nesterov, weightDecay: o.weight_decay }
      : { type: o.type, lr: o.lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weight_decay, amsgrad: o.amsgrad };
  model.compile({ loss: f.loss, optimizer });
  return { model, names };
}

/** Largest |a - b| / max(1, |b|) over paired values. */
function worst(a: unknown, b: unknown): number {
  const x = flat(a),
    y = flat(b);
  expect(x.length).toBe(y.length);
  return x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i]) / Math.max(1, Math.abs(y[i]))), 0);
}

const BOUND = { reference: 1e-9, wasm: 1e-5 } as const;

describe('trace against PyTorch', () => {
  for (const name of ['deep4_bce_momentum_minibatch', 'batchnorm_tanh_adam_mse']) {
    for (const backend of BACKENDS) {
      it(`${name} on ${backend}: dW, db are grads_step0 and the updates after_step0 - initial`, () => {
        const f = fixture(name);
        const { model, names } = fromFixture(f, backend);
        const x = f.x.slice(0, f.batch_size),
          y = (f.y as unknown[]).slice(0, f.batch_size) as number[][];
        const trace = model.trace(x, y);
        const params = new Map(trace.layers.flatMap((l) => l.parameters.map((p) => [p.name, p] as const)));
        expect([...params.keys()].sort()).toEqual([...names].sort());
        for (const [n, p] of params) {
          if (n in f.grads_step0) expect(worst(p.grad, f.grads_step0[n]), `${n} grad`).toBeLessThan(BOUND[backend]);
          if (/running/.test(n)) {
            expect(flat(p.update).every((v) => v === 0)).toBe(true);
            continue;
          }
          const expected = flat(f.after_step0[n]).map((v, i) => v - flat(f.initial[n])[i]);
          expect(worst(p.update, expected), `${n} update`).toBeLessThan(BOUND[backend]);
        }
        // The Dense shortcuts are the same tensors.
        const first = trace.layers[0];
        expect(first.dW).toEqual(params.get('W0')!.grad);
        expect(first.db).toEqual(params.get('b0')!.grad);
        model.dispose();
      });
    }
  }
});

function toyModel(backend: 'wasm' | 'reference', layers?: Layer[]): Sequential {
  const m = new Sequential(layers ?? [new Dense(3, 5), new Tanh(), new Dense(5, 4), new ReLU(), new Dense(4, 2), new Sigmoid()], { seed: 3, backend });
  m.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.5, momentum: 0.9 }) });
  return m;
}
function toyData(rows: number, seed: number): { x: number[][]; y: number[][] } {
  const r = new Random(seed);
  const x = Array.from({ length: rows }, () => [r.uniform(-2, 2), r.uniform(-2, 2), r.uniform(-2, 2)]);
  return { x, y: x.map((v) => [v[0] * v[1] > 0 ? 1 : 0, v[2] > 0 ? 1 : 0]) };
}

describe('model.trace', () => {
  it('dW, db equal model.gradients (reference: exactly; wasm: within 1e-5), dW = inputᵀ·δ and db = Σ δ', () => {
    const { x, y } = toyData(11, 1);
    for (const backend of BACKENDS) {
      const m = toyModel(backend);
      const trace = m.trace(x, y);
      const g = m.gradients(x, y);
      const fromTrace: Weights = trace.layers.flatMap((l) => l.parameters.map((p) => p.grad));
      if (backend === 'reference') expect(fromTrace).toEqual(g.gradients);
      else expect(worst(fromTrace, g.gradients)).toBeLessThan(1e-5);
      expect(Math.abs(trace.loss - g.loss)).toBeLessThan(backend === 'reference' ? 1e-15 : 1e-5);
      for (const l of trace.layers.filter((t) => t.kind === 'dense')) {
        const dW = l.W!.map((row, i) => row.map((_, j) => l.input.reduce((s, inRow, r) => s + inRow[i] * l.delta[r][j], 0)));
        expect(worst(l.dW, dW)).toBeLessThan(1e-12);
        expect(
          worst(
            l.db,
            l.b!.map((_, j) => l.delta.reduce((s, row) => s + row[j], 0)),
          ),
        ).toBeLessThan(1e-12);
      }
      m.dispose();
    }
  });

  it('δ = dL/dz, checked by central finite differences of the loss on each z', () => {
    const { x, y } = toyData(4, 2);
    const m = toyModel('reference');
    const trace = m.trace(x, y);
    // The loss as a function of layer 1's z: the rest of the network from there (ReLU, Dense, Sigmoid), then the MSE.
    const w = m.getWeights() as number[][][];
    const [W2, b2] = [w[4] as number[][], w[5] as unknown as number[]];
    const lossFromZ1 = (z: number[][]): number => {
      let s = 0;
      z.forEach((row, r) => {
        const a = row.map((v) => Math.max(0, v));
        b2.forEach((bj, j) => {
          const out = 1 / (1 + Math.exp(-(a.reduce((t, v, i) => t + v * W2[i][j], 0) + bj)));
          s += (out - y[r][j]) ** 2;
        });
      });
      return s / (z.length * b2.length);
    };
    const z1 = trace.layers[1].z;
    expect(Math.abs(lossFromZ1(z1) - trace.loss)).toBeLessThan(1e-12);
    const h = 1e-6;
    z1.forEach((row, r) =>
      row.forEach((v, j) => {
        const plus = z1.map((q) => q.slice()),
          minus = z1.map((q) => q.slice());
        plus[r][j] = v + h;
        minus[r][j] = v - h;
        if (Math.abs(v) < 1e-4) return; // ReLU's kink
        expect(trace.layers[1].delta[r][j]).toBeCloseTo((lossFromZ1(plus) - lossFromZ1(minus)) / (2 * h), 7);
      }),
    );
    m.dispose();
  });

  it("the forward values are layerOutputs' (a wasm model's within 1e-5), and both backends agree within 1e-5 on the same weights", () => {
    const { x, y } = toyData(9, 3);
    const wasm = toyModel('wasm'),
      ref = toyModel('reference');
    ref.setWeights(wasm.getWeights());
    const a = wasm.trace(x, y),
      b = ref.trace(x, y);
    const outs = wasm.layerOutputs(x);
    expect(worst(a.layers[0].z, outs[0])).toBeLessThan(1e-5);
    expect(worst(a.layers[2].a, outs[5])).toBeLessThan(1e-5);
    expect(a.layers[0].input).toEqual(x);
    for (const k of ['z', 'a', 'delta'] as const) a.layers.forEach((l, i) => expect(worst(l[k], b.layers[i][k])).toBeLessThan(1e-5));
    expect(a.layers.map((l) => l.layers)).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    wasm.dispose();
    ref.dispose();
  });

  it("ratio = ‖ΔW‖/‖W‖, SGD's first update is -lr·dW, and the schedule's next rate is used", () => {
    const { x, y } = toyData(8, 4);
    for (const backend of BACKENDS) {
      const m = toyModel(backend);
      const t = m.trace(x, y);
      expect(t.lr).toBe(0.5);
      const l = t.layers[0];
      expect(
        worst(
          l.dWUpdate,
          l.dW!.map((row) => row.map((v) => -0.5 * v)),
        ),
      ).toBeLessThan(1e-12);
      const n = (v: number[][]) => Math.sqrt(v.flat().reduce((s, q) => s + q * q, 0));
      expect(l.updateRatio).toBeCloseTo(n(l.dWUpdate!) / n(l.W!), 12);
      m.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.5 }), schedule: { type: 'exponential', gamma: 0.5 } });
      m.schedule.step = 2;
      expect(m.trace(x, y).lr).toBeCloseTo(0.125, 15);
      m.dispose();
    }
  });

  it('diagnostics: dead ReLUs, saturated units and histograms follow their definitions', () => {
    // Layer 0's second unit has W = 0, b = -1: z = -1 on every row, a dead ReLU.
    const m = new Sequential([new Dense(2, 3), new ReLU(), new Dense(3, 1), new Sigmoid()], { seed: 1, backend: 'reference' });
    m.compile({ loss: 'bce', optimizer: 'sgd' });
    m.setWeights([
      [
        [1, 0, 100],
        [0, 0, 100],
      ],
      [0, -1, 0],
      [[1], [1], [1]],
      [50],
    ]);
    const t = m.trace(
      [
        [1, 1],
        [-1, 2],
        [0.5, -3],
      ],
      [1, 0, 1],
    );
    expect(t.layers[0].diagnostics.deadReLU).toBeCloseTo(1 / 3, 15);
    expect(t.layers[1].diagnostics.saturated).toBe(1); // sigmoid(≥ 50) on every row
    expect(t.layers[1].diagnostics.deadReLU).toBeUndefined();
    const h = t.layers[0].diagnostics.histograms;
    expect(h.weights!.counts.length).toBe(HISTOGRAM_BINS);
    expect(h.weights!.counts.reduce((s, c) => s + c, 0)).toBe(9);
    expect([h.weights!.min, h.weights!.max]).toEqual([-1, 100]);
    expect(h.activations.counts.reduce((s, c) => s + c, 0)).toBe(9);
    expect(h.gradients.counts.reduce((s, c) => s + c, 0)).toBe(9);
    m.dispose();
  });

  it('BatchNorm (batch statistics) and Dropout (off) appear as layers of their own', () => {
    const { x, y } = toyData(10, 5);
    for (const backend of BACKENDS) {
      const m = toyModel(backend, [new Dense(3, 4), new BatchNorm(4), new Tanh(), new Dropout(0.5), new Dense(4, 2)]);
      const t = m.trace(x, y);
      expect(t.layers.map((l) => l.kind)).toEqual(['dense', 'batchnorm', 'dropout', 'dense']);
      expect(t.layers[1].parameters.map((p) => p.name)).toEqual(['bn0_gamma', 'bn0_beta', 'bn0_running_mean', 'bn0_running_var']);
      // Batch statistics: each feature of gamma·x̂ + beta (gamma 1, beta 0) has mean 0.
      for (let j = 0; j < 4; j++) expect(Math.abs(t.layers[1].z.reduce((s, r) => s + r[j], 0))).toBeLessThan(1e-9);
      expect(t.layers[2].a).toEqual(t.layers[2].input);
      expect(
        worst(
          t.layers.flatMap((l) => l.parameters.map((p) => p.grad)),
          m.gradients(x, y).gradients,
        ),
      ).toBeLessThan(BOUND[backend]);
      m.dispose();
    }
  });

  it('changes nothing: weights, optimiser state, shuffle stream and a following fit', async () => {
    const { x, y } = toyData(16, 6);
    for (const backend of BACKENDS) {
      const a = toyModel(backend, [new Dense(3, 4), new BatchNorm(4), new ReLU(), new Dropout(0.3), new Dense(4, 2)]);
      const b = toyModel(backend, [new Dense(3, 4), new BatchNorm(4), new ReLU(), new Dropout(0.3), new Dense(4, 2)]);
      await a.fit(x, y, { epochs: 1, batchSize: 4 });
      await b.fit(x, y, { epochs: 1, batchSize: 4 });
      const before = JSON.stringify(a.toJSON({ includeOptimizer: true }));
      a.trace(x, y);
      a.trace(x.slice(0, 3), y.slice(0, 3));
      expect(JSON.stringify(a.toJSON({ includeOptimizer: true }))).toBe(before);
      await a.fit(x, y, { epochs: 2, batchSize: 4 });
      await b.fit(x, y, { epochs: 2, batchSize: 4 });
      expect(a.getWeights()).toEqual(b.getWeights());
      a.dispose();
      b.dispose();
    }
  });

  it('refuses an uncompiled model and bad input before any work', () => {
    const m = new Sequential([new Dense(3, 2)], { seed: 1, backend: 'reference' });
    expect(() => m.trace([[1, 2, 3]], [[0, 1]])).toThrow(StateError);
    m.compile({ loss: 'mse' });
    expect(() => m.trace([], [])).toThrow(ValueError);
    expect(() => m.trace([[1, NaN, 3]], [[0, 1]])).toThrow(ValueError);
    expect(() => m.trace([[1, 2]], [[0, 1]])).toThrow();
    m.dispose();
  });
});
