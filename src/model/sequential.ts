/**
 * Sequential: a stack of layers with a Keras-like API. The model owns one Engine (the
 * WebAssembly core or the float64 reference) that holds all its numbers; this class checks
 * every input before handing work to it, so a thrown Error never leaves the model half-changed.
 */
import { ConfigError, DisposedError, ShapeError, StateError, ValueError, describe } from '../errors.js';
import type { Engine } from '../engine.js';
import { DEFAULT_BIAS_INITIALIZER, DEFAULT_KERNEL_INITIALIZER, initialize } from '../initializers.js';
import { parameterLayout, type LossName, type OptimizerConfig, type Plan } from '../plan.js';
import { Random } from '../random.js';
import { createEngine, type BackendName } from './backends.js';
import { isThreadsOption, MAX_THREADS, type ThreadsOption } from '../wasm/threads/thread-count.js';
import { fit as runFit, type FitOptions, type History, type PendingEpoch } from './fit.js';
import { MAX_MAGNITUDE, toMatrix, toRows, isTensorLike, type Input, type Matrix, type TensorLike } from './input.js';
import { toTargets, type Labels } from './labels.js';
import { Dense, type Layer } from './layers.js';
import { lower, resolveLoss } from './lower.js';
import { layerOutputs, type LayerOutput } from './layer-outputs.js';
import { accuracy, classesOf, lossOf, probabilities } from './metrics.js';
import { resolveOptimizer, SGD, type Optimizer } from './optimizers.js';
import { summarize } from './summary.js';
import { modelToJSON, modelFromJSON, type ModelJSON, type SaveOptions } from './serialize.js';
import { modelToBytes } from '../io/binary-format.js';
import { loadModel, modelFromAnyBytes, saveModel, type ModelSource } from '../io/model-file.js';
import { modelToONNX, type ONNXExportOptions } from '../io/onnx/export.js';
import { modelFromONNX, type ONNXImportOptions } from '../io/onnx/import.js';

/** Options of a Sequential. */
export interface SequentialOptions {
  /** Seed of initial weights and shuffling: an integer in [0, 2^32). Default: a random one (see `model.seed`). */
  seed?: number;
  /** 'wasm' (default: the f32 WebAssembly core) or 'reference' (float64, plain TypeScript). */
  backend?: BackendName;
  /**
   * Threads for fit on the wasm backend: 1 (default), a count, or 'auto' (up to 4 when a step
   * has at least 2 MFLOP of work). Results are bit-identical whatever the count; see README.
   */
  threads?: ThreadsOption;
}

/** What compile() takes. */
export interface CompileOptions {
  /** A loss name: sse, mse, bce, bce_logits, softmax_ce, categorical_ce, sigmoid_mse (or an alias). */
  loss: LossName | string;
  /** An Optimizer, a name ('sgd', 'adam', 'adamw', 'rmsprop') or `{ type, ...options }`. Default SGD lr 0.01. */
  optimizer?: Optimizer | string | OptimizerConfig | { type: string; [k: string]: unknown };
  /** Metrics reported by fit each epoch: [] or ['accuracy']. */
  metrics?: string[];
}

/** Weights in Keras order: W as [in][out] rows, b as a flat list. */
export type Weights = (number[][] | number[])[];

