/**
 * Between live models and the records the file formats read and write (src/io/): a model's
 * state captured as a record, and a record checked and turned into the parts of a model: the
 * layers, and one engine holding the saved weights and optimiser state. Loading lowers the layers
 * once and builds that one engine; no initial weights are drawn. src/model/sequential.ts wraps
 * the parts in a Sequential.
 */
import { createEngine } from '../backends.js';
import type { BackendName } from '../engine-options.js';
import { MAX_OPTIMIZER_STEP, type Engine } from '../engine.js';
import { ConfigError, ShapeError, ValueError, describe } from '../errors.js';
import { checkInitializer } from '../initializers.js';
import { recordToBytes } from '../io/binary-format.js';
import { recordFromJSON, recordToJSON, type ModelJSON } from '../io/json-format.js';
import { decodeModelFile, readSource, sniffFormat, writeFileBytes, type ModelSource } from '../io/model-file.js';
import { copyMetadata, type ModelMetadata } from '../io/metadata.js';
import {
  inContext,
  type NetworkOutput,
  type CompileRecord,
  type ModelRecord,
  type NetworkRecord,
  type PendingEpochRecord as PendingEpoch,
  type TensorRecord,
  type TrainingRecord,
} from '../io/model-record.js';
import type { ONNXExportOptions } from '../io/onnx/export.js';
import type { ONNXImportOptions } from '../io/onnx/import.js';
import { loadONNX } from '../io/onnx/loader.js';
import { onnxCodec } from '../io/onnx/onnx-codec.js';
import { parameterLayout, type Plan } from '../plan.js';
import { Random } from '../random.js';
import { MAX_MAGNITUDE } from './input.js';
import { Dense, type Layer } from './layers.js';
import { layerFromConfig } from './layer-config.js';
import { lower } from './lower.js';
import { lossSpecOf, type LossSpec } from './compile-options.js';
import { logitLink, metadataLogits, takesProbabilities } from './loss-output.js';
import {
  checkLossFitsOutput,
  type MetricName,
  planOf,
  resolveCompileOptions,
  resolveSequentialOptions,
  uncompiledTraining,
  type CompileSettings,
} from './options.js';
import type { ModelSchedule } from './schedule.js';
import { checkWeights, parameterNames } from './weights.js';

/** Options of toJSON / save. */
export interface SaveOptions {
  /** Also store the optimiser state and the shuffle RNG, so fit continues exactly as if never stopped. */
  includeOptimizer?: boolean;
}

/** The keys SaveOptions may have. */
const SAVE_KEYS = ['includeOptimizer'];

/**
 * Checks the options of toJSON / save as fit checks its own: undefined or an object with only
 * known keys, `includeOptimizer` a boolean when given. Throws ConfigError naming `who`; reads only.
 */
export function checkSaveOptions(options: unknown, who: string): SaveOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new ConfigError(`${who}: options must be an object, got ${describe(options)}`);
  for (const k of Object.keys(options)) if (!SAVE_KEYS.includes(k)) throw new ConfigError(`${who}: unknown option '${k}' (valid: ${SAVE_KEYS.join(', ')})`);
  const include = (options as SaveOptions).includeOptimizer;
  if (include !== undefined && typeof include !== 'boolean') throw new ConfigError(`${who}: includeOptimizer must be a boolean, got ${describe(include)}`);
  return options as SaveOptions;
}

/** What saving reads from a live model (a Sequential's members). */
export interface SavableModel {
  readonly seed: number;
  readonly backend: BackendName;
  readonly layers: readonly Layer[];
  readonly compiled: boolean;
  readonly metrics: readonly string[];
  readonly liveEngine: Engine;
  readonly shuffleRandom: Random;
  readonly pendingEpoch: PendingEpoch | null;
  readonly schedule: ModelSchedule;
  readonly metadata: ModelMetadata;
}

/** A checked, built model: its layers and the one engine holding its numbers, ready to be wrapped. */
export interface LoadedModel {
  layers: Layer[];
  seed: number;
  backend: BackendName;
  /** Owns the saved weights and optimiser state; the caller owns (and must free) it. */
  engine: Engine;
  /** The compiled metrics, or null for an uncompiled model. */
  metrics: string[] | null;
  /** The shuffle RNG at its saved state, or null to start it from the seed. */
  shuffleRandom: Random | null;
  pending: PendingEpoch | null;
  /** The compiled lr schedule and the steps it has taken. */
  schedule: ModelSchedule;
  /** The saved metadata (a checked copy; {} when none). */
  metadata: ModelMetadata;
}

