/**
 * The reference engine against every PyTorch float64 fixture in ../shared/fixtures: forward
 * pass, first gradients, first update, every batch loss, final weights and outputs, all to
 * |a-b| <= 1e-9 * max(1, |b|) (the fixtures' own comparison rule).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ActivationName, DenseStage, LossName, OptimizerConfig, Plan, Stage } from '../src/plan.js';
import { StepStatus } from '../src/engine.js';
import { ReferenceEngine } from '../src/reference/engine.js';
import { checkFixture } from '../src/check-fixture.js';
import { resolveSchedule, type ScheduleConfig } from '../src/model/schedule.js';
import { scheduleLr } from '../src/model/schedule-lr.js';

const FIXTURES = fileURLToPath(new URL('../../shared/fixtures/', import.meta.url));
const TOL = 1e-9;

type Layer = { type: 'dense'; in: number; out: number } | { type: 'activation'; fn: ActivationName; alpha?: number };
type Weights = Record<string, number[][] | number[]>;
interface Fixture {
  name: string;
  kind?: string;
  layers: Layer[];
  loss: LossName;
  optimizer: Record<string, number | boolean | string>;
  schedule?: Record<string, number | string>;
  clip_grad_norm?: number;
  batch_size: number;
  epochs: number;
  x: number[][];
  y: number[][];
  initial: Weights;
  forward0: number[][];
  loss0_full: number;
  grads_step0: Weights;
  after_step0: Weights;
  per_step: { step: number; epoch: number; rows: [number, number]; loss: number; lr?: number }[];
  final: Weights;
  forward_final: number[][];
  loss_final_full: number;
}

/** Lowers fixture layers as src/plan.ts describes: a Dense takes the activation right after it. */
function lower(layers: Layer[]): Stage[] {
  const stages: Stage[] = [];
  let width = 0;
  layers.forEach((l, i) => {
    if (l.type === 'dense') {
      stages.push({ kind: 'dense', inSize: l.in, outSize: l.out, useBias: true, activation: 'identity', alpha: 0 });
      width = l.out;
    } else if (layers[i - 1]?.type === 'dense') {
      const dense = stages[stages.length - 1] as DenseStage;
      dense.activation = l.fn;
      dense.alpha = l.alpha ?? 0;
    } else {
      stages.push({ kind: 'activation', size: width, activation: l.fn, alpha: l.alpha ?? 0 });
    }
  });
  return stages;
}

function optimizerOf(o: Fixture['optimizer']): OptimizerConfig {
  const num = (k: string, fallback = 0) => (o[k] ?? fallback) as number;
  const flag = (k: string, fallback = false) => (o[k] ?? fallback) as boolean;
  const common = { lr: num('lr'), weightDecay: num('weight_decay', o.type === 'adamw' ? 0.01 : 0), decayBiases: flag('decay_biases', true) };
  if (o.type === 'sgd') return { type: 'sgd', ...common, momentum: num('momentum'), dampening: num('dampening'), nesterov: flag('nesterov') };
  if (o.type === 'adam' || o.type === 'adamw') {
    return { type: o.type, ...common, beta1: num('beta1'), beta2: num('beta2'), eps: num('eps'), amsgrad: flag('amsgrad') };
  }
  if (o.type === 'rmsprop') {
    return { type: 'rmsprop', ...common, alpha: num('alpha'), eps: num('eps'), momentum: num('momentum'), centered: flag('centered') };
  }
  throw new Error(`fixture optimizer ${String(o.type)} not mapped`);
}

/** The fixture's schedule (PyTorch names, stepped per epoch) as wasmlp's, or null. */
function scheduleOf(s: Fixture['schedule']): ScheduleConfig | null {
  if (s === undefined) return null;
  const known: Record<string, Record<string, string>> = {
    step: { step_size: 'stepSize', gamma: 'gamma' },
    exponential: { gamma: 'gamma' },
    cosine: { t_max: 'tMax', eta_min: 'etaMin' },
  };
  const names = known[s.type as string];
  if (!names) throw new Error(`fixture schedule ${String(s.type)} not mapped`);
  const spec: Record<string, unknown> = { type: s.type };
  for (const [k, v] of Object.entries(s)) if (k !== 'type') spec[names[k] ?? `unmapped ${k}`] = v;
  return resolveSchedule(spec);
}

function planOf(f: Fixture): Plan {
  const stages = lower(f.layers);
  const dense = f.layers.filter((l): l is Extract<Layer, { type: 'dense' }> => l.type === 'dense');
  return {
    inputSize: dense[0].in,
    outputSize: dense[dense.length - 1].out,
    stages,
    // forward_only fixtures have no loss or optimiser; any will do for predict().
    loss: f.loss ?? 'mse',
    optimizer: optimizerOf(f.optimizer ?? { type: 'sgd', lr: 0, momentum: 0, dampening: 0, nesterov: false, weight_decay: 0 }),
    ...(f.clip_grad_norm !== undefined ? { clipGradNorm: f.clip_grad_norm } : {}),
  };
}

/** Fixture weights {W0, b0, ...} as Keras-order flat tensors. */
function tensors(w: Weights, denseCount: number): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < denseCount; k++) out.push((w[`W${k}`] as number[][]).flat(), w[`b${k}`] as number[]);
  return out;
}

