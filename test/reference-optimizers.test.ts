/**
 * The reference optimisers: first steps derived by hand, then many steps of every option
 * combination against a second, independently written loop that follows the pseudo-code of
 * the torch.optim docs (PyTorch 1.13) one scalar at a time.
 */
import { describe, expect, it } from 'vitest';
import type { AdamConfig, OptimizerConfig, RMSpropConfig, SGDConfig } from '../src/plan.js';
import { initialState, optimizerStep } from '../src/reference/optimizers.js';
import type { OptimizerState } from '../src/engine.js';
import { Random } from '../src/random.js';

const sgdConfig = (o: Partial<SGDConfig>): SGDConfig => ({
  type: 'sgd',
  lr: 0.1,
  momentum: 0,
  dampening: 0,
  nesterov: false,
  weightDecay: 0,
  decayBiases: true,
  ...o,
});
const adamConfig = (o: Partial<AdamConfig>): AdamConfig => ({
  type: 'adam',
  lr: 0.1,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0,
  decayBiases: true,
  amsgrad: false,
  ...o,
});
const rmsConfig = (o: Partial<RMSpropConfig>): RMSpropConfig => ({
  type: 'rmsprop',
  lr: 0.01,
  alpha: 0.99,
  eps: 1e-8,
  momentum: 0,
  centered: false,
  weightDecay: 0,
  decayBiases: true,
  ...o,
});

/** Runs `steps` updates of one scalar on the quadratic 0.5 p² (g = p), from p = 1; returns p after each. */
function onQuadratic(config: OptimizerConfig, steps: number): number[] {
  let p: Float64Array = Float64Array.of(1);
  let state: OptimizerState = initialState(config, 1);
  const out: number[] = [];
  for (let t = 0; t < steps; t++) {
    ({ params: p, state } = optimizerStep(config, p, Float64Array.from(p), Uint8Array.of(1), state));
    out.push(p[0]);
  }
  return out;
}

describe('optimisers: first steps by hand on g = p, p0 = 1', () => {
  it('SGD with Nesterov momentum', () => {
    // t1: buf = 1, d = 1 + 0.9·1 = 1.9, p = 1 - 0.19 = 0.81
    // t2: buf = 0.9·1 + 0.81 = 1.71, d = 0.81 + 0.9·1.71 = 2.349, p = 0.81 - 0.2349 = 0.5751
    const [p1, p2] = onQuadratic(sgdConfig({ momentum: 0.9, nesterov: true }), 2);
    expect(p1).toBeCloseTo(0.81, 15);
    expect(p2).toBeCloseTo(0.5751, 15);
  });

  it('SGD with dampening (not applied on the first step)', () => {
    // t1: buf = g = 1, p = 0.9;  t2: buf = 0.9·1 + 0.5·0.9 = 1.35, p = 0.9 - 0.135 = 0.765
    const [p1, p2] = onQuadratic(sgdConfig({ momentum: 0.9, dampening: 0.5 }), 2);
    expect(p1).toBeCloseTo(0.9, 15);
    expect(p2).toBeCloseTo(0.765, 15);
  });

  it('SGD with weight decay', () => {
    // g' = g + 0.5 p = 1.5, p = 1 - 0.15
    expect(onQuadratic(sgdConfig({ weightDecay: 0.5 }), 1)[0]).toBeCloseTo(0.85, 15);
  });

  it('Adam: the first step moves by lr (bias correction makes m̂/sqrt(v̂) = 1)', () => {
    // m = 0.1, v = 0.001; m̂ = 1, v̂ = 1: p = 1 - 0.1 · 1/(1 + 1e-8)
    expect(onQuadratic(adamConfig({}), 1)[0]).toBeCloseTo(1 - 0.1 / (1 + 1e-8), 15);
  });

  it('AdamW: decoupled decay p·(1 - lr·wd) before the Adam step, on the undecayed gradient', () => {
    // p = 1·(1 - 0.1·0.1) = 0.99, then - 0.1/(1 + 1e-8) with g = 1 (not 1 + wd p)
    expect(onQuadratic(adamConfig({ type: 'adamw', weightDecay: 0.1 }), 1)[0]).toBeCloseTo(0.99 - 0.1 / (1 + 1e-8), 15);
    // Adam with L2 instead: g = 1.1, m̂/sqrt(v̂) is still 1, so the first step is the same lr
    expect(onQuadratic(adamConfig({ weightDecay: 0.1 }), 1)[0]).toBeCloseTo(1 - 0.1 / (1 + 1e-8 / 1.1), 15);
  });

  it('RMSprop centered', () => {
    // sq = 0.01·1, ga = 0.01·1, avg = sqrt(0.01 - 0.0001) + 1e-8, p = 1 - 0.01/avg
    expect(onQuadratic(rmsConfig({ centered: true }), 1)[0]).toBeCloseTo(1 - 0.01 / (Math.sqrt(0.0099) + 1e-8), 15);
  });

  it('RMSprop with momentum', () => {
    // t1: sq = 0.01, avg = 0.1 + 1e-8, buf = 1/avg, p1 = 1 - 0.01 buf
    // t2: g = p1, sq = 0.99·0.01 + 0.01 p1², buf = 0.9 buf + p1/(sqrt(sq) + 1e-8), p2 = p1 - 0.01 buf
    const buf1 = 1 / (0.1 + 1e-8);
    const p1 = 1 - 0.01 * buf1;
    const buf2 = 0.9 * buf1 + p1 / (Math.sqrt(0.99 * 0.01 + 0.01 * p1 * p1) + 1e-8);
    const [q1, q2] = onQuadratic(rmsConfig({ momentum: 0.9 }), 2);
    expect(q1).toBeCloseTo(p1, 15);
    expect(q2).toBeCloseTo(p1 - 0.01 * buf2, 15);
  });
});