/** The network of `model`: its layers' descriptions and copies of its weights, named W0, b0, ... */
function captureNetwork(model: SavableModel): NetworkRecord & { plan: Plan } {
  const engine = model.liveEngine;
  const layout = parameterLayout(engine.plan);
  const names = parameterNames(layout);
  return {
    plan: engine.plan,
    metadata: copyMetadata(model.metadata, 'metadata'),
    layers: model.layers.map((l) => l.toConfig()),
    weights: engine.getParameters().map((values, i) => ({ name: names[i], shape: layout[i].shape.slice(), values })),
  };
}

/**
 * Reads `model` into a record (copies; the model is not changed). With `includeTraining`, the
 * optimiser state and shuffle RNG state come too (none for a model that was never compiled).
 */
export function captureModel(model: SavableModel, includeTraining: boolean): ModelRecord {
  const engine = model.liveEngine;
  const { plan, layers, weights, metadata } = captureNetwork(model);
  let training: TrainingRecord | null = null;
  if (includeTraining && model.compiled) {
    const state = engine.getOptimizerState();
    const pending = model.pendingEpoch;
    training = {
      optimizerStep: state.step,
      optimizerState: Object.entries(state.buffers).map(([name, values]) => ({ name, shape: [values.length], values })),
      shuffleRandom: model.shuffleRandom.getState(),
      pending: pending === null ? null : { ...pending, order: pending.order?.slice() ?? null },
      scheduleStep: model.schedule.step,
    };
  }
  let compile: CompileRecord | null = null;
  if (model.compiled) {
    // A base lr a callback set (ReduceLROnPlateau) is the optimiser's lr from then on, as in Keras.
    compile = { loss: lossSpecOf(plan), optimizer: { ...plan.optimizer, lr: model.schedule.baseLr ?? plan.optimizer.lr }, metrics: model.metrics.slice() };
    if (model.schedule.config !== null) compile.schedule = { ...model.schedule.config };
    if (plan.clipGradNorm !== undefined) compile.clipGradNorm = plan.clipGradNorm;
    if (plan.clipValue !== undefined) compile.clipValue = plan.clipValue;
  }
  return {
    seed: model.seed,
    backend: model.backend,
    layers,
    compile,
    dtype: engine.dtype,
    weights,
    training,
    metadata,
  };
}

/** The model's JSON document (version 2). Reads the model, changes nothing. */
export function modelToJSON(model: SavableModel, options: SaveOptions = {}): ModelJSON {
  return recordToJSON(captureModel(model, options.includeOptimizer === true));
}

/** The model's binary file. Reads the model, changes nothing. */
export function modelToBytes(model: SavableModel, options: SaveOptions = {}): Uint8Array {
  return recordToBytes(captureModel(model, options.includeOptimizer === true));
}

/**
 * Sequential.save: the binary form's bytes, or with a path (Node) also written there (a promise).
 * Includes the training state unless `includeOptimizer: false`; options are checked before
 * anything is written (a bad option must not silently drop the training state).
 */
export function save(model: SavableModel, pathOrOptions?: string | SaveOptions, options: SaveOptions = {}): Uint8Array | Promise<Uint8Array> {
  if (typeof pathOrOptions !== 'string') return modelToBytes(model, { includeOptimizer: true, ...checkSaveOptions(pathOrOptions, 'save') });
  let checked: SaveOptions;
  try {
    checked = checkSaveOptions(options, 'save');
  } catch (e) {
    return Promise.reject(e);
  }
  return saveModel(model, pathOrOptions, { includeOptimizer: true, ...checked });
}

/** Writes the model's binary file to `path` (Node only); resolves with the bytes written. */
export async function saveModel(model: SavableModel, path: string, options: SaveOptions = {}): Promise<Uint8Array> {
  const bytes = modelToBytes(model, options);
  await writeFileBytes(path, bytes);
  return bytes;
}

/** The model's network as ONNX bytes. Reads the model, changes nothing. */
export function modelToONNX(model: SavableModel, options: ONNXExportOptions = {}): Uint8Array {
  return onnxCodec('toONNX').recordToONNX({ ...captureNetwork(model), output: networkOutput(model) }, options);
}

/**
 * What the model's output is: by its loss when compiled (logits for softmax_ce, bce_logits and
 * sigmoid_mse; probabilities for bce and categorical_ce; else values), by its metadata's
 * `logits` when not (an imported export), else unknown.
 */
function networkOutput(model: SavableModel): NetworkOutput | undefined {
  if (!model.compiled) {
    const link = metadataLogits(model.metadata);
    return link === null ? undefined : { kind: 'logits', link };
  }
  const loss = model.liveEngine.plan.loss;
  const link = logitLink(loss);
  if (link !== null) return { kind: 'logits', link };
  return takesProbabilities(loss) ? { kind: 'probabilities' } : { kind: 'values' };
}

