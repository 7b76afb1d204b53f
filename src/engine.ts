/**
 * The backend contract. A model talks to its numbers only through an Engine, so the WebAssembly
 * core and the float64 reference are interchangeable, and tests can drive both the same way.
 * All arrays crossing this boundary are float64 copies (the wasm engine converts to/from f32).
 */
import type { DType } from './engine-options.js';
import { DisposedError, ShapeError, StateError, ValueError } from './errors.js';
import { parameterLayout, type OptimizerConfig, type Plan } from './plan.js';

/** Outcome of the last training step. */
export const StepStatus = {
  Ok: 0,
  /** The batch loss was NaN or ±Infinity: nothing was updated. */
  NonFiniteLoss: 1,
  /** A gradient was NaN or ±Infinity: nothing was updated. */
  NonFiniteGradient: 2,
  /** The update would have made a parameter or optimiser state non-finite: nothing was updated. */
  NonFiniteUpdate: 3,
} as const;
export type StepStatus = (typeof StepStatus)[keyof typeof StepStatus];

/** Training data copied once into the engine's memory: x as rows of plan.inputSize, y as rows of plan.outputSize. */
export interface DataHandle {
  readonly rows: number;
  /**
   * The row order used by trainStep / computeGradients from now on: batch rows are
   * order[start .. start+count). null means the identity order (rows start .. start+count).
   * Mutates the handle only; the array is copied.
   */
  setOrder(order: Int32Array | null): void;
  /**
   * Optional: the flat index of the first NaN or ±Infinity in the loaded x, or -1; lets fit
   * check a Float32Array at memory speed after the copy instead of before it. Reads only.
   */
  firstNonFiniteX?(): number;
  /** Frees the data's memory. Idempotent. */
  dispose(): void;
}

/** Optimiser state: the step count and every state buffer, in a layout the engine defines and restores. */
export interface OptimizerState {
  step: number;
  /** Named state buffers (e.g. 'm', 'v', 'momentum'), each the concatenation of all parameters in Keras order. */
  buffers: Record<string, Float64Array>;
}

/**
 * One stage's values in a forward pass, each rows × the stage's width: `linear` is the value
 * before the fused activation — a Dense's x·W + b, a BatchNorm's gamma · x̂ + beta (keepsLinear
 * in plan.ts; null for activation and Dropout stages) —, `output` the stage's output after it. Fresh arrays, owned by the caller.
 */
export interface StageOutputs {
  linear: Float64Array | null;
  output: Float64Array;
}

/**
 * One training step made visible (ReferenceEngine.traceStep), all in float64, flat row-major:
 * per stage its input x (rows × input width), z (the value before the fused activation; for an
 * activation or Dropout stage its input), a = act(z), and delta = dL/dz (rows × width); the
 * gradient of every parameter (Keras order, before weight decay and clipping, as
 * computeGradients) and `update`, the change the optimiser would apply (clipping, weight decay,
 * the current learning rate and state included; the running estimates' moves excluded).
 */
export interface StepTrace {
  loss: number;
  stages: { x: Float64Array; z: Float64Array; a: Float64Array; delta: Float64Array }[];
  gradients: Float64Array[];
  update: Float64Array[];
}

/** A run of training steps for Engine.trainSteps. */
export interface StepRun {
  /** Rows per batch (the last batch of a pass may have fewer). */
  batchSize: number;
  /** The batch index (in the handle's order) of the first step, in [0, batches). */
  first: number;
  /** Steps to run (>= 0). */
  steps: number;
  /** The noise seed of each step (uint32, at least `steps` of them), or null to leave the seed alone. */
  seeds: Uint32Array | null;
}