/** The metrics fit can report. */
export const METRICS = ['accuracy'] as const;

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
  private engine: Engine | null;
  private metricNames: string[] = [];
  private isCompiled = false;
  private isTraining = false;

  constructor(layers: Layer[], options: SequentialOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new ConfigError(`Sequential options must be an object, got ${describe(options)}`);
    for (const k of Object.keys(options)) {
      if (k !== 'seed' && k !== 'backend' && k !== 'threads') throw new ConfigError(`Sequential: unknown option '${k}' (valid: seed, backend, threads)`);
    }
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
      throw new ValueError(`Sequential: seed must be an integer in [0, 2^32), got ${describe(seed)}`);
    }
    const backend = options.backend ?? 'wasm';
    if (backend !== 'wasm' && backend !== 'reference') throw new ConfigError(`Sequential: unknown backend ${describe(backend)} (valid: wasm, reference)`);
    const threads = options.threads ?? 1;
    if (!isThreadsOption(threads)) throw new ValueError(`Sequential: threads must be 'auto' or an integer in [1, ${MAX_THREADS}], got ${describe(threads)}`);
    if (!Array.isArray(layers)) throw new ConfigError(`Sequential needs an array of layers, got ${describe(layers)}`);
    this.layers = Object.freeze(layers.slice());
    this.seed = seed;
    this.backend = backend;
    this.threads = threads;
    const plan = lower(this.layers, 'mse', new SGD().config);
    // Draw (and check) the initial weights before allocating: a bad initialiser must not leak an engine.
    let initial: Float64Array[];
    try {
      initial = checkWeights(plan, this.initialParameters(new Random(seed)));
    } catch (e) {
      if (e instanceof ValueError) throw new ValueError(`Sequential: initial weights: ${e.message}`);
      throw e;
    }
    this.engine = createEngine(plan, backend);
    this.engine.setParameters(initial);
    this.shuffleRandom = new Random((seed + 0x9e3779b9) % 2 ** 32);
  }

  /** Draws the initial W and b of every Dense in order, each from its initialiser. */
  private initialParameters(random: Random): Float64Array[] {
    const params: Float64Array[] = [];
    for (const layer of this.layers) {
      if (!(layer instanceof Dense)) continue;
      params.push(initialize(layer.init ?? DEFAULT_KERNEL_INITIALIZER, [layer.inputs, layer.units], random));
      if (layer.useBias) params.push(initialize(layer.biasInit ?? DEFAULT_BIAS_INITIALIZER, [layer.units], random));
    }
    return params;
  }

  /** @internal the live engine; throws DisposedError after dispose(). */
  get liveEngine(): Engine {
    if (this.engine === null) throw new DisposedError('this model was disposed; create a new one');
    return this.engine;
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
    return this.isCompiled;
  }

  /** Metrics fit reports. */
  get metrics(): readonly string[] {
    return this.metricNames;
  }

  /**
   * Sets the loss, optimiser and metrics. Keeps the weights, resets the optimiser state.
   * Throws ConfigError for unknown names before changing anything.
   */
  compile(options: CompileOptions): this {
    const engine = this.liveEngine;
    this.assertIdle('compile');
    if (typeof options !== 'object' || options === null) throw new ConfigError(`compile needs { loss, optimizer }, got ${describe(options)}`);
    for (const k of Object.keys(options)) {
      if (!['loss', 'optimizer', 'metrics'].includes(k)) throw new ConfigError(`compile: unknown option '${k}' (valid: loss, optimizer, metrics)`);
    }
    const loss = resolveLoss(options.loss);
    const optimizer: OptimizerConfig = options.optimizer === undefined ? new SGD().config : resolveOptimizer(options.optimizer);
    const metrics = options.metrics ?? [];
    if (!Array.isArray(metrics)) throw new ConfigError(`compile: metrics must be an array, got ${describe(metrics)}`);
    for (const m of metrics) {
      if (!(METRICS as readonly string[]).includes(m)) throw new ConfigError(`compile: unknown metric ${describe(m)} (valid: ${METRICS.join(', ')})`);
    }
    const plan = lower(this.layers, loss, optimizer);
    if ((loss === 'softmax_ce' || loss === 'categorical_ce') && plan.outputSize < 2) {
      throw new ConfigError(`compile: loss '${loss}' needs at least 2 outputs, the model has ${plan.outputSize}`);
    }
    const next = createEngine(plan, this.backend);
    next.setParameters(engine.getParameters());
    engine.dispose();
    this.engine = next;
    this.metricNames = metrics.slice();
    this.isCompiled = true;
    this.pendingEpoch = null;
    return this;
  }

  /**
   * Trains on (x, y); resolves with the history. Stops after the current batch when
   * `signal` aborts or a callback sets `model.stopTraining`. A non-finite step rejects with
   * NonFiniteError and leaves the weights from before that step. See FitOptions.
   */
  async fit(x: Input, y: Labels, options: FitOptions = {}): Promise<History> {
    const engine = this.liveEngine;
    if (!this.isCompiled) throw new StateError('call compile({ loss, optimizer }) before fit');
    this.assertIdle('fit');
    this.isTraining = true;
    this.stopTraining = false;
    try {
      return await runFit(this, engine, x, y, options);
    } finally {
      this.isTraining = false;
    }
  }

  private assertIdle(what: string): void {
    if (this.isTraining) throw new StateError(`${what}: this model is training (fit is still running); wait for it to finish`);
  }

  /** @internal the network output for a checked matrix. */
  forwardMatrix(m: Matrix): Matrix & { data: Float64Array } {
    return { data: this.liveEngine.predict(m.data, m.rows), rows: m.rows, cols: this.outputSize };
  }

  /**
   * Starts the model's thread team now — fit starts it by itself — so that predict on batches
   * with enough work runs on it too. `threads` defaults to the model's; `batchSize` is the batch
   * predict will see (it decides 'auto'). Resolves when the workers are ready; stays on one
   * thread (with a notice) where threads are unavailable, and does nothing on the reference backend.
   */
  async startThreads(options: { threads?: ThreadsOption; batchSize?: number } = {}): Promise<void> {
    const engine = this.liveEngine;
    this.assertIdle('startThreads');
    const threads = options.threads ?? this.threads;
    if (!isThreadsOption(threads)) throw new ValueError(`startThreads: threads must be 'auto' or an integer in [1, ${MAX_THREADS}], got ${describe(threads)}`);
    const batchSize = options.batchSize ?? 1024;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new ValueError(`startThreads: batchSize must be an integer >= 1, got ${describe(batchSize)}`);
    await engine.prepare?.({ threads, batchSize });
  }

  /** Network output (the last layer's raw values). Returns rows for nested input, `{ data, shape }` for a TensorLike. */
  predict(x: TensorLike): { data: Float64Array; shape: [number, number] };
  predict(x: Input): number[][];
  predict(x: Input): number[][] | { data: Float64Array; shape: [number, number] } {
    const engine = this.liveEngine;
    const out = this.forwardMatrix(toMatrix(x, engine.plan.inputSize));
    return isTensorLike(x) ? { data: out.data, shape: [out.rows, out.cols] } : toRows(out);
  }

  /** Every layer's output for x, in order (same inputs as predict; the last equals predict's). Changes nothing. */
  layerOutputs(x: TensorLike): LayerOutput[];
  layerOutputs(x: Input): number[][][];
  layerOutputs(x: Input): LayerOutput[] | number[][][] {
    return layerOutputs(this.liveEngine, this.layers, x);
  }

  /** Class probabilities: sigmoid or softmax of the output when the loss takes logits, else the output. */
  predictProba(x: Input): number[][] {
    const out = this.forwardMatrix(toMatrix(x, this.inputSize));
    return toRows(probabilities(out, this.plan.loss));
  }

  /** Predicted class per sample: argmax over outputs, or a threshold (0.5, or 0 for logits) for one output. */
  predictClasses(x: Input): number[] {
    return classesOf(this.forwardMatrix(toMatrix(x, this.inputSize)), this.plan.loss);
  }

  /** The compiled loss (float64) and accuracy over (x, y). Changes nothing. */
  evaluate(x: Input, y: Labels): { loss: number; accuracy: number } {
    if (!this.isCompiled) throw new StateError('call compile({ loss, optimizer }) before evaluate');
    const plan = this.plan;
    const xm = toMatrix(x, plan.inputSize);
    const t = toTargets(y, plan.outputSize, xm.rows, plan.loss);
    if (xm.rows === 0) throw new ValueError('evaluate: x is empty');
    const out = this.forwardMatrix(xm);
    return { loss: lossOf(plan, out, t), accuracy: accuracy(out, t, plan.loss) };
  }

  /** Copies of the weights in Keras order [W0, b0, W1, b1, ...]: W as [in][out] rows, b flat. */
  getWeights(): Weights {
    const engine = this.liveEngine;
    return nest(engine.plan, engine.getParameters());
  }

  /**
   * The loss on (x, y) as one batch and its gradient with respect to every weight (same layout
   * as getWeights; before weight decay), without updating anything: backprop, made visible.
   */
  gradients(x: Input, y: Labels): { loss: number; gradients: Weights } {
    if (!this.isCompiled) throw new StateError('call compile({ loss, optimizer }) before gradients');
    this.assertIdle('gradients');
    const engine = this.liveEngine;
    const xm = toMatrix(x, engine.plan.inputSize);
    if (xm.rows === 0) throw new ValueError('gradients: x is empty');
    const t = toTargets(y, engine.plan.outputSize, xm.rows, engine.plan.loss);
    const data = engine.loadData(xm.data, t.data, xm.rows);
    try {
      const loss = engine.computeGradients(data, 0, xm.rows);
      return { loss, gradients: nest(engine.plan, engine.getGradients()) };
    } finally {
      data.dispose();
    }
  }

  /**
   * Replaces every weight. Accepts the getWeights() form or flat arrays of the right length.
   * Checks count, shapes and finiteness first; on any error nothing changes.
   */
  setWeights(weights: readonly (readonly (readonly number[])[] | ArrayLike<number>)[]): void {
    const engine = this.liveEngine;
    this.assertIdle('setWeights');
    engine.setParameters(checkWeights(engine.plan, weights));
  }

  /** A table of layers, output shapes and parameter counts. */
  summary(): string {
    return summarize(this.layers, this.liveEngine.plan);
  }

  /**
   * The model as a JSON-safe document (format 'wasmlp-model' version 2: layers, compile settings,
   * weights as base64 of the backend's float type). `{ includeOptimizer: true }` adds the
   * optimiser and shuffle state so fit resumes exactly. Changes nothing. (JSON.stringify passes
   * a key string here, which is ignored.)
   */
  toJSON(options?: SaveOptions | string): ModelJSON {
    return modelToJSON(this, typeof options === 'object' && options !== null ? options : {});
  }

  /** Rebuilds a model from toJSON() output (or its JSON string; version 1 or 2); predictions match bit for bit. */
  static fromJSON(json: unknown, options: { backend?: BackendName } = {}): Sequential {
    return modelFromJSON(json, options);
  }

  /**
   * The model in the compact binary form; with a path (Node), also writes it there and resolves
   * with the bytes. Includes the optimiser and shuffle state unless `includeOptimizer: false`.
   */
  save(options?: SaveOptions): Uint8Array;
  save(path: string, options?: SaveOptions): Promise<Uint8Array>;
  save(pathOrOptions?: string | SaveOptions, options: SaveOptions = {}): Uint8Array | Promise<Uint8Array> {
    if (typeof pathOrOptions === 'string') return saveModel(this, pathOrOptions, { includeOptimizer: true, ...options });
    return modelToBytes(this, { includeOptimizer: true, ...pathOrOptions });
  }

  /** Loads a model saved by save() or toJSON(), or an ONNX file: from a path (Node), bytes, an ArrayBuffer or a Blob. */
  static load(source: ModelSource, options: { backend?: BackendName } = {}): Promise<Sequential> {
    return loadModel(source, options);
  }

  /** Synchronous load from the bytes of any model file (binary, JSON or ONNX). */
  static fromBytes(bytes: Uint8Array, options: { backend?: BackendName } = {}): Sequential {
    return modelFromAnyBytes(bytes, options);
  }

  /** The network as ONNX bytes (opset 13, float32, dynamic batch). Changes nothing. */
  toONNX(options: ONNXExportOptions = {}): Uint8Array {
    return modelToONNX(this, options);
  }

  /** Builds an uncompiled model from ONNX bytes (an MLP from PyTorch and others); see README. */
  static fromONNX(bytes: Uint8Array, options: ONNXImportOptions = {}): Sequential {
    return modelFromONNX(bytes, options);
  }

  /** Frees the model's memory (the WebAssembly arena is reused by later models). Idempotent. */
  dispose(): void {
    if (this.engine === null) return;
    this.assertIdle('dispose');
    this.engine.dispose();
    this.engine = null;
  }

  /** True after dispose(). */
  get isDisposed(): boolean {
    return this.engine === null;
  }
}

