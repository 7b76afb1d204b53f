/**
 * A model's saved state as plain values, between a live Sequential and a file format: the JSON
 * and binary forms both encode this record, and both rebuild through buildModel, so the checks
 * that keep a malformed file from producing a model live in one place.
 */
import { ConfigError, ShapeError, ValueError, WasmlpError, describe } from '../errors.js';
import type { OptimizerConfig, LossName } from '../plan.js';
import { parameterLayout } from '../plan.js';
import type { RandomState } from '../random.js';
import type { BackendName } from '../model/backends.js';
import type { Layer } from '../model/layers.js';
import { lower } from '../model/lower.js';
import { SGD } from '../model/optimizers.js';
import { Sequential, checkWeights } from '../model/sequential.js';
import { MAX_MAGNITUDE } from '../model/input.js';
import type { DType } from './tensor-codec.js';
import type { PendingEpoch } from '../model/fit.js';

/** One named tensor with its values (float64 copies; exact for float32 sources). */
export interface TensorRecord {
  /** W0, b0, ... for weights; the buffer name for optimiser state; absent in version-1 files. */
  name?: string;
  shape: number[];
  values: Float64Array;
}

/** Everything needed to resume training exactly: optimiser step and buffers, the shuffle RNG, an unfinished epoch. */
interface TrainingRecord {
  optimizerStep: number;
  optimizerState: TensorRecord[];
  shuffleRandom: RandomState;
  /** The epoch an interrupted fit left unfinished (see PendingEpoch), or null. */
  pending: PendingEpoch | null;
}

/** A model as values. `dtype` is the precision the weights are stored in (the backend's). */
export interface ModelRecord {
  seed: number;
  backend: BackendName;
  layers: Layer[];
  compile: { loss: LossName | string; optimizer: OptimizerConfig; metrics: string[] } | null;
  dtype: DType;
  weights: TensorRecord[];
  training: TrainingRecord | null;
}

/** Names of the parameter tensors of a plan in Keras order: W0, b0, W1, ... */
function parameterNames(layout: { isBias: boolean }[]): string[] {
  let dense = -1;
  return layout.map((e) => (e.isBias ? `b${dense}` : `W${++dense}`));
}

/**
 * Reads `model` into a record (copies; the model is not changed). With `includeTraining`, the
 * optimiser state and shuffle RNG state come too (null for a model that was never compiled).
 */
export function captureModel(model: Sequential, includeTraining: boolean): ModelRecord {
  const engine = model.liveEngine;
  const layout = parameterLayout(engine.plan);
  const names = parameterNames(layout);
  let training: TrainingRecord | null = null;
  if (includeTraining && model.compiled) {
    const state = engine.getOptimizerState();
    training = {
      optimizerStep: state.step,
      optimizerState: Object.entries(state.buffers).map(([name, values]) => ({ name, shape: [values.length], values })),
      shuffleRandom: model.shuffleRandom.getState(),
      pending: model.pendingEpoch === null ? null : { ...model.pendingEpoch, order: model.pendingEpoch.order?.slice() ?? null },
    };
  }
  return {
    seed: model.seed,
    backend: model.backend,
    layers: model.layers.slice(),
    compile: model.compiled ? { loss: engine.plan.loss, optimizer: { ...engine.plan.optimizer }, metrics: model.metrics.slice() } : null,
    dtype: model.backend === 'wasm' ? 'float32' : 'float64',
    weights: engine.getParameters().map((values, i) => ({ name: names[i], shape: layout[i].shape.slice(), values })),
    training,
  };
}

/** Runs `fn`; a wasmlp error it throws is rethrown as the same class with `prefix` in front. */
export function inContext<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WasmlpError && !e.message.startsWith(prefix)) {
      const Ctor = e.constructor as new (m: string) => WasmlpError;
      throw new Ctor(`${prefix}: ${e.message}`);
    }
    throw e;
  }
}

/**
 * Builds a Sequential from a record, checking everything first: the layers chain, every weight
 * tensor has its layer's size and only finite values, the optimiser state matches the optimiser.
 * Throws ShapeError / ValueError / ConfigError prefixed with `where`; on any error no model is
 * returned and anything allocated is freed. `backend` overrides the saved backend.
 */