/** A model's numbers on one backend: parameters, gradients, optimiser state, activation buffers. */
export interface Engine {
  readonly backend: 'wasm' | 'reference';
  /** The float type the engine stores parameters and optimiser state in (what a save keeps exactly). */
  readonly dtype: DType;
  readonly plan: Plan;
  /** Copies of the parameters in Keras order [W0, b0, W1, b1, ...], W row-major [in, out]. */
  getParameters(): Float64Array[];
  /** Overwrites every parameter (caller has validated count and lengths). Does not touch optimiser state. */
  setParameters(params: readonly ArrayLike<number>[]): void;
  /**
   * Copies of dL/dp from the last trainStep or computeGradients (before weight decay), Keras
   * order; after a trainStep of a plan with clipping, the clipped gradients.
   */
  getGradients(): Float64Array[];
  getOptimizerState(): OptimizerState;
  /** Restores a state taken by getOptimizerState from an engine with the same plan. */
  setOptimizerState(state: OptimizerState): void;
  /**
   * Sets the learning rate of the following training steps (a schedule calls it between steps;
   * cheap, no allocation). Until called, steps use plan.optimizer.lr. Mutates only that setting.
   */
  setLearningRate(lr: number): void;
  /** Zeroes the optimiser state and its step count. */
  resetOptimizer(): void;
  /**
   * Copies x (rows × inputSize) and y (rows × outputSize) into engine memory once. With
   * `weights` (one finite value >= 0 per row) every step on the handle weights its loss the
   * Keras way: (1/B) Σ_r w_r ℓ_r over the batch's B rows, ℓ_r row r's loss; without, steps do
   * no weighting work at all.
   */
  loadData(x: ArrayLike<number>, y: ArrayLike<number>, rows: number, weights?: ArrayLike<number> | null): DataHandle;
  /**
   * Allocates a staging handle for batches of up to `capacity` rows (and their row weights when
   * `weighted`): streamed training copies each batch into it with loadBatch and then steps on
   * its rows [0, count), so the engine holds one batch of data whatever the data's size. It
   * holds 0 rows until the first loadBatch, and takes no row order (setOrder(null) only).
   * Throws OutOfMemoryError, allocating nothing, when the engine's memory cannot hold it.
   */
  createStaging(capacity: number, weighted: boolean): DataHandle;
  /**
   * Copies `rows` rows into a staging handle of createStaging, replacing what it held: its row
   * r becomes row index[r] of x (rows of inputSize values), y (rows of outputSize) and weights
   * (one per row, given exactly when the handle is weighted), or row r of them without an
   * index. The copy's rounding is loadData's, so a step on it equals a step on loadData's
   * copy of the same rows in the same order, bit for bit. Mutates only the handle.
   */
  loadBatch(handle: DataHandle, x: ArrayLike<number>, y: ArrayLike<number>, rows: number, weights?: ArrayLike<number> | null, index?: Int32Array | null): void;
  /**
   * One whole training step on one batch: forward, loss, backward, optimiser update.
   * Returns the batch loss computed before the update. If the loss, a gradient or the update
   * is non-finite, parameters and optimiser state are left exactly as they were and
   * `lastStatus` says why.
   */
  trainStep(data: DataHandle, start: number, count: number): number;
  /**
   * Several training steps in one call, exactly as that many trainStep calls (and setNoiseSeed
   * before each, when `run.seeds` is given) would run them: step i trains batch
   * b = (run.first + i) mod batches of the handle's order, batches = ceil(available rows /
   * run.batchSize), rows [b·batchSize, min((b + 1)·batchSize, available)) — so a run may go on
   * into the next pass over the data. Writes step i's loss (before its update) to losses[i];
   * stops after the first step whose status is not Ok (lastStatus says why; that step changed
   * nothing, its loss is in losses[i]). Returns the number of steps whose status was Ok.
   * fit uses it when nothing needs control between batches (src/model/fit-epoch.ts).
   */
  trainSteps(data: DataHandle, run: StepRun, losses: Float64Array): number;
  /** Forward, loss and backward on one batch without updating anything but the gradients. Returns the loss. */
  computeGradients(data: DataHandle, start: number, count: number): number;
  /**
   * Sets the 32-bit noise seed the following trainSteps draw their dropout masks from (see
   * src/dropout-mask.ts); fit sets a fresh one before every step of a plan with Dropout.
   * Mutates only that seed.
   */
  setNoiseSeed(seed: number): void;
  /** Status of the last trainStep. */
  readonly lastStatus: StepStatus;
  /**
   * Network output for rows × inputSize values (raw last-stage output). Mutates only scratch
   * buffers. With `onNonFinite`, x (f32 values a caller's Float32Array holds, not yet checked)
   * is checked for NaN / ±Infinity as it is read in: the first bad value's flat index goes to
   * onNonFinite, which throws, before any output is returned (the wasm core scans its copy of
   * x with SIMD: a JavaScript walk cost a 1,024-row MNIST predict 11 % of its time).
   */
  predict(x: ArrayLike<number>, rows: number, onNonFinite?: (index: number) => never): Float64Array;
  /**
   * Every stage's values (StageOutputs, in plan order) for rows × inputSize values: the forward
   * pass of predict, kept stage by stage; the last output equals predict's. Mutates only scratch.
   */
  forwardStages(x: ArrayLike<number>, rows: number): StageOutputs[];
  /**
   * Optional (the float64 reference has it): the StepTrace of one step on batch rows
   * [start, start + count) in the handle's order — BatchNorm in batch statistics, Dropout off,
   * as computeGradients. Mutates nothing, not even the stored gradients.
   */
  traceStep?(data: DataHandle, start: number, count: number): StepTrace;
  /**
   * Optional: gets ready to train with batches of `batchSize` rows on `threads` threads (a
   * count or 'auto'); fit awaits it before loading its data. Results must not depend on it.
   */
  prepare?(options: { threads: 'auto' | number; batchSize: number }): Promise<void>;
  /** Frees all memory of this engine. Idempotent; any later call throws. */
  dispose(): void;
}

