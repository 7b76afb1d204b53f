/**
 * Finite-difference check of the reference itself: for every activation and every loss, the
 * parameter gradients of computeGradients match central differences of the loss in float64.
 */
import { describe, expect, it } from 'vitest';
import type { ActivationName, LossName, Plan, Stage } from '../src/plan.js';
import { parameterLayout } from '../src/plan.js';
import { ReferenceEngine } from '../src/reference/engine.js';
import { Random } from '../src/random.js';

const H = 1e-6;

const dense = (inSize: number, outSize: number, activation: ActivationName, alpha = 0, useBias = true): Stage => ({
  kind: 'dense',
  inSize,
  outSize,
  useBias,
  activation,
  alpha,
});
const act = (size: number, activation: ActivationName, alpha = 0): Stage => ({ kind: 'activation', size, activation, alpha });

/** Targets a loss can take: one-hot rows for the cross-entropies, 0/1 for bce, anything else otherwise. */
function targets(loss: LossName, rows: number, cols: number, rng: Random): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    if (loss === 'softmax_ce' || loss === 'categorical_ce') t[r * cols + rng.int(cols)] = 1;
    else for (let j = 0; j < cols; j++) t[r * cols + j] = loss === 'bce' || loss === 'bce_logits' ? rng.int(2) : rng.uniform(-1, 1);
  }
  if (loss === 'sigmoid_mse') for (let i = 0; i < t.length; i++) t[i] = (t[i] + 1) / 2;
  return t;
}

/**
 * Worst |analytic - numeric| / max(|numeric|, 1e-3) over every parameter element. Central
 * differences with h = 1e-6 carry ~1e-10 of rounding noise (loss eps / h), so gradients below
 * 1e-3 are compared absolutely; a wrong formula is off by far more than 1e-6 of the gradient.
 */
function gradcheck(stages: Stage[], loss: LossName, seed: number, extra: Partial<Plan> = {}): number {
  const first = stages[0];
  const last = stages[stages.length - 1];
  const inputSize = first.kind === 'dense' ? first.inSize : first.size;
  const outputSize = last.kind === 'dense' ? last.outSize : last.size;
  const plan: Plan = {
    inputSize,
    outputSize,
    stages,
    loss,
    optimizer: { type: 'sgd', lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, decayBiases: true },
    ...extra,
  };
  const rng = new Random(seed);
  const rows = 5;
  const engine = new ReferenceEngine(plan);
  const params = parameterLayout(plan).map((l) => Float64Array.from({ length: l.length }, () => rng.normal(0, 0.8)));
  engine.setParameters(params);
  const x = Float64Array.from({ length: rows * inputSize }, () => rng.normal());
  const data = engine.loadData(x, targets(loss, rows, outputSize, rng), rows);
  engine.computeGradients(data, 0, rows);
  const analytic = engine.getGradients();

  let worst = 0;
  params.forEach((p, t) => {
    for (let i = 0; i < p.length; i++) {
      const keep = p[i];
      p[i] = keep + H;
      engine.setParameters(params);
      const up = engine.computeGradients(data, 0, rows);
      p[i] = keep - H;
      engine.setParameters(params);
      const down = engine.computeGradients(data, 0, rows);
      p[i] = keep;
      const numeric = (up - down) / (2 * H);
      worst = Math.max(worst, Math.abs(analytic[t][i] - numeric) / Math.max(Math.abs(numeric), 1e-3));
    }
  });
  engine.setParameters(params);
  return worst;
}

describe('reference gradients vs central differences', () => {
  const activations: [ActivationName, number][] = [
    ['identity', 0],
    ['sigmoid', 0],
    ['tanh', 0],
    ['relu', 0],
    ['leaky_relu', 0.1],
    ['step', 0],
    ['softmax', 0],
  ];
  it.each(activations)('hidden %s (mse)', (name, alpha) => {
    expect(gradcheck([dense(3, 4, name, alpha), dense(4, 2, 'tanh'), dense(2, 2, 'identity')], 'mse', 1)).toBeLessThan(1e-6);
  });

  it.each(activations)('%s as a standalone activation stage (sse)', (name, alpha) => {
    expect(gradcheck([dense(3, 4, 'tanh'), act(4, name, alpha), dense(4, 2, 'identity')], 'sse', 2)).toBeLessThan(1e-6);
  });

  const losses: [LossName, ActivationName][] = [
    ['sse', 'identity'],
    ['mse', 'identity'],
    ['mse', 'softmax'], // softmax as the last layer with mse: the full Jacobian
    ['bce', 'sigmoid'],
    ['bce_logits', 'identity'],
    ['softmax_ce', 'identity'],
    ['categorical_ce', 'softmax'], // fused (p - t)/B
    ['categorical_ce', 'sigmoid'], // unfused -t/(p B)
    ['sigmoid_mse', 'identity'],
    ['mae', 'identity'],
    ['mae', 'tanh'],
    ['huber', 'identity'],
  ];
  it.each(losses)('loss %s after %s', (loss, last) => {
    expect(gradcheck([dense(3, 4, 'sigmoid'), dense(4, 3, last)], loss, 3)).toBeLessThan(1e-6);
  });

  it('huber with delta 0.3 (both the quadratic and the linear part are hit)', () => {
    const stages = [dense(3, 4, 'sigmoid'), dense(4, 3, 'identity')];
    expect(gradcheck(stages, 'huber', 7, { huberDelta: 0.3 })).toBeLessThan(1e-6);
    // A delta this large keeps every element quadratic: then huber is mse / 2 and the check still holds.
    expect(gradcheck(stages, 'huber', 8, { huberDelta: 50 })).toBeLessThan(1e-6);
  });

  it('categorical_ce after a standalone softmax stage is fused too', () => {
    expect(gradcheck([dense(3, 4, 'relu'), dense(4, 3, 'identity'), act(3, 'softmax')], 'categorical_ce', 4)).toBeLessThan(1e-6);
  });

  it('a layer without bias, and an activation stage on the raw input', () => {
    expect(gradcheck([act(3, 'tanh'), dense(3, 4, 'leaky_relu', 0.2, false), dense(4, 1, 'sigmoid')], 'bce', 5)).toBeLessThan(1e-6);
  });

  it('a deeper network', () => {
    const stages = [dense(4, 6, 'relu'), dense(6, 5, 'tanh'), dense(5, 5, 'softmax'), dense(5, 4, 'sigmoid'), dense(4, 3, 'identity')];
    expect(gradcheck(stages, 'softmax_ce', 6)).toBeLessThan(1e-6);
  });
});
