/**
 * fit's callbacks: the interface (Keras's hooks, at epoch and batch boundaries), the context
 * each hook receives, and the list that runs them. Hooks may stop training (return 'stop' or
 * set model.stopTraining) and change the learning rate through the context, which feeds the
 * schedule machinery (schedule.ts): the base rate a schedule scales, the optimiser's rate
 * without one. Batch hooks are synchronous, and fit calls none when no callback has one.
 */
import { ConfigError, ValueError, describe } from '../../errors.js';
import type { Engine } from '../../engine.js';
import type { BatchLogs, EpochLogs, History } from '../logs.js';
import type { ModelSchedule } from '../schedule.js';

/** What a hook may return: 'stop' ends training as model.stopTraining = true does. */
// biome-ignore lint/suspicious/noConfusingVoidType: a hook that returns nothing must type-check, as Keras callbacks do
export type CallbackResult = void | 'stop';

/** The model a callback sees (the Sequential being trained). */
export interface CallbackModel {
  /** Set to true to stop after the current batch. */
  stopTraining: boolean;
  /** Writes the model (with its training state) atomically to `path`; see Sequential.save. */
  save(path: string): Promise<Uint8Array>;
}

/** What every hook receives besides its own arguments. */
export interface TrainingContext {
  readonly model: CallbackModel;
  /** Epochs this fit runs, and batches per epoch. */
  readonly epochs: number;
  readonly batches: number;
  /** The keys of every epoch's logs, Keras style: loss, lr, each metric, val_loss and val_<metric> with validation. */
  readonly logKeys: readonly string[];
  /** The base learning rate: the optimiser's lr, or the lr0 a schedule scales. */
  learningRate(): number;
  /** Sets the base learning rate for every following step (kept by the model until compile; saved as the optimiser's lr). */
  setLearningRate(lr: number): void;
  /** Exact copies of every parameter (Keras order), in the engine's precision. */
  getParameters(): Float64Array[];
  /** Overwrites every parameter with arrays taken by getParameters (bit for bit). */
  setParameters(params: readonly Float64Array[]): void;
}

/** A fit callback: any subset of these hooks. Train and epoch hooks may be async (awaited). */
export interface Callback {
  /** Once before the first epoch; returning 'stop' ends fit before any step. */
  onTrainBegin?(ctx: TrainingContext): CallbackResult | Promise<CallbackResult>;
  /** Once after the last epoch (also after a stop), with the history so far. */
  onTrainEnd?(history: History, ctx: TrainingContext): void | Promise<void>;
  /** Before each epoch; may change the learning rate through ctx or return 'stop'. */
  onEpochBegin?(epoch: number, ctx: TrainingContext): CallbackResult | Promise<CallbackResult>;
  /** After each epoch with its logs (loss, metrics, val_*); may return 'stop'. */
  onEpochEnd?(epoch: number, logs: EpochLogs, ctx: TrainingContext): CallbackResult | Promise<CallbackResult>;
  /** Before batch `batch` of `epoch` (synchronous). */
  onBatchBegin?(batch: number, info: { epoch: number; batch: number; size: number }, ctx: TrainingContext): CallbackResult;
  /** After each batch, with the loss before its update (synchronous). */
  onBatchEnd?(batch: number, logs: BatchLogs, ctx: TrainingContext): CallbackResult;
}

const HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd'] as const;

/** Throws ConfigError unless `list` is an array of objects whose hooks are functions. Returns it. */
export function checkCallbacks(list: unknown): readonly Callback[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new ConfigError(`fit: callbacks must be an array, got ${describe(list)}`);
  list.forEach((c, i) => {
    if (typeof c !== 'object' || c === null)
      throw new ConfigError(`fit: callbacks[${i}] must be an object with hooks (${HOOKS.join(', ')}), got ${describe(c)}`);
    for (const h of HOOKS) {
      const f = (c as Record<string, unknown>)[h];
      if (f !== undefined && typeof f !== 'function') throw new ConfigError(`fit: callbacks[${i}].${h} must be a function, got ${describe(f)}`);
    }
  });
  return list as Callback[];
}

/** True when any callback has hook `h`. */
export function hasHook(list: readonly Callback[], h: (typeof HOOKS)[number]): boolean {
  return list.some((c) => c[h] !== undefined);
}

/**
 * Runs one train / epoch hook of every callback in order, awaiting only results that are
 * promises. Returns true when one asked to stop (or set model.stopTraining).
 */
export async function runHook(
  list: readonly Callback[],
  ctx: TrainingContext,
  call: (c: Callback) => CallbackResult | Promise<CallbackResult> | undefined,
): Promise<boolean> {
  let stop = false;
  for (const c of list) {
    let r = call(c);
    if (r !== undefined && typeof (r as Promise<CallbackResult>).then === 'function') r = await r;
    if (r === 'stop') stop = true;
  }
  if (stop) ctx.model.stopTraining = true;
  return ctx.model.stopTraining;
}

/** runHook for the synchronous batch hooks. */
export function runBatchHook(list: readonly Callback[], ctx: TrainingContext, call: (c: Callback) => CallbackResult | undefined): void {
  for (const c of list) if (call(c) === 'stop') ctx.model.stopTraining = true;
}

/**
 * The TrainingContext of one fit: its shape, and the learning rate as the callbacks see it (the
 * base rate a schedule scales). setLearningRate validates, sets the schedule's base rate and,
 * without a schedule, hands the rate to `setRate` (fit sets it in the engine at once). Creates only.
 */
export function trainingContext(
  model: CallbackModel,
  engine: Engine,
  schedule: ModelSchedule,
  setRate: (lr: number) => void,
  shape: { epochs: number; batches: number; logKeys: readonly string[] },
): TrainingContext {
  return {
    model,
    ...shape,
    learningRate: () => schedule.baseLr ?? engine.plan.optimizer.lr,
    setLearningRate: (next) => {
      if (typeof next !== 'number' || !(next > 0 && next < Infinity))
        throw new ValueError(`setLearningRate: lr must be a finite number > 0, got ${describe(next)}`);
      schedule.baseLr = next;
      if (schedule.config === null) setRate(next);
    },
    getParameters: () => engine.getParameters(),
    setParameters: (p) => engine.setParameters(p),
  };
}