// The checks below are the contract's: both engines call them, so the same bad call throws the
// same error class with the same message on either backend, before any work starts.

/**
 * The names of the state buffers an optimiser keeps, in the order of the core's state slots
 * (assembly/optimizers.ts): SGD with momentum ['momentum'], Adam/AdamW ['m', 'v'] plus 'vMax'
 * with amsgrad, RMSprop ['squareAvg'] plus 'gradAvg' when centred and 'momentum' with momentum.
 * Returns a new array.
 */
export function optimizerStateBuffers(config: OptimizerConfig): string[] {
  switch (config.type) {
    case 'sgd':
      return config.momentum !== 0 ? ['momentum'] : [];
    case 'adam':
    case 'adamw':
      return config.amsgrad ? ['m', 'v', 'vMax'] : ['m', 'v'];
    case 'rmsprop':
      return ['squareAvg', ...(config.centered ? ['gradAvg'] : []), ...(config.momentum > 0 ? ['momentum'] : [])];
  }
}

/** One parameter tensor's place in the flat parameter (gradient, state) arrays, in values. */
export interface ParameterSlot {
  offset: number;
  length: number;
  isBias: boolean;
  /** False for BatchNorm's running estimates: no gradient, no decay, not the optimiser's. */
  trainable: boolean;
  /** Index of its stage in plan.stages. */
  stage: number;
}

/** The parameter tensors of a plan laid end to end in Keras order, and the total length. */
export function parameterSlots(plan: Plan): { slots: ParameterSlot[]; size: number } {
  let size = 0;
  const slots = parameterLayout(plan).map((l) => {
    const slot = { offset: size, length: l.length, isBias: l.isBias, trainable: l.trainable, stage: l.stage };
    size += l.length;
    return slot;
  });
  return { slots, size };
}

/** Throws DisposedError when `disposed`; `what` names the object ("ReferenceEngine", "wasm data handle"). */
export function checkLive(disposed: boolean, what: string): void {
  if (disposed) throw new DisposedError(`${what}: used after dispose() (disposed)`);
}

/** Throws ShapeError unless `params` has one array per slot, each of the slot's length. Reads only. */
export function checkParameters(slots: readonly ParameterSlot[], params: readonly ArrayLike<number>[]): void {
  if (params.length !== slots.length) throw new ShapeError(`setParameters: expected ${slots.length} tensors, got ${params.length}`);
  slots.forEach((s, i) => {
    if (params[i].length !== s.length) throw new ShapeError(`setParameters: tensor ${i} needs ${s.length} values, got ${params[i].length}`);
  });
}

/**
 * Throws unless `state` fits an optimiser `config` over `size` parameters: a ValueError for a
 * step that is not a non-negative integer, a ShapeError unless the buffers are exactly those
 * of optimizerStateBuffers, each of `size` values. Reads only.
 */
export function checkOptimizerState(config: OptimizerConfig, size: number, state: OptimizerState): void {
  if (!Number.isInteger(state.step) || state.step < 0 || state.step > MAX_OPTIMIZER_STEP) {
    throw new ValueError(`setOptimizerState: bad step ${state.step}: an integer in [0, 2^31 - 1] is needed`);
  }
  const names = optimizerStateBuffers(config);
  const given = Object.keys(state.buffers);
  if (given.length !== names.length || names.some((n) => state.buffers[n]?.length !== size)) {
    throw new ShapeError(`setOptimizerState: expected buffers [${names.join(', ')}] of ${size} values, got [${given.join(', ')}]`);
  }
}

/**
 * Most optimiser steps an engine counts: the core keeps the count in an i32, and Adam's bias
 * correction uses it, so both backends refuse to go past it rather than wrap.
 */
export const MAX_OPTIMIZER_STEP = 0x7fffffff;

/**
 * Throws StateError when a training step after `step` completed ones would pass
 * MAX_OPTIMIZER_STEP (resetOptimizer or compile starts the count again). Reads only.
 */
