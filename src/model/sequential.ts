/**
 * Sequential: a stack of layers with a Keras-like API. The model owns one Engine (the
 * WebAssembly core or the float64 reference) that holds all its numbers; this class checks
 * every input before handing work to it, so a thrown Error never leaves the model half-changed.
 * Saving, loading, the interchange formats and trace run code from parts.ts, loaded on first use.
 */
import { createEngine } from '../backends.js';
import { checkThreads, type BackendName, type ThreadsOption } from '../engine-options.js';
import type { Engine } from '../engine.js';
import { ConfigError, DisposedError, StateError, ValueError, describe } from '../errors.js';
import type { ModelJSON } from '../io/json-format.js';
import type { ModelSource } from '../io/model-file.js';
import type { ONNXExportOptions } from '../io/onnx/export.js';
import type { ONNXImportOptions } from '../io/onnx/import.js';
import type { ModelMetadata } from '../io/metadata.js';
import type { Plan } from '../plan.js';
import { Random } from '../random.js';
import { fit as runFit, type FitArguments, type History, type PendingEpoch } from './fit.js';
import { throwNonFinite, toMatrix, toRows, isTensorLike, type Input, type Matrix, type TensorLike } from './input.js';
import { toTargets, type Labels } from './labels.js';
import type { Layer } from './layers.js';
import { initialParameters } from './initial-weights.js';
import { lower } from './lower.js';
import { swapEngine } from './engine-swap.js';
import type { LayerOutput } from './layer-outputs.js';
import type { StepTraceReport } from './trace.js';
import { classesOf, evaluation, probabilities, type Evaluation } from './metrics.js';
import { checkLossMatchesOutput, readingLoss } from './loss-output.js';
import type { ModelSchedule } from './schedule.js';
import {
  checkLossFitsOutput,
  planOf,
  resolveCompileOptions,
  resolveSequentialOptions,
  uncompiledTraining,
  type CompileOptions,
  type SequentialOptions,
} from './options.js';
import type * as interop from './interop.js';
import type * as persist from './persist.js';
import { loadPart, part, preload } from './parts.js';
import { batchGradients, checkWeights, nest, type Weights } from './weights.js';
import { COUNT, readOptions } from './option-rules.js';

export { METRICS, type CompileOptions, type MetricName, type SequentialOptions } from './options.js';
export type { Weights };

/** Offset between the weight seed and the shuffle seed, so the two streams differ. */
const SHUFFLE_SEED_OFFSET = 0x9e3779b9;

/**
 * A model being loaded (persist.ts built and checked it): the constructor adopts this engine and
 * state instead of drawing weights. Set only for the duration of one `new Sequential` in adopt().
 */
let adopting: persist.LoadedModel | null = null;

/** The Sequential of a loaded model: takes over its engine (freed if construction fails). */
function adopt(loaded: persist.LoadedModel): Sequential {
  adopting = loaded;
  try {
    return new Sequential(loaded.layers, { seed: loaded.seed, backend: loaded.backend });
  } catch (e) {
    loaded.engine.dispose();
    throw e;
  } finally {
    adopting = null;
  }
}

/** A feed-forward network: layers applied in order. */
export class Sequential {
  /** The layers, as given. */
  readonly layers: readonly Layer[];
  /** The seed of initial weights and shuffling. */
  readonly seed: number;
  /** The backend holding the numbers. */
  readonly backend: BackendName;
  /** Threads fit uses unless its own `threads` option says otherwise. */
  readonly threads: ThreadsOption;
  /** Set to true from a callback to stop fit after the current batch. */
  stopTraining = false;
  /** @internal the RNG drawing each epoch's shuffle order (advances with training). */
  readonly shuffleRandom: Random;
  /** @internal the epoch an aborted or stopped fit left unfinished; the next fit finishes it first. */
  pendingEpoch: PendingEpoch | null = null;
  /** @internal the compiled lr schedule (or null) and its step count (saved with the training state). */
  schedule: ModelSchedule = { config: null, step: 0 };
  /**
   * Plain JSON data kept with the model and saved by toJSON, save and toONNX (class labels,
   * feature scaling, notes); replace or edit it freely. wasmlp reads one key: `logits:
   * 'sigmoid' | 'softmax'` marks an uncompiled model (an ONNX import) whose output is logits.
   */
  metadata: ModelMetadata = {};
  #engine: Engine | null;
  #metricNames: string[] = [];
  #isCompiled = false;
  #isTraining = false;

