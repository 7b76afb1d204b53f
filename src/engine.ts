/**
 * The backend contract. A model talks to its numbers only through an Engine, so the WebAssembly
 * core and the float64 reference are interchangeable, and tests can drive both the same way.
 * All arrays crossing this boundary are float64 copies (the wasm engine converts to/from f32).
 */
import type { DType } from './engine-options.js';
import type { Plan } from './plan.js';

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
  /** Frees the data's memory. Idempotent. */
  dispose(): void;
}

/** Optimiser state: the step count and every state buffer, in a layout the engine defines and restores. */
export interface OptimizerState {
  step: number;
  /** Named state buffers (e.g. 'm', 'v', 'momentum'), each the concatenation of all parameters in Keras order. */
  buffers: Record<string, Float64Array>;
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
  /** Copies of dL/dp from the last trainStep or computeGradients (before weight decay), Keras order. */
  getGradients(): Float64Array[];
  getOptimizerState(): OptimizerState;
  /** Restores a state taken by getOptimizerState from an engine with the same plan. */
  setOptimizerState(state: OptimizerState): void;
  /** Zeroes the optimiser state and its step count. */
  resetOptimizer(): void;
  /** Copies x (rows × inputSize) and y (rows × outputSize) into engine memory once. */
  loadData(x: ArrayLike<number>, y: ArrayLike<number>, rows: number): DataHandle;
  /**
   * One whole training step on one batch: forward, loss, backward, optimiser update.
   * Returns the batch loss computed before the update. If the loss, a gradient or the update
   * is non-finite, parameters and optimiser state are left exactly as they were and
   * `lastStatus` says why.
   */
  trainStep(data: DataHandle, start: number, count: number): number;
  /** Forward, loss and backward on one batch without updating anything but the gradients. Returns the loss. */
  computeGradients(data: DataHandle, start: number, count: number): number;
  /** Status of the last trainStep. */
  readonly lastStatus: StepStatus;
  /** Network output for rows × inputSize values (raw last-stage output). Mutates only scratch buffers. */
  predict(x: ArrayLike<number>, rows: number): Float64Array;
  /**
   * Optional: gets ready to train with batches of `batchSize` rows on `threads` threads (a
   * count or 'auto'); fit awaits it before loading its data. Results must not depend on it.
   */
  prepare?(options: { threads: 'auto' | number; batchSize: number }): Promise<void>;
  /** Frees all memory of this engine. Idempotent; any later call throws. */
  dispose(): void;
}

/**
 * The sizes loadData requires, checked the same way by every engine: a non-negative whole row
 * count, x of rows × inputSize values and y of rows × outputSize. Throws an Error naming the
 * array at fault; changes nothing.
 */
export function checkDataSizes(plan: Plan, x: ArrayLike<number>, y: ArrayLike<number>, rows: number): void {
  const { inputSize, outputSize } = plan;
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`loadData: rows must be a non-negative integer, got ${rows}`);
  if (x.length !== rows * inputSize) throw new Error(`loadData: x has ${x.length} values, expected ${rows} × ${inputSize}`);
  if (y.length !== rows * outputSize) throw new Error(`loadData: y has ${y.length} values, expected ${rows} × ${outputSize}`);
}