/** Worst scaled error |a-b| / max(1, |b|) over paired values. */
function worst(a: ArrayLike<number>[], b: number[][]): number {
  expect(a.length).toBe(b.length);
  let e = 0;
  a.forEach((t, i) => {
    expect(t.length).toBe(b[i].length);
    for (let j = 0; j < t.length; j++) e = Math.max(e, Math.abs(t[j] - b[i][j]) / Math.max(1, Math.abs(b[i][j])));
  });
  return e;
}

const files = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .sort();
const load = (f: string): Fixture => JSON.parse(readFileSync(FIXTURES + f, 'utf8'));
// BatchNorm fixtures mix modes (full-data losses in evaluation mode, batch losses in training
// mode): they run through the public API (checkFixture) below, not straight on the engine.
const hasBatchNorm = (f: string) => (load(f).layers as { type: string }[]).some((l) => l.type === 'batchnorm');
const training = files.filter((f) => load(f).kind === undefined && !hasBatchNorm(f));
const batchNorm = files.filter((f) => load(f).kind === undefined && hasBatchNorm(f));
const report: Record<string, number> = {};

describe('reference engine vs PyTorch fixtures', () => {
  it('finds the fixtures', () => {
    expect(training.length).toBeGreaterThanOrEqual(15);
  });

  it.each(training)('%s', (file) => {
    const f = load(file);
    const plan = planOf(f);
    const nDense = f.layers.filter((l) => l.type === 'dense').length;
    const engine = new ReferenceEngine(plan);
    engine.setParameters(tensors(f.initial, nDense));
    const n = f.x.length;
    const data = engine.loadData(f.x.flat(), f.y.flat(), n);
    const errors: Record<string, number> = {};

    errors.forward0 = worst([engine.predict(f.x.flat(), n)], [f.forward0.flat()]);
    errors.loss0_full = worst([[engine.computeGradients(data, 0, n)]], [[f.loss0_full]]);
    const B = f.batch_size;
    const loss0 = engine.computeGradients(data, 0, Math.min(B, n));
    errors.grads_step0 = worst(engine.getGradients(), tensors(f.grads_step0, nDense));

    let step = 0;
    let stepLoss = Math.abs(loss0 - f.per_step[0].loss) / Math.max(1, Math.abs(f.per_step[0].loss));
    let stepLr = 0;
    const schedule = scheduleOf(f.schedule);
    for (let epoch = 0; epoch < f.epochs; epoch++) {
      if (schedule) {
        const lr = scheduleLr(schedule, plan.optimizer.lr, epoch);
        engine.setLearningRate(lr);
        for (const s of f.per_step.filter((p) => p.epoch === epoch)) stepLr = Math.max(stepLr, Math.abs(lr - s.lr!) / Math.max(1, Math.abs(s.lr!)));
      }
      for (let start = 0; start < n; start += B) {
        const expected = f.per_step[step];
        expect(expected.rows).toEqual([start, Math.min(start + B, n)]);
        const loss = engine.trainStep(data, start, Math.min(B, n - start));
        expect(engine.lastStatus).toBe(StepStatus.Ok);
        stepLoss = Math.max(stepLoss, Math.abs(loss - expected.loss) / Math.max(1, Math.abs(expected.loss)));
        if (step === 0) errors.after_step0 = worst(engine.getParameters(), tensors(f.after_step0, nDense));
        step++;
      }
    }
    expect(step).toBe(f.per_step.length);
    errors.per_step = stepLoss;
    if (schedule) errors.per_step_lr = stepLr;
    errors.final = worst(engine.getParameters(), tensors(f.final, nDense));
    errors.forward_final = worst([engine.predict(f.x.flat(), n)], [f.forward_final.flat()]);
    errors.loss_final_full = worst([[engine.computeGradients(data, 0, n)]], [[f.loss_final_full]]);

    for (const [field, e] of Object.entries(errors)) expect(e, `${file} ${field}`).toBeLessThanOrEqual(TOL);
    report[f.name] = Math.max(...Object.values(errors));
  });

  it('finds the BatchNorm fixtures', () => {
    expect(batchNorm.length).toBeGreaterThanOrEqual(2);
  });

  it.each(batchNorm)('%s (through the public API)', async (file) => {
    const r = await checkFixture(load(file), 'reference', TOL);
    for (const field of r.fields) expect(field.worst, `${file} ${field.field}`).toBeLessThanOrEqual(TOL);
    expect(r.fields.map((x) => x.field)).toContain('grads_step0');
    report[r.name] = r.worst;
  });

  it("seed003_fixed_forward.json: the seed's 3-layer forward pass", () => {
    const f = load('seed003_fixed_forward.json') as Fixture & { expected_from_seed_8dp: number[][] };
    const engine = new ReferenceEngine(planOf(f));
    engine.setParameters(tensors(f.initial, 3));
    const out = engine.predict(f.x.flat(), 1);
    expect(out[0]).toBeCloseTo(0.31682708, 8);
    expect(out[1]).toBeCloseTo(0.69627909, 8);
    f.forward0[0].forEach((v, j) => expect(Math.abs(out[j] - v)).toBeLessThanOrEqual(1e-12));
    expect(Array.from(out).map((v) => +v.toFixed(8))).toEqual(f.expected_from_seed_8dp[0]);
  });

  afterAll(() => {
    const lines = Object.entries(report).map(([k, e]) => `  ${k.padEnd(36)} ${e.toExponential(2)}`);
    console.log(`worst scaled error per fixture (tolerance ${TOL}):\n${lines.join('\n')}`);
  });
});