/** torch.optim pseudo-code (docs, 1.13), one scalar at a time, with its own state object. */
function torchDocsStep(c: OptimizerConfig, t: number, theta: number, grad: number, decay: boolean, s: Record<string, number>): number {
  const wd = decay ? c.weightDecay : 0;
  let g = grad;
  if (c.type === 'sgd') {
    if (wd !== 0) g = g + wd * theta;
    if (c.momentum !== 0) {
      s.b = t > 1 ? c.momentum * s.b + (1 - c.dampening) * g : g;
      g = c.nesterov ? g + c.momentum * s.b : s.b;
    }
    return theta - c.lr * g;
  }
  if (c.type === 'adam' || c.type === 'adamw') {
    if (c.type === 'adamw') theta = theta - c.lr * wd * theta;
    else if (wd !== 0) g = g + wd * theta;
    s.m = c.beta1 * (s.m ?? 0) + (1 - c.beta1) * g;
    s.v = c.beta2 * (s.v ?? 0) + (1 - c.beta2) * g * g;
    const mHat = s.m / (1 - c.beta1 ** t);
    s.vMax = Math.max(s.vMax ?? 0, s.v);
    const vHat = (c.amsgrad ? s.vMax : s.v) / (1 - c.beta2 ** t);
    return theta - (c.lr * mHat) / (Math.sqrt(vHat) + c.eps);
  }
  if (c.type !== 'rmsprop') throw new Error('unreachable');
  if (wd !== 0) g = g + wd * theta;
  s.v = c.alpha * (s.v ?? 0) + (1 - c.alpha) * g * g;
  let vTilde = s.v;
  if (c.centered) {
    s.gAve = c.alpha * (s.gAve ?? 0) + (1 - c.alpha) * g;
    vTilde = vTilde - s.gAve * s.gAve;
  }
  if (c.momentum > 0) {
    s.b = c.momentum * (s.b ?? 0) + g / (Math.sqrt(vTilde) + c.eps);
    return theta - c.lr * s.b;
  }
  return theta - (c.lr * g) / (Math.sqrt(vTilde) + c.eps);
}

describe('optimisers vs an independent torch-docs loop, 12 steps on 6 parameters', () => {
  const configs: OptimizerConfig[] = [];
  for (const momentum of [0, 0.9])
    for (const dampening of [0, 0.3])
      for (const nesterov of [false, true]) {
        if (nesterov && dampening !== 0) continue; // PyTorch forbids it
        for (const weightDecay of [0, 0.05]) configs.push(sgdConfig({ momentum, dampening, nesterov, weightDecay, decayBiases: false }));
      }
  for (const type of ['adam', 'adamw'] as const)
    for (const amsgrad of [false, true])
      for (const weightDecay of [0, 0.1]) {
        configs.push(adamConfig({ type, amsgrad, weightDecay, lr: 0.01, decayBiases: false }));
      }
  for (const centered of [false, true])
    for (const momentum of [0, 0.8])
      for (const weightDecay of [0, 0.1]) {
        configs.push(rmsConfig({ centered, momentum, weightDecay, decayBiases: false }));
      }

  it.each(configs.map((c) => [JSON.stringify(c), c] as const))('%s', (_name, config) => {
    const rng = new Random(17);
    const n = 6;
    const decays = Uint8Array.of(1, 1, 1, 1, 0, 0); // the last two are biases with decayBiases false
    let p: Float64Array = Float64Array.from({ length: n }, () => rng.normal());
    const theirs = Array.from(p);
    const theirState = Array.from({ length: n }, () => ({}) as Record<string, number>);
    let state = initialState(config, n);
    for (let t = 1; t <= 12; t++) {
      // A gradient that depends on p (so errors compound) plus noise.
      const g = Float64Array.from(p, (v) => 0.7 * v + rng.normal(0, 0.3));
      ({ params: p, state } = optimizerStep(config, p, g, decays, state));
      for (let i = 0; i < n; i++) theirs[i] = torchDocsStep(config, t, theirs[i], g[i], decays[i] === 1, theirState[i]);
      expect(state.step).toBe(t);
      for (let i = 0; i < n; i++) expect(Math.abs(p[i] - theirs[i])).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(theirs[i])));
    }
  });

  it('is pure: inputs are not mutated', () => {
    const config = adamConfig({ amsgrad: true });
    const p = Float64Array.of(1, 2),
      g = Float64Array.of(0.5, -0.5);
    const state = initialState(config, 2);
    optimizerStep(config, p, g, Uint8Array.of(1, 1), state);
    expect(Array.from(p)).toEqual([1, 2]);
    expect(Array.from(g)).toEqual([0.5, -0.5]);
    expect(state.step).toBe(0);
    expect(Array.from(state.buffers.m)).toEqual([0, 0]);
  });
});
