/**
 * Threads change nothing but speed: the same steps with 1 (the ordinary build), 2 and 3 threads
 * (the threads build, one team) give bit-identical weights, gradients, optimiser state and
 * losses, for every optimiser, odd layer widths, batches that are not multiples of 4, shuffled
 * and in-order batches, computeGradients, and a threaded predict.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/wasm/core.js';
import { WasmEngine } from '../src/wasm/engine.js';
import type { ActivationName, LossName, OptimizerConfig, Plan, Stage } from '../src/plan.js';
import { rng } from './helpers/rng.js';

beforeAll(async () => {
  await ready();
});

const engines: WasmEngine[] = [];
afterAll(() => {
  for (const e of engines) e.dispose();
});

function dense(inSize: number, outSize: number, activation: ActivationName, alpha = 0, useBias = true): Stage {
  return { kind: 'dense', inSize, outSize, useBias, activation, alpha };
}

const sgd = (lr: number, more: Partial<OptimizerConfig> = {}): OptimizerConfig =>
  ({ type: 'sgd', lr, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, decayBiases: true, ...more }) as OptimizerConfig;

const OPTIMIZERS: [string, OptimizerConfig][] = [
  ['sgd', sgd(0.05)],
  ['sgd momentum nesterov decay', sgd(0.05, { momentum: 0.9, nesterov: true, weightDecay: 0.001, decayBiases: false })],
  ['adam amsgrad', { type: 'adam', lr: 0.003, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.01, decayBiases: true, amsgrad: true }],
  ['adamw', { type: 'adamw', lr: 0.003, beta1: 0.8, beta2: 0.999, eps: 1e-6, weightDecay: 0.1, decayBiases: false, amsgrad: false }],
  ['rmsprop centered momentum', { type: 'rmsprop', lr: 0.002, alpha: 0.95, eps: 1e-6, momentum: 0.5, centered: true, weightDecay: 0.01, decayBiases: true }],
];

const NETS: [string, number, Stage[], LossName, number][] = [
  // [name, inputs, stages, loss, rows per batch]
  ['mnist-like 784-64-10 softmax/categorical_ce (fused)', 784, [dense(784, 64, 'relu'), dense(64, 10, 'softmax')], 'categorical_ce', 50],
  ['odd widths 65-17-10 tanh/leaky/mse', 65, [dense(65, 17, 'tanh'), dense(17, 10, 'leaky_relu', 0.1), dense(10, 3, 'identity')], 'mse', 37],
  ['one output, bce_logits, no bias', 30, [dense(30, 33, 'sigmoid', 0, false), dense(33, 1, 'identity')], 'bce_logits', 45],
  [
    'standalone activations, softmax_ce',
    21,
    [dense(21, 40, 'identity'), { kind: 'activation', size: 40, activation: 'relu', alpha: 0 }, dense(40, 9, 'identity')],
    'softmax_ce',
    23,
  ],
];

type Run = {
  losses: number[];
  params: Float64Array[];
  grads: Float64Array[];
  state: Record<string, Float64Array>;
  step: number;
  out: Float64Array;
  gradLoss: number;
  gradsOnly: Float64Array[];
};

/** Trains a fresh engine for `steps` batches with `threads` threads and records everything. */
async function run(plan: Plan, threads: number, rows: number, batch: number, steps: number, seed: number, lr?: number): Promise<Run> {
  const eng = new WasmEngine(plan);
  engines.push(eng);
  const r = rng(seed);
  eng.setParameters(eng.getParameters().map((t) => t.map(() => Math.fround(r() * 0.3))));
  // Set before prepare: the lr must follow the network into the threads build.
  if (lr !== undefined) eng.setLearningRate(lr);
  await eng.prepare({ threads, batchSize: batch });
  expect(eng.threads).toBe(threads);
  const x = Float32Array.from({ length: rows * plan.inputSize }, () => r());
  const y = new Float32Array(rows * plan.outputSize);
  for (let i = 0; i < rows; i++) {
    if (plan.loss === 'mse') for (let j = 0; j < plan.outputSize; j++) y[i * plan.outputSize + j] = r();
    else if (plan.outputSize === 1) y[i] = r() > 0 ? 1 : 0;
    else y[i * plan.outputSize + (Math.floor(((r() + 1) / 2) * plan.outputSize) % plan.outputSize)] = 1;
  }
  const data = eng.loadData(x, y, rows);
  const losses: number[] = [];
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  for (let s = 0; s < steps; s++) {
    if (s % 3 === 0) {
      for (let i = rows - 1; i > 0; i--) {
        const j = Math.floor(((r() + 1) / 2) * (i + 1)) % (i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      data.setOrder(s % 2 === 0 ? order : null);
    }
    const start = (s * batch) % (rows - batch + 1);
    losses.push(eng.trainStep(data, start, batch));
  }
  const step = eng.getOptimizerState().step;
  const out = eng.predict(x, rows);
  const gradLoss = eng.computeGradients(data, 1, batch - 1);
  const gradsOnly = eng.getGradients();
  data.dispose();
  return { losses, params: eng.getParameters(), grads: eng.getGradients(), state: eng.getOptimizerState().buffers, step, out, gradLoss, gradsOnly };
}

/** The differences between two runs (empty when bit-identical). */
function differences(a: Run, b: Run): string[] {
  const diffs: string[] = [];
  const same = (name: string, u: ArrayLike<number>, v: ArrayLike<number>) => {
    if (u.length !== v.length) {
      diffs.push(`${name}: lengths ${u.length} vs ${v.length}`);
      return;
    }
    for (let i = 0; i < u.length; i++) {
      if (!Object.is(u[i], v[i])) {
        diffs.push(`${name}[${i}]: ${u[i]} vs ${v[i]}`);
        return;
      }
    }
  };
  same('losses', a.losses, b.losses);
  a.params.forEach((p, i) => same(`param ${i}`, p, b.params[i]));
  a.gradsOnly.forEach((p, i) => same(`gradients ${i}`, p, b.gradsOnly[i]));
  for (const k of Object.keys(a.state)) same(`state ${k}`, a.state[k], b.state[k]);
  same('predict', a.out, b.out);
  same('computeGradients loss', [a.gradLoss, a.step], [b.gradLoss, b.step]);
  return diffs;
}

describe('threads: bit-identical to one thread', () => {
  for (const [nname, inputs, stages, loss, batch] of NETS) {
    for (const [oname, optimizer] of OPTIMIZERS) {
      it(`${nname}, ${oname}: 1, 2 and 3 threads`, async () => {
        const outputSize = stages[stages.length - 1].kind === 'dense' ? (stages[stages.length - 1] as { outSize: number }).outSize : 0;
        const plan: Plan = { inputSize: inputs, outputSize, stages, loss, optimizer };
        const rows = batch * 3 + 5;
        const one = await run(plan, 1, rows, batch, 7, 42);
        expect(one.step).toBe(7);
        for (const t of [2, 3]) expect(differences(await run(plan, t, rows, batch, 7, 42), one)).toEqual([]);
      });
    }
  }

  it('gradient clipping (by value and global norm), huber delta and a set lr: 1, 2 and 3 threads', async () => {
    const stages = [dense(65, 17, 'tanh'), dense(17, 10, 'leaky_relu', 0.1), dense(10, 3, 'identity')];
    const base: Plan = { inputSize: 65, outputSize: 3, stages, loss: 'huber', huberDelta: 0.5, optimizer: sgd(0.5, { momentum: 0.9 }) };
    const plan: Plan = { ...base, clipGradNorm: 0.05, clipValue: 0.02 };
    const one = await run(plan, 1, 37 * 3 + 5, 37, 7, 42, 0.3);
    // Clipping and the lr really act: without them the same steps end elsewhere.
    expect(differences(await run(base, 1, 37 * 3 + 5, 37, 7, 42), one)).not.toEqual([]);
    for (const t of [2, 3]) expect(differences(await run(plan, t, 37 * 3 + 5, 37, 7, 42, 0.3), one)).toEqual([]);
  });

  it('non-finite steps: the same statuses, losses and untouched weights on 1, 2 and 3 threads', async () => {
    const plan: Plan = { inputSize: 20, outputSize: 4, stages: [dense(20, 24, 'tanh'), dense(24, 4, 'identity')], loss: 'mse', optimizer: sgd(3e37) };
    const outcome = async (threads: number) => {
      const eng = new WasmEngine(plan);
      engines.push(eng);
      const r = rng(5);
      eng.setParameters(eng.getParameters().map((t) => t.map(() => Math.fround(r() * 0.3))));
      await eng.prepare({ threads, batchSize: 12 });
      const x = Float32Array.from({ length: 48 * 20 }, () => r());
      x[13 * 20 + 3] = NaN; // batch 1 has a NaN input
      const y = Float32Array.from({ length: 48 * 4 }, () => r() * 10);
      const data = eng.loadData(x, y, 48);
      const seen: (number | string)[] = [];
      for (let b = 0; b < 4; b++) {
        seen.push(eng.trainStep(data, b * 12, 12), eng.lastStatus);
        seen.push(...eng.getParameters().map((t) => t.reduce((a, v) => a + v, 0)));
      }
      data.dispose();
      return seen;
    };
    const one = await outcome(1);
    expect(one.filter((v, i) => i % 6 === 1 && v !== 0).length).toBeGreaterThan(0);
    for (const t of [2, 3]) expect(await outcome(t)).toEqual(one);
  });

  it('a batch smaller than the thread count, and 4 threads on 5 rows', async () => {
    const plan: Plan = { inputSize: 9, outputSize: 3, stages: [dense(9, 12, 'relu'), dense(12, 3, 'softmax')], loss: 'categorical_ce', optimizer: sgd(0.1) };
    const one = await run(plan, 1, 8, 2, 5, 7);
    expect(differences(await run(plan, 3, 8, 2, 5, 7), one)).toEqual([]);
    const one5 = await run(plan, 1, 12, 5, 5, 8);
    expect(differences(await run(plan, 4, 12, 5, 5, 8), one5)).toEqual([]);
  });
});
