/**
 * The fixture runner: replays a PyTorch golden run (../shared/fixtures format) through the
 * public API and reports the worst scaled error |a-b| / max(1, |b|) of every field. Used by the
 * tests and by `wasmlp check-fixture`.
 */
import { ConfigError, describe } from './errors.js';
import { checkFixtureFields } from './fixture-schema.js';
import { activationLayer, Dense, type Layer, Softmax } from './model/layers.js';
import { preload } from './model/parts.js';
import { Sequential, type Weights } from './model/sequential.js';
import type { BackendName } from './engine-options.js';
import type { LossSpec } from './model/compile-options.js';
import type { OptimizerSpec } from './model/optimizers.js';
import type { ActivationName } from './plan.js';
import { fixtureBatchNorm, fixtureBatchNormTensors, type FixtureBatchNorm } from './fixture-batchnorm.js';

/** Default tolerances: float64 reference 1e-9 (as the fixtures' own checker); f32 core see README. */
export const FIXTURE_TOLERANCE: Record<BackendName, number> = { reference: 1e-9, wasm: 1e-5 };

/** One compared field and its worst scaled error. */
export interface FieldResult {
  field: string;
  worst: number;
  values: number;
}

/** The outcome of one fixture on one backend. */
export interface FixtureReport {
  name: string;
  kind: 'training' | 'forward_only' | 'dataset';
  backend: BackendName;
  tolerance: number;
  fields: FieldResult[];
  /** The largest error over all fields (0 for datasets, which have nothing to replay). */
  worst: number;
  pass: boolean;
}

type Nested = number | Nested[];
interface FixtureLayer {
  type: 'dense' | 'activation' | 'batchnorm';
  in?: number;
  out?: number;
  fn?: string;
  alpha?: number;
  features?: number;
}
interface Fixture {
  name?: string;
  kind?: string;
  layers: FixtureLayer[];
  loss: string;
  optimizer: Record<string, unknown>;
  schedule?: Record<string, unknown>;
  clip_grad_norm?: number;
  batch_size: number;
  epochs: number;
  x: number[][];
  y: number[][];
  initial: Record<string, Nested>;
  final: Record<string, Nested>;
  after_step0: Record<string, Nested>;
  grads_step0: Record<string, Nested>;
  forward0: number[][];
  forward_final: number[][];
  forward0_softmax?: number[][];
  loss0_full: number;
  loss_final_full: number;
  per_step: { loss: number; lr?: number }[];
}

function flat(v: Nested): number[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v];
}

/** Worst |a-b| / max(1, |b|) over two equally long lists (Infinity when lengths differ or a is NaN). */
export function scaledError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i]));
    if (!(e <= worst)) worst = Number.isNaN(e) ? Infinity : e;
  }
  return worst;
}

function buildLayers(f: Fixture): Layer[] {
  let dense = 0;
  return f.layers.map((l, i) => {
    if (l.type === 'dense') {
      const useBias = `b${dense}` in f.initial;
      dense++;
      return new Dense(l.in!, l.out!, { useBias });
    }
    if (l.type === 'activation') return activationLayer(String(l.fn) as ActivationName, l.alpha);
    if (l.type === 'batchnorm') return fixtureBatchNorm(l as FixtureBatchNorm, i);
    throw new ConfigError(`fixture layers[${i}]: unknown type ${describe(l.type)}`);
  });
}

/** The fixture's weights dict {W0, b0, ...} in Keras order for setWeights. */
function weightList(w: Record<string, Nested>, layers: FixtureLayer[]): number[][] {
  const out: number[][] = [];
  let dense = 0,
    bn = 0;
  for (const l of layers) {
    if (l.type === 'batchnorm') out.push(...fixtureBatchNormTensors(w, bn++, l.features!));
    if (l.type !== 'dense') continue;
    out.push(flat(w[`W${dense}`]));
    if (Object.hasOwn(w, `b${dense}`)) out.push(flat(w[`b${dense}`]));
    dense++;
  }
  return out;
}

function flatWeights(ws: Weights): number[] {
  return ws.flatMap((w) => flat(w as Nested));
}

/** PyTorch-style fixture optimiser settings as a wasmlp optimiser config. */
function optimizerOf(o: Record<string, unknown>): { type: string; [k: string]: unknown } {
  // AdamW's own default decay (torch.optim.AdamW's, 0.01) applies when the fixture gives none.
  const common: Record<string, unknown> = {
    lr: o.lr,
    weightDecay: o.weight_decay ?? (o.type === 'adamw' ? undefined : 0),
    decayBiases: o.decay_biases ?? true,
  };
  if (o.type === 'sgd') return { type: 'sgd', ...common, momentum: o.momentum ?? 0, dampening: o.dampening ?? 0, nesterov: o.nesterov ?? false };
  if (o.type === 'adam' || o.type === 'adamw') return { type: o.type, ...common, beta1: o.beta1, beta2: o.beta2, eps: o.eps, amsgrad: o.amsgrad ?? false };
  if (o.type === 'rmsprop') return { type: 'rmsprop', ...common, alpha: o.alpha, eps: o.eps, momentum: o.momentum ?? 0, centered: o.centered ?? false };
  throw new ConfigError(`fixture optimizer type ${describe(o.type)} is not supported`);
}