/**
 * Checks a record's parts against each other and builds its model: the layers chain, every
 * weight tensor has its layer's size and only finite values, compile settings are valid, the
 * optimiser state matches the optimiser, the unfinished epoch is consistent. Lowers the layers
 * once and creates one engine with the saved weights (no initial weights drawn). Throws
 * ShapeError / ValueError / ConfigError prefixed with `where`; on any error nothing is left allocated.
 */
function build(
  network: NetworkRecord,
  seed: number,
  backend: BackendName,
  compile: ModelRecord['compile'],
  training: TrainingRecord | null,
  where: string,
): LoadedModel {
  const layers = network.layers.map((l, i) =>
    inContext(`${where}: layers[${i}]`, () => {
      const layer = layerFromConfig(l, i);
      // No weights are drawn from them here, but a saved model must stay valid to rebuild from its layers.
      if (layer instanceof Dense) for (const spec of [layer.init, layer.biasInit]) if (spec !== undefined) checkInitializer(spec);
      return layer;
    }),
  );
  let settings: CompileSettings | null = null;
  if (compile !== null) {
    const c = compile;
    settings = inContext(`${where}: compile`, () =>
      resolveCompileOptions({ ...c, loss: c.loss as LossSpec, metrics: c.metrics as MetricName[], optimizer: c.optimizer as never }),
    );
  }
  const { loss, optimizer } = settings ?? uncompiledTraining();
  const lowered = inContext(`${where}: layers`, () => lower(layers, loss, optimizer));
  const plan = settings === null ? lowered : planOf(lowered, settings);
  inContext(`${where}: compile`, () => checkLossFitsOutput(plan));
  const layout = parameterLayout(plan);
  const names = parameterNames(layout);
  // The table (count, names, sizes) is compared with the layers before any tensor's values are
  // read: a binary file decodes them on first read.
  if (Array.isArray(network.weights) && network.weights.length !== names.length) {
    throw new ShapeError(`${where}: weights: expected ${names.length} weight tensors ([W0, b0, W1, b1, ...]) but got ${network.weights.length}`);
  }
  network.weights.forEach((w, i) => {
    if (w.name !== undefined && w.name !== names[i]) {
      throw new ConfigError(`${where}: weights[${i}] is named ${describe(w.name)} but the layers' tensor ${i} is ${names[i]}`);
    }
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (size !== layout[i].length)
      throw new ShapeError(`${where}: weights[${i}] (${names[i]}) has shape [${w.shape.join(', ')}] but the layers need [${layout[i].shape.join(', ')}]`);
  });
  const weights = inContext(`${where}: weights`, () =>
    checkWeights(
      plan,
      network.weights.map((w) => w.values),
    ),
  );
  if (training !== null && settings === null) throw new ConfigError(`${where}: training state is present but the model has no compile settings`);
  const engine = createEngine(plan, backend);
  try {
    engine.setParameters(weights);
    const restored = training === null ? null : restoreTraining(engine, training, where);
    const schedule = { config: settings?.schedule ?? null, step: restored?.scheduleStep ?? 0 };
    const metadata = network.metadata ?? {};
    return {
      layers,
      seed,
      backend,
      engine,
      metrics: settings?.metrics ?? null,
      shuffleRandom: restored?.shuffleRandom ?? null,
      pending: restored?.pending ?? null,
      schedule,
      metadata,
    };
  } catch (e) {
    engine.dispose();
    throw e;
  }
}

/** Builds the model of a whole-model record (binary or JSON form); `options.backend` overrides the saved one. See build. */
export function loadRecord(record: ModelRecord, options: { backend?: BackendName }, where: string): LoadedModel {
  const { seed, backend } = resolveSequentialOptions({ seed: record.seed, backend: options.backend ?? record.backend });
  return build(record, seed, backend, record.compile, record.training, where);
}

/** Builds the model of a JSON document (object or text). Throws as recordFromJSON and build do, prefixed 'fromJSON'. */
export function loadFromJSON(json: unknown, options: { backend?: BackendName }): LoadedModel {
  return loadRecord(recordFromJSON(json, 'fromJSON'), options, 'fromJSON');
}

/** Builds an uncompiled model from ONNX bytes; its seed (for shuffling) and backend come from `options`. */
export function loadFromONNX(bytes: Uint8Array, options: ONNXImportOptions): LoadedModel {
  return loadNetwork(onnxCodec('fromONNX').recordFromONNX(bytes), options);
}

function loadNetwork(network: NetworkRecord, options: ONNXImportOptions): LoadedModel {
  const { seed, backend } = resolveSequentialOptions({ seed: options.seed, backend: options.backend });
  return build(network, seed, backend, null, null, 'fromONNX');
}