  constructor(layers: Layer[], options: SequentialOptions = {}) {
    const loaded = adopting;
    adopting = null;
    const { seed, backend, threads } = resolveSequentialOptions(options);
    if (!Array.isArray(layers)) throw new ConfigError(`Sequential needs an array of layers, got ${describe(layers)}`);
    this.layers = Object.freeze(layers.slice());
    this.seed = seed;
    this.backend = backend;
    this.threads = threads;
    this.shuffleRandom = loaded?.shuffleRandom ?? new Random((seed + SHUFFLE_SEED_OFFSET) % 2 ** 32);
    if (loaded !== null) {
      this.#engine = loaded.engine;
      this.#isCompiled = loaded.metrics !== null;
      this.#metricNames = loaded.metrics ?? [];
      this.pendingEpoch = loaded.pending;
      this.schedule = loaded.schedule;
      this.metadata = loaded.metadata;
      return;
    }
    const { loss, optimizer } = uncompiledTraining();
    const plan = lower(this.layers, loss, optimizer);
    // Draw (and check) the initial weights before allocating: a bad initialiser must not leak an engine.
    let initial: Float64Array[];
    try {
      initial = checkWeights(plan, initialParameters(this.layers, new Random(seed)));
    } catch (e) {
      if (e instanceof ValueError) throw new ValueError(`Sequential: initial weights: ${e.message}`);
      throw e;
    }
    this.#engine = createEngine(plan, backend);
    this.#engine.setParameters(initial);
  }