/** A fixture schedule (PyTorch's field names, stepped per epoch) as a compile schedule. */
function scheduleOf(s: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (s === undefined) return undefined;
  if (s.type === 'step') return { type: 'step', stepSize: s.step_size, gamma: s.gamma };
  if (s.type === 'exponential') return { type: 'exponential', gamma: s.gamma };
  if (s.type === 'cosine') return { type: 'cosine', tMax: s.t_max, etaMin: s.eta_min ?? 0 };
  throw new ConfigError(`fixture schedule type ${describe(s.type)} is not supported`);
}

/**
 * Replays `fixture` (a parsed fixture JSON) on `backend` and compares every field. Creates and
 * disposes its own models; changes nothing else.
 */
export async function checkFixture(fixture: unknown, backend: BackendName, tolerance = FIXTURE_TOLERANCE[backend]): Promise<FixtureReport> {
  if (typeof fixture !== 'object' || fixture === null) throw new ConfigError('a fixture must be a JSON object');
  const f = fixture as Fixture;
  const name = f.name ?? '(unnamed)';
  if (f.kind === 'dataset') return { name, kind: 'dataset', backend, tolerance, fields: [], worst: 0, pass: true };
  if (!Array.isArray(f.layers) || typeof f.initial !== 'object') throw new ConfigError(`fixture ${name}: missing layers or initial weights`);
  checkFixtureFields(f as unknown as Record<string, unknown>, name);
  const fields: FieldResult[] = [];
  const compare = (field: string, ours: ArrayLike<number>, theirs: ArrayLike<number>) =>
    fields.push({ field, worst: scaledError(ours, theirs), values: theirs.length });
  if (backend === 'reference') await preload('reference'); // a browser fetches that engine on first use
  const model = new Sequential(buildLayers(f), { backend, seed: 0 });
  const models = [model];
  try {
    model.setWeights(weightList(f.initial, f.layers));
    compare('forward0', model.predict(f.x).flat(), f.forward0.flat());
    if (f.kind === 'forward_only') {
      if (f.forward0_softmax) {
        const withSoftmax = new Sequential([...buildLayers(f), new Softmax()], { backend, seed: 0 });
        models.push(withSoftmax);
        withSoftmax.setWeights(weightList(f.initial, f.layers));
        compare('forward0_softmax', withSoftmax.predict(f.x).flat(), f.forward0_softmax.flat());
      }
    } else {
      model.compile({
        loss: f.loss as LossSpec,
        optimizer: optimizerOf(f.optimizer) as OptimizerSpec,
        schedule: scheduleOf(f.schedule),
        clipGradNorm: f.clip_grad_norm,
      });
      compare('loss0_full', [model.evaluate(f.x, f.y).loss], [f.loss0_full]);
      const first = model.gradients(f.x.slice(0, f.batch_size), f.y.slice(0, f.batch_size));
      compare('grads_step0', flatWeights(first.gradients), weightList(f.grads_step0, f.layers).flat());
      const losses: number[] = [];
      const rates: number[] = [];
      let afterStep0: number[] = [];
      await model.fit(f.x, f.y, {
        epochs: f.epochs,
        batchSize: f.batch_size,
        shuffle: false,
        onBatchEnd: (_b, logs) => {
          losses.push(logs.loss);
          rates.push(logs.lr);
          if (losses.length === 1) afterStep0 = flatWeights(model.getWeights());
        },
      });
      compare('after_step0', afterStep0, weightList(f.after_step0, f.layers).flat());
      compare(
        'per_step',
        losses,
        f.per_step.map((s) => s.loss),
      );
      if (f.schedule !== undefined)
        compare(
          'per_step_lr',
          rates,
          f.per_step.map((s) => s.lr ?? NaN),
        );
      compare('final', flatWeights(model.getWeights()), weightList(f.final, f.layers).flat());
      compare('forward_final', model.predict(f.x).flat(), f.forward_final.flat());
      compare('loss_final_full', [model.evaluate(f.x, f.y).loss], [f.loss_final_full]);
    }
  } finally {
    for (const m of models) m.dispose();
  }
  const worst = Math.max(0, ...fields.map((x) => x.worst));
  return { name, kind: f.kind === 'forward_only' ? 'forward_only' : 'training', backend, tolerance, fields, worst, pass: worst <= tolerance };
}