/** Builds the model of any model file's bytes (binary, JSON or ONNX, told apart by their first bytes). */
export function loadFromAnyBytes(bytes: Uint8Array, options: { backend?: BackendName }): LoadedModel {
  const file = decodeModelFile(bytes);
  return file.kind === 'network' ? loadNetwork(file.record, options) : loadRecord(file.record, options, file.where);
}

/** Reads a path (Node), bytes, an ArrayBuffer or a Blob and builds its model. */
export async function loadFromSource(source: ModelSource, options: { backend?: BackendName }): Promise<LoadedModel> {
  const bytes = await readSource(source);
  if (sniffFormat(bytes) === 'onnx') await loadONNX();
  return loadFromAnyBytes(bytes, options);
}

/**
 * Checks a training record against the engine's optimiser and installs its state in the engine;
 * returns the shuffle RNG at its saved state and the unfinished epoch. Throws naming the field.
 */
function restoreTraining(engine: Engine, t: TrainingRecord, where: string): { shuffleRandom: Random; pending: PendingEpoch | null; scheduleStep: number } {
  const expected = engine.getOptimizerState();
  const step = t.optimizerStep;
  if (!Number.isSafeInteger(step) || step < 0 || step > MAX_OPTIMIZER_STEP)
    throw new ValueError(`${where}: training.optimizerStep must be an integer in [0, 2^31), got ${describe(step)}`);
  const wanted = Object.keys(expected.buffers);
  const given = t.optimizerState.map((b) => String(b.name));
  if (wanted.length !== given.length || wanted.some((n) => !given.includes(n))) {
    throw new ConfigError(`${where}: training.optimizerState has buffers [${given.join(', ')}] but ${engine.plan.optimizer.type} needs [${wanted.join(', ')}]`);
  }
  const buffers: Record<string, Float64Array> = {};
  for (const b of t.optimizerState as Required<TensorRecord>[]) {
    const size = expected.buffers[b.name].length;
    // The size from the shape (checked against the values' count when read): nothing is decoded before it matches.
    if (b.shape.reduce((a, c) => a * c, 1) !== size)
      throw new ShapeError(`${where}: training.optimizerState ${b.name} has shape [${b.shape.join(', ')}], expected ${size} values`);
    const bad = b.values.findIndex((v) => !Number.isFinite(v) || Math.abs(v) > MAX_MAGNITUDE);
    if (bad >= 0)
      throw new ValueError(`${where}: training.optimizerState ${b.name}[${bad}] is ${b.values[bad]}; state must be finite and within the float32 range`);
    buffers[b.name] = b.values;
  }
  // The seed is irrelevant: setState replaces the whole generator state.
  const shuffleRandom = new Random(0);
  inContext(`${where}: training.shuffleRandom`, () => shuffleRandom.setState(t.shuffleRandom));
  if (t.pending !== null) checkPending(t.pending, `${where}: training.pending`);
  engine.setOptimizerState({ step, buffers });
  const scheduleStep = t.scheduleStep;
  if (!Number.isSafeInteger(scheduleStep) || scheduleStep < 0)
    throw new ValueError(`${where}: training.scheduleStep must be an integer >= 0, got ${describe(scheduleStep)}`);
  return { shuffleRandom, pending: t.pending, scheduleStep };
}

/** Checks an unfinished epoch read from a file: sizes that fit together and a true permutation. Throws ValueError naming the field. */
function checkPending(p: PendingEpoch, where: string): void {
  const int = (v: unknown, min: number, max: number, field: string): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
      throw new ValueError(`${where}.${field} must be an integer in [${min}, ${max}], got ${describe(v)}`);
    return v;
  };
  const rows = int(p.rows, 1, 0x7fffffff, 'rows');
  const batch = int(p.batchSize, 1, rows, 'batchSize');
  int(p.nextBatch, 0, Math.ceil(rows / batch), 'nextBatch');
  if (typeof p.shuffle !== 'boolean') throw new ValueError(`${where}.shuffle must be a boolean, got ${describe(p.shuffle)}`);
  if (typeof p.lossSum !== 'number' || !Number.isFinite(p.lossSum))
    throw new ValueError(`${where}.lossSum must be a finite number, got ${describe(p.lossSum)}`);
  if (p.shuffle !== (p.order !== null))
    throw new ValueError(`${where}.order must be ${p.shuffle ? 'a row order (shuffle is true)' : 'null (shuffle is false)'}`);
  if (p.order === null) return;
  if (p.order.length !== rows) throw new ValueError(`${where}.order has ${p.order.length} entries, expected ${rows} (rows)`);
  const seen = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const r = p.order[i];
    if (!(r >= 0 && r < rows) || seen[r]) throw new ValueError(`${where}.order[${i}] is ${r}: the order must be a permutation of 0 .. ${rows - 1}`);
    seen[r] = 1;
  }
}