export function checkStepRoom(step: number): void {
  if (step >= MAX_OPTIMIZER_STEP) {
    throw new StateError(`trainStep: the optimiser has taken ${step} steps, the most it counts (2^31 - 1); compile again or reset the optimiser to continue`);
  }
}

/** Throws ValueError unless rows [start, start + count) are a non-empty range inside [0, available). */
export function checkBatch(start: number, count: number, available: number): void {
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 1 || start + count > available) {
    throw new ValueError(`batch [${start}, ${start + count}) is not inside [0, ${available})`);
  }
}

/**
 * Throws ValueError unless `run` is a valid Engine.trainSteps run over `available` rows with
 * room for its losses (and seeds): whole numbers, batchSize >= 1, first in [0, batches),
 * steps >= 0, losses (and seeds, when given) of at least `steps` values. Reads only.
 */
export function checkStepRun(run: StepRun, available: number, losses: Float64Array): void {
  const { batchSize, first, steps, seeds } = run;
  const whole = (v: number) => Number.isSafeInteger(v) && v >= 0;
  if (!whole(batchSize) || batchSize < 1 || !whole(first) || first * batchSize >= available || !whole(steps)) {
    throw new ValueError(`trainSteps: batchSize ${batchSize}, first batch ${first}, ${steps} steps do not fit ${available} rows`);
  }
  if (!(losses instanceof Float64Array) || losses.length < steps) throw new ValueError(`trainSteps: losses must be a Float64Array of at least ${steps} values`);
  if (seeds !== null && (!(seeds instanceof Uint32Array) || seeds.length < steps))
    throw new ValueError(`trainSteps: seeds must be null or a Uint32Array of at least ${steps} values`);
}

/**
 * Throws ShapeError (its message starting with `what`) unless x holds rows × inputSize values
 * for a whole, non-negative rows: the input of a forward pass (predict, forwardStages).
 */
export function checkPredictSize(plan: Plan, x: ArrayLike<number>, rows: number, what = 'predict'): void {
  if (!Number.isInteger(rows) || rows < 0 || x.length !== rows * plan.inputSize) {
    throw new ShapeError(`${what}: x has ${x.length} values, expected ${rows} × ${plan.inputSize}`);
  }
}

/** Throws ValueError unless every index of a row order (DataHandle.setOrder) is a row in [0, rows). */
export function checkOrder(order: Int32Array, rows: number): void {
  for (let i = 0; i < order.length; i++) {
    const r = order[i];
    if (!(r >= 0 && r < rows)) throw new ValueError(`setOrder: row index ${r} is outside [0, ${rows})`);
  }
}

/**
 * Throws unless a data handle given to a batch call may be used: a ValueError when another
 * engine (or nobody) loaded it, a DisposedError after its dispose().
 */
export function checkHandle(ours: boolean, disposed: boolean): void {
  if (!ours) throw new ValueError('data handle was not loaded by this engine');
  checkLive(disposed, 'data handle');
}

/**
 * The sizes loadData requires, checked the same way by every engine: a non-negative whole row
 * count (else ValueError), x of rows × inputSize values and y of rows × outputSize (else
 * ShapeError naming the array at fault); changes nothing.
 */
export function checkDataSizes(plan: Plan, x: ArrayLike<number>, y: ArrayLike<number>, rows: number, weights?: ArrayLike<number> | null): void {
  const { inputSize, outputSize } = plan;
  if (!Number.isInteger(rows) || rows < 0) throw new ValueError(`loadData: rows must be a non-negative integer, got ${rows}`);
  if (x.length !== rows * inputSize) throw new ShapeError(`loadData: x has ${x.length} values, expected ${rows} × ${inputSize}`);
  if (y.length !== rows * outputSize) throw new ShapeError(`loadData: y has ${y.length} values, expected ${rows} × ${outputSize}`);
  if (weights === undefined || weights === null) return;
  if (weights.length !== rows) throw new ShapeError(`loadData: weights has ${weights.length} values, expected one per row (${rows})`);
  for (let i = 0; i < rows; i++) {
    if (!(weights[i] >= 0 && weights[i] < Infinity)) throw new ValueError(`loadData: weight ${i} is ${weights[i]}; weights must be finite and >= 0`);
  }
}

/** Throws ValueError when a row order is set on a staging handle (`capacity` not null): its rows stay in load order. Reads only. */
export function checkStagingOrder(capacity: number | null, order: Int32Array | null): void {
  if (order !== null && capacity !== null) throw new ValueError('setOrder: a staging handle keeps its rows in load order (null only)');
}