  /** @internal the live engine; throws DisposedError after dispose(). */
  get liveEngine(): Engine {
    if (this.#engine === null) throw new DisposedError('this model was disposed; create a new one');
    return this.#engine;
  }

  /** The current plan (sizes, loss, optimiser). */
  get plan(): Plan {
    return this.liveEngine.plan;
  }

  /** Number of values each sample has. */
  get inputSize(): number {
    return this.plan.inputSize;
  }

  /** Number of outputs per sample. */
  get outputSize(): number {
    return this.plan.outputSize;
  }

  /** True once compile() has run. */
  get compiled(): boolean {
    return this.#isCompiled;
  }

  /** Metrics fit reports. */
  get metrics(): readonly string[] {
    return this.#metricNames;
  }

  /**
   * Sets the loss, optimiser and metrics. Keeps the weights, resets the optimiser state.
   * Throws ConfigError for unknown names before changing anything, and OutOfMemoryError with
   * the model as it was (weights, optimiser state, compile settings) when the new engine cannot fit.
   */
  compile(options: CompileOptions): this {
    const engine = this.liveEngine;
    this.#assertIdle('compile');
    const settings = resolveCompileOptions(options);
    const plan = planOf(lower(this.layers, settings.loss, settings.optimizer), settings);
    checkLossFitsOutput(plan);
    checkLossMatchesOutput(plan);
    // An engine that cannot fit beside the old one is built after releasing it (engine-swap.ts).
    const swap = swapEngine(engine, plan, this.backend);
    this.#engine = swap.engine;
    if (swap.error) throw swap.error;
    this.#metricNames = settings.metrics.slice();
    this.#isCompiled = true;
    this.pendingEpoch = null;
    this.schedule = { config: settings.schedule, step: 0 };
    return this;
  }

  /**
   * Trains on (x, y); resolves with the history. Stops after the current batch when
   * `signal` aborts or a callback sets `model.stopTraining`. A non-finite step rejects with
   * NonFiniteError and leaves the weights from before that step. See FitArguments, FitOptions.
   */
  async fit(...args: FitArguments): Promise<History> {
    const engine = this.liveEngine;
    if (!this.#isCompiled) throw new StateError('call compile({ loss, optimizer }) before fit');
    this.#assertIdle('fit');
    this.#isTraining = true;
    this.stopTraining = false;
    try {
      return await runFit(this, engine, args);
    } finally {
      this.#isTraining = false;
    }
  }

  #assertIdle(what: string): void {
    if (this.#isTraining) throw new StateError(`${what}: this model is training (fit is still running); wait for it to finish`);
  }

  /** @internal the network output for a checked matrix. */
  forwardMatrix(m: Matrix): Matrix & { data: Float64Array } {
    // A Float32Array toMatrix left unscanned is checked by the engine as it reads it in.
    const check = m.unscanned ? (index: number) => throwNonFinite(m, index) : undefined;
    return { data: this.liveEngine.predict(m.data, m.rows, check), rows: m.rows, cols: this.outputSize };
  }

  /**
   * Starts the model's thread team now — fit starts it by itself — so that predict on batches
   * with enough work runs on it too. `threads` defaults to the model's; `batchSize` is the batch
   * predict will see (it decides 'auto'). Resolves when the workers are ready; stays on one
   * thread (with a notice) where threads are unavailable, and does nothing on the reference backend.
   */
  async startThreads(options: { threads?: ThreadsOption; batchSize?: number } = {}): Promise<void> {
    const engine = this.liveEngine;
    this.#assertIdle('startThreads');
    const threads = checkThreads(options.threads ?? this.threads, 'startThreads');
    const { batchSize } = readOptions(options, { batchSize: [1024, COUNT] }, 'startThreads') as { batchSize: number };
    await engine.prepare?.({ threads, batchSize });
  }

  /** Network output (the last layer's raw values). Returns rows for nested input, `{ data, shape }` for a TensorLike. */
  predict(x: TensorLike): { data: Float64Array; shape: [number, number] };
  predict(x: Input): number[][];
  predict(x: Input): number[][] | { data: Float64Array; shape: [number, number] } {
    const engine = this.liveEngine;
    const out = this.forwardMatrix(toMatrix(x, engine.plan.inputSize, 'x', true));
    return isTensorLike(x) ? { data: out.data, shape: [out.rows, out.cols] } : toRows(out);
  }

  /** Every layer's output for x, in order (same inputs as predict; the last equals predict's). Changes nothing. */
  layerOutputs(x: TensorLike): LayerOutput[];
  layerOutputs(x: Input): number[][][];
  layerOutputs(x: Input): LayerOutput[] | number[][][] {
    return part('outputs', 'layerOutputs').layerOutputs(this.liveEngine, this.layers, x);
  }

  /**
   * Class probabilities: sigmoid or softmax of the output when the loss takes logits (or an
   * uncompiled model's metadata says its output is logits), else the output.
   */
  predictProba(x: Input): number[][] {
    const out = this.forwardMatrix(toMatrix(x, this.inputSize, 'x', true));
    return toRows(probabilities(out, readingLoss(this.plan.loss, this.#isCompiled, this.metadata)));
  }

  /** Predicted class per sample: argmax over outputs, or a threshold (0.5, or 0 for logits) for one output. */
  predictClasses(x: Input): number[] {
    return classesOf(this.forwardMatrix(toMatrix(x, this.inputSize, 'x', true)), readingLoss(this.plan.loss, this.#isCompiled, this.metadata));
  }

  /** The compiled loss (float64) and accuracy over (x, y), and mae / mse when compiled with those metrics. Changes nothing. */
  evaluate(x: Input, y: Labels): Evaluation {
    if (!this.#isCompiled) throw new StateError('call compile({ loss, optimizer }) before evaluate');
    const plan = this.plan;
    const xm = toMatrix(x, plan.inputSize);
    const t = toTargets(y, plan.outputSize, xm.rows, plan.loss);
    if (xm.rows === 0) throw new ValueError('evaluate: x is empty');
    return evaluation(plan, this.forwardMatrix(xm), t, this.#metricNames);
  }

  /** Copies of the weights in Keras order [W0, b0, W1, b1, ...]: W as [in][out] rows, b flat. */
  getWeights(): Weights {
    const engine = this.liveEngine;
    return nest(engine.plan, engine.getParameters());
  }

  /** The checked (x, y) of one batch for `what` (gradients, trace): compiled, idle, non-empty. */
  #oneBatch(x: Input, y: Labels, what: string): { engine: Engine; xm: Matrix; t: Matrix } {
    if (!this.#isCompiled) throw new StateError(`call compile({ loss, optimizer }) before ${what}`);
    this.#assertIdle(what);
    const engine = this.liveEngine;
    const xm = toMatrix(x, engine.plan.inputSize);
    if (xm.rows === 0) throw new ValueError(`${what}: x is empty`);
    return { engine, xm, t: toTargets(y, engine.plan.outputSize, xm.rows, engine.plan.loss) };
  }

  /**
   * The loss on (x, y) as one batch and its gradient with respect to every weight (same layout
   * as getWeights; before weight decay), without updating anything: backprop, made visible.
   */
  gradients(x: Input, y: Labels): { loss: number; gradients: Weights } {
    const { engine, xm, t } = this.#oneBatch(x, y, 'gradients');
    return batchGradients(engine, xm, t);
  }

  /**
   * One training step on (x, y) as one batch, made visible and not taken (see trace.ts): per layer
   * the input, z, a, delta = dL/dz, dW, db, the update the optimiser would apply and its ratio to
   * the weights, and diagnostics. BatchNorm uses the batch's statistics, Dropout is off (as
   * gradients). Changes nothing: weights, optimiser state, schedule, shuffle stream, gradients.
   */
  trace(x: Input, y: Labels): StepTraceReport {
    const { engine, xm, t } = this.#oneBatch(x, y, 'trace');
    return part('trace', 'trace').traceStep(engine, this.layers, this.schedule, xm, t);
  }

  /**
   * Replaces every weight. Accepts the getWeights() form or flat arrays of the right length.
   * Checks count, shapes and finiteness first; on any error nothing changes.
   */
  setWeights(weights: readonly (readonly (readonly number[])[] | ArrayLike<number>)[]): void {
    const engine = this.liveEngine;
    this.#assertIdle('setWeights');
    engine.setParameters(checkWeights(engine.plan, weights));
  }

  /** A table of layers, output shapes and parameter counts. */
  summary(): string {
    return part('summary', 'summary').summarize(this.layers, this.liveEngine.plan, this.#isCompiled);
  }

  /**
   * The model as a JSON-safe document (format 'wasmlp-model' version 2: layers, compile settings,
   * weights as base64 of the backend's float type). `{ includeOptimizer: true }` adds the
   * optimiser and shuffle state so fit resumes exactly. Changes nothing. (JSON.stringify passes
   * a key string here, which is ignored.)
   */
  toJSON(options?: persist.SaveOptions | string): ModelJSON {
    const persist = part('formats', 'toJSON');
    return persist.modelToJSON(this, typeof options === 'string' ? {} : persist.checkSaveOptions(options, 'toJSON'));
  }

  /** Rebuilds a model from toJSON() output (or its JSON string; version 1 or 2); predictions match bit for bit. */
  static fromJSON(json: unknown, options: { backend?: BackendName } = {}): Sequential {
    return adopt(part('formats', 'fromJSON').loadFromJSON(json, options));
  }

  /**
   * The model in the compact binary form; with a path (Node), also writes it there and resolves
   * with the bytes. Includes the optimiser and shuffle state unless `includeOptimizer: false`.
   */
  save(options?: persist.SaveOptions): Uint8Array;
  save(path: string, options?: persist.SaveOptions): Promise<Uint8Array>;
  save(pathOrOptions?: string | persist.SaveOptions, options: persist.SaveOptions = {}): Uint8Array | Promise<Uint8Array> {
    return part('formats', 'save').save(this, pathOrOptions, options);
  }

  /** Loads a model saved by save() or toJSON(), or an ONNX file: from a path (Node), bytes, an ArrayBuffer or a Blob. */
  static async load(source: ModelSource, options: { backend?: BackendName } = {}): Promise<Sequential> {
    return adopt(await (await loadPart('formats')).loadFromSource(source, options));
  }

  /** Synchronous load from the bytes of any model file (binary, JSON or ONNX). */
  static fromBytes(bytes: Uint8Array, options: { backend?: BackendName } = {}): Sequential {
    return adopt(part('formats', 'fromBytes').loadFromAnyBytes(bytes, options));
  }

  /** The network as ONNX bytes (opset 13, float32, dynamic batch). Changes nothing. In a browser needs 'wasmlp/onnx' imported (or exportONNX()). */
  toONNX(options: ONNXExportOptions = {}): Uint8Array {
    return part('formats', 'toONNX').modelToONNX(this, options);
  }

  /** toONNX() after loading the ONNX and formats code if needed (separate chunks in a browser bundle). Changes nothing. */
  async exportONNX(options: ONNXExportOptions = {}): Promise<Uint8Array> {
    await preload('formats', 'onnx');
    return this.toONNX(options);
  }

  /** Builds an uncompiled model from ONNX bytes (an MLP from PyTorch and others). Needs the ONNX code, as toONNX; importONNX() loads it. */
  static fromONNX(bytes: Uint8Array, options: ONNXImportOptions = {}): Sequential {
    return adopt(part('formats', 'fromONNX').loadFromONNX(bytes, options));
  }

  /** fromONNX() after loading the ONNX code if needed. */
  static async importONNX(bytes: Uint8Array, options: ONNXImportOptions = {}): Promise<Sequential> {
    await preload('formats', 'onnx', ...(options.backend === 'reference' ? (['reference'] as const) : []));
    return Sequential.fromONNX(bytes, options);
  }

  /**
   * The model as a PyTorch package, files by name: model.py (build_model, load_model),
   * train.py (the compile settings and `options`' fit settings, DDP-ready), config.json,
   * weights.safetensors (PyTorch names and layouts). Changes nothing.
   */
  toPyTorch(options: interop.PyTorchFitOptions = {}): Record<string, Uint8Array> {
    return part('interop', 'toPyTorch').modelToPyTorch(this, options);
  }

  /** Builds a model from safetensors weights with PyTorch names (toPyTorch's, train.py's); `layers` or options give the architecture, else the file's metadata. */
  static fromSafetensors(bytes: Uint8Array, layersOrOptions: readonly Layer[] | interop.SafetensorsImportOptions = {}): Sequential {
    const options = Array.isArray(layersOrOptions) ? { layers: layersOrOptions } : (layersOrOptions as interop.SafetensorsImportOptions);
    return adopt(part('interop', 'fromSafetensors').loadFromSafetensors(bytes, options));
  }

  /** The model in TensorFlow.js's layers format: `model.json` and `weights.bin` by name (float32). Changes nothing. */
  toTFJS(): Record<string, Uint8Array> {
    return part('interop', 'toTFJS').modelToTFJS(this);
  }

  /** Builds an uncompiled model from a tfjs layers model: model.json (object or text) or save artifacts, and the weight bytes. */
  static fromTFJS(modelJSON: unknown, weightData?: ArrayBuffer | Uint8Array, options: { backend?: BackendName; seed?: number } = {}): Sequential {
    return adopt(part('interop', 'fromTFJS').loadFromTFJS(modelJSON, weightData, options));
  }

  /** Frees the model's memory (the WebAssembly arena is reused by later models). Idempotent. */
  dispose(): void {
    if (this.#engine === null) return;
    this.#assertIdle('dispose');
    this.#engine.dispose();
    this.#engine = null;
  }

  /** True after dispose(). */
  get isDisposed(): boolean {
    return this.#engine === null;
  }
}
