/**
 * Gradient clipping on both backends: clip_grad_norm_ (global 2-norm over every W and b) below
 * and above the limit, clip_grad_value_, both applied before weight decay and the update, the
 * kept gradients of a step being the clipped ones while model.gradients() stays unclipped.
 */
import { describe, expect, it } from 'vitest';
import { Dense, Sequential, SGD, Tanh, ValueError } from '../src/index.js';
import type { Plan } from '../src/plan.js';
import { createEngine } from '../src/backends.js';
import type { Engine } from '../src/engine.js';

const X = Array.from({ length: 6 }, (_, i) => [Math.cos(i), i / 3 - 1, Math.sin(2 * i)]);
const Y = X.map((r) => [2 * r[0] + r[1], r[2] - 1]);
const TOL = { reference: 1e-12, wasm: 2e-6 };

function net(backend: 'wasm' | 'reference'): Sequential {
  return new Sequential([new Dense(3, 4), new Tanh(), new Dense(4, 2)], { seed: 11, backend });
}

/** An engine of `plan`'s stages with the given extras, holding `params`. */
function engineWith(model: Sequential, extra: Partial<Plan>, wd = 0): Engine {
  const plan: Plan = { ...model.plan, optimizer: new SGD({ lr: 0.5, weightDecay: wd }).config, ...extra };
  const e = createEngine(plan, model.backend);
  e.setParameters(model.liveEngine.getParameters());
  return e;
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `index ${i}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
}

describe.each(['reference', 'wasm'] as const)('clipping on %s', (backend) => {
  /** The raw first-batch gradients (flat), their norm, and the parameters (flat). */
  function raw(m: Sequential) {
    const e = engineWith(m, {});
    const data = e.loadData(X.flat(), Y.flat(), X.length);
    e.computeGradients(data, 0, X.length);
    const g = e.getGradients().flatMap((t) => Array.from(t));
    data.dispose();
    const p = e.getParameters().flatMap((t) => Array.from(t));
    e.dispose();
    return { g, p, norm: Math.hypot(...g) };
  }

  /** One SGD step (lr 0.5) with `extra`: the new parameters and the kept gradients, flat. */
  function step(m: Sequential, extra: Partial<Plan>, wd = 0) {
    const e = engineWith(m, extra, wd);
    const data = e.loadData(X.flat(), Y.flat(), X.length);
    e.trainStep(data, 0, X.length);
    const out = { p: e.getParameters().flatMap((t) => Array.from(t)), g: e.getGradients().flatMap((t) => Array.from(t)) };
    data.dispose();
    e.dispose();
    return out;
  }

  it('norm below max_norm: the step is exactly the unclipped one', () => {
    const m = net(backend);
    const { norm } = raw(m);
    expect(step(m, { clipGradNorm: norm * 1.5 })).toEqual(step(m, {}));
    m.dispose();
  });

  it('norm above max_norm: every gradient scaled by M/(norm + 1e-6) before weight decay and the update', () => {
    const m = net(backend);
    const { g, p, norm } = raw(m);
    const M = norm / 4;
    const scale = M / (norm + 1e-6);
    const clipped = g.map((v) => v * scale);
    const s = step(m, { clipGradNorm: M }, 0.01);
    close(s.g, clipped, TOL[backend]);
    close(
      s.p,
      p.map((v, i) => v - 0.5 * (clipped[i] + 0.01 * v)),
      TOL[backend],
    );
    expect(Math.hypot(...s.g)).toBeCloseTo(M, 5);
    m.dispose();
  });

  it('clipValue clamps each gradient, then the norm limit applies to the clamped ones', () => {
    const m = net(backend);
    const { g, p } = raw(m);
    const v = Math.max(...g.map(Math.abs)) / 3;
    const clamped = g.map((x) => Math.max(-v, Math.min(v, x)));
    expect(clamped.filter((x, i) => x !== g[i]).length).toBeGreaterThan(0);
    close(
      step(m, { clipValue: v }).p,
      p.map((x, i) => x - 0.5 * clamped[i]),
      TOL[backend],
    );
    const n = Math.hypot(...clamped);
    const both = clamped.map((x) => (x * (n / 2)) / (n + 1e-6));
    close(step(m, { clipValue: v, clipGradNorm: n / 2 }).g, both, TOL[backend]);
    m.dispose();
  });

  it('through compile and fit: model.gradients() stays unclipped, the weights move less', async () => {
    const clippedModel = net(backend).compile({ loss: 'mse', optimizer: new SGD({ lr: 0.5 }), clipGradNorm: 1e-3 });
    const plain = net(backend).compile({ loss: 'mse', optimizer: new SGD({ lr: 0.5 }) });
    expect(clippedModel.gradients(X, Y)).toEqual(plain.gradients(X, Y));
    const before = clippedModel.getWeights().flat(2) as number[];
    await clippedModel.fit(X, Y, { epochs: 1, batchSize: 6, shuffle: false });
    const moved = Math.hypot(...(clippedModel.getWeights().flat(2) as number[]).map((w, i) => w - before[i]));
    expect(moved).toBeCloseTo(0.5e-3, 5);
    const doc = clippedModel.toJSON();
    expect(doc.compile?.clipGradNorm).toBe(1e-3);
    const back = Sequential.fromJSON(doc);
    expect(back.plan.clipGradNorm).toBe(1e-3);
    for (const x of [clippedModel, plain, back]) x.dispose();
  });
});

describe('clip options are checked by compile', () => {
  it('refuses non-positive or non-numbers', () => {
    const m = net('reference');
    for (const bad of [0, -1, NaN, Infinity, '1']) {
      expect(() => m.compile({ loss: 'mse', clipGradNorm: bad as number })).toThrow(ValueError);
      expect(() => m.compile({ loss: 'mse', clipValue: bad as number })).toThrow(/clipValue must be a finite number > 0/);
    }
    expect(m.compiled).toBe(false);
    m.dispose();
  });
});