/** Parameter arrays in the getWeights() form: W as [in][out] rows, b flat. */
function nest(plan: Plan, params: Float64Array[]): Weights {
  const layout = parameterLayout(plan);
  return params.map((p, i) => {
    const shape = layout[i].shape;
    return shape.length === 1 ? Array.from(p) : toRows({ data: p, rows: shape[0], cols: shape[1] });
  });
}

/** Checks a weight list against the plan and flattens it; throws ShapeError / ValueError naming the tensor. */
export function checkWeights(plan: Plan, weights: unknown): Float64Array[] {
  const layout = parameterLayout(plan);
  if (!Array.isArray(weights)) throw new ShapeError(`weights must be an array of ${layout.length} tensors, got ${describe(weights)}`);
  if (weights.length !== layout.length) {
    throw new ShapeError(`expected ${layout.length} weight tensors ([W0, b0, W1, b1, ...]) but got ${weights.length}`);
  }
  let dense = -1;
  return layout.map((entry, i) => {
    if (!entry.isBias) dense++;
    const name = `${entry.isBias ? 'b' : 'W'}${dense}`;
    const w = weights[i];
    let flat: ArrayLike<unknown>;
    if (Array.isArray(w) && w.length > 0 && Array.isArray(w[0])) {
      if (entry.shape.length !== 2 || w.length !== entry.shape[0]) {
        throw new ShapeError(`${name} must have shape [${entry.shape.join(', ')}] but has ${w.length} rows`);
      }
      const rows = w as unknown[][];
      flat = rows.flatMap((row, r) => {
        if (!Array.isArray(row) || row.length !== entry.shape[1]) throw new ShapeError(`${name} row ${r} must have ${entry.shape[1]} values`);
        return row;
      });
    } else if (Array.isArray(w) || (ArrayBuffer.isView(w) && !(w instanceof DataView))) {
      flat = w as ArrayLike<unknown>;
    } else {
      throw new ShapeError(`${name} must be an array, got ${describe(w)}`);
    }
    if (flat.length !== entry.length) throw new ShapeError(`${name} must have ${entry.length} values (shape [${entry.shape.join(', ')}]) but has ${flat.length}`);
    const out = new Float64Array(entry.length);
    for (let j = 0; j < entry.length; j++) {
      const v = flat[j];
      if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > MAX_MAGNITUDE) {
        throw new ValueError(`${name}[${j}] is ${describe(v)}; weights must be finite numbers within the float32 range (|w| <= 3.4028234663852886e38)`);
      }
      out[j] = v;
    }
    return out;
  });
}