export function buildModel(record: ModelRecord, options: { backend?: BackendName }, where: string): Sequential {
  const backend = options.backend ?? record.backend;
  const plan = inContext(`${where}: layers`, () => lower(record.layers, 'mse', new SGD().config));
  const layout = parameterLayout(plan);
  const names = parameterNames(layout);
  record.weights.forEach((w, i) => {
    if (i < names.length && w.name !== undefined && w.name !== names[i]) {
      throw new ConfigError(`${where}: weights[${i}] is named ${describe(w.name)} but the layers' tensor ${i} is ${names[i]}`);
    }
  });
  const weights = inContext(`${where}: weights`, () => checkWeights(plan, record.weights.map((w) => w.values)));
  if (record.training !== null && record.compile === null) throw new ConfigError(`${where}: training state is present but the model has no compile settings`);
  const model = new Sequential(record.layers, { seed: record.seed, backend });
  try {
    if (record.compile !== null) {
      const c = record.compile;
      inContext(`${where}: compile`, () => model.compile({ loss: c.loss, optimizer: c.optimizer as never, metrics: c.metrics }));
    }
    model.setWeights(weights);
    if (record.training !== null) restoreTraining(model, record.training, where);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/** Checks a training record against the model's optimiser and installs it. */
function restoreTraining(model: Sequential, t: TrainingRecord, where: string): void {
  const engine = model.liveEngine;
  const expected = engine.getOptimizerState();
  const step = t.optimizerStep;
  if (!Number.isSafeInteger(step) || step < 0 || step > 0x7fffffff) throw new ValueError(`${where}: training.optimizerStep must be an integer in [0, 2^31), got ${describe(step)}`);
  const wanted = Object.keys(expected.buffers);
  const given = t.optimizerState.map((b) => String(b.name));
  if (wanted.length !== given.length || wanted.some((n) => !given.includes(n))) {
    throw new ConfigError(`${where}: training.optimizerState has buffers [${given.join(', ')}] but ${engine.plan.optimizer.type} needs [${wanted.join(', ')}]`);
  }
  const buffers: Record<string, Float64Array> = {};
  for (const b of t.optimizerState as Required<TensorRecord>[]) {
    const size = expected.buffers[b.name].length;
    if (b.values.length !== size) throw new ShapeError(`${where}: training.optimizerState ${b.name} has ${b.values.length} values, expected ${size}`);
    const bad = b.values.findIndex((v) => !Number.isFinite(v) || Math.abs(v) > MAX_MAGNITUDE);
    if (bad >= 0) throw new ValueError(`${where}: training.optimizerState ${b.name}[${bad}] is ${b.values[bad]}; state must be finite and within the float32 range`);
    buffers[b.name] = b.values;
  }
  inContext(`${where}: training.shuffleRandom`, () => model.shuffleRandom.setState(t.shuffleRandom));
  if (t.pending !== null) checkPending(t.pending, `${where}: training.pending`);
  engine.setOptimizerState({ step, buffers });
  model.pendingEpoch = t.pending;
}

/** Checks an unfinished epoch read from a file: sizes that fit together and a true permutation. Throws ValueError naming the field. */
function checkPending(p: PendingEpoch, where: string): void {
  const int = (v: unknown, min: number, max: number, field: string): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) throw new ValueError(`${where}.${field} must be an integer in [${min}, ${max}], got ${describe(v)}`);
    return v;
  };
  const rows = int(p.rows, 1, 0x7fffffff, 'rows');
  const batch = int(p.batchSize, 1, rows, 'batchSize');
  int(p.nextBatch, 0, Math.ceil(rows / batch), 'nextBatch');
  if (typeof p.shuffle !== 'boolean') throw new ValueError(`${where}.shuffle must be a boolean, got ${describe(p.shuffle)}`);
  if (typeof p.lossSum !== 'number' || !Number.isFinite(p.lossSum)) throw new ValueError(`${where}.lossSum must be a finite number, got ${describe(p.lossSum)}`);
  if (p.shuffle !== (p.order !== null)) throw new ValueError(`${where}.order must be ${p.shuffle ? 'a row order (shuffle is true)' : 'null (shuffle is false)'}`);
  if (p.order === null) return;
  if (p.order.length !== rows) throw new ValueError(`${where}.order has ${p.order.length} entries, expected ${rows} (rows)`);
  const seen = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const r = p.order[i];
    if (!(r >= 0 && r < rows) || seen[r]) throw new ValueError(`${where}.order[${i}] is ${r}: the order must be a permutation of 0 .. ${rows - 1}`);
    seen[r] = 1;
  }
}
