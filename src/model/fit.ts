/**
 * The training loop: JavaScript walks epochs and batches, the engine runs each whole step
 * (forward, loss, backward, update) in one call. Between batches we only read the loss back;
 * every ~50 ms we yield to the event loop so abort signals, timers and UIs keep running.
 */
import { ConfigError, NonFiniteError, ShapeError, ValueError, describe } from '../errors.js';
import { StepStatus, type Engine } from '../engine.js';
import { hasDropout } from '../plan.js';
import { toMatrix, type Input, type Matrix } from './input.js';
import { toTargets, type Labels } from './labels.js';
import { accuracy, lossOf } from './metrics.js';
import type { PendingEpochRecord } from '../io/model-record.js';
import type { Random } from '../random.js';
import { nextTick } from './yield.js';
import { checkThreads, type ThreadsOption } from '../engine-options.js';
import { scheduleLr, type ModelSchedule } from './schedule.js';

/** What onBatchEnd receives: the batch's loss computed before its update, and the lr that update used. */
export interface BatchLogs { loss: number; epoch: number; batch: number; size: number; lr: number }
/** What onEpochEnd receives. */
export interface EpochLogs { loss: number; lr: number; accuracy?: number; valLoss?: number; valAccuracy?: number }

/** Options of fit. */
export interface FitOptions {
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Rows per step (default 32; larger than the data means full batch). */
  batchSize?: number;
  /** Reshuffle the rows every epoch with the model's seeded RNG (default true). */
  shuffle?: boolean;
  /** Held-out data evaluated after each epoch. */
  validationData?: [Input, Labels];
  /** Fraction in [0, 1) of the rows, taken from the end before shuffling, used as validation data. */
  validationSplit?: number;
  /** Called after each epoch; may be async (awaited). */
  onEpochEnd?: (epoch: number, logs: EpochLogs) => void | Promise<void>;
  /** Called after each batch, with the loss before that batch's update. */
  onBatchEnd?: (batch: number, logs: BatchLogs) => void;
  /** Aborting stops training after the current batch; fit resolves with the history so far. */
  signal?: AbortSignal;
  /** Threads for this fit (wasm backend): 1, a count or 'auto'; default the model's `threads`. Results do not depend on it. */
  threads?: ThreadsOption;
}

/** An epoch that fit left unfinished; the model keeps it and saves it with the training state. */
export type PendingEpoch = PendingEpochRecord;

/** Per-epoch results of fit. */
export interface History {
  /** Epochs completed. */
  epochs: number;
  loss: number[];
  /** The learning rate of each epoch's first step (the optimiser's lr without a schedule). */
  lr: number[];
  accuracy?: number[];
  valLoss?: number[];
  valAccuracy?: number[];
  /** Why training ended early, if it did. */
  stopped?: 'aborted' | 'stopTraining';
}

const FIT_KEYS = ['epochs', 'batchSize', 'shuffle', 'validationData', 'validationSplit', 'onEpochEnd', 'onBatchEnd', 'signal', 'threads'];
const STATUS_TEXT: Record<number, string> = {
  [StepStatus.NonFiniteLoss]: 'the loss is not finite',
  [StepStatus.NonFiniteGradient]: 'a gradient is not finite',
  [StepStatus.NonFiniteUpdate]: 'the update would make a weight or optimiser state non-finite',
};

function checkOptions(o: FitOptions): Required<Pick<FitOptions, 'epochs' | 'batchSize' | 'shuffle'>> {
  if (typeof o !== 'object' || o === null) throw new ConfigError(`fit options must be an object, got ${describe(o)}`);
  for (const k of Object.keys(o)) if (!FIT_KEYS.includes(k)) throw new ConfigError(`fit: unknown option '${k}' (valid: ${FIT_KEYS.join(', ')})`);
  const epochs = o.epochs ?? 1;
  if (typeof epochs !== 'number' || !Number.isSafeInteger(epochs) || epochs < 0) throw new ValueError(`fit: epochs must be an integer >= 0, got ${describe(epochs)}`);
  const batchSize = o.batchSize ?? 32;
  if (typeof batchSize !== 'number' || !Number.isSafeInteger(batchSize) || batchSize < 1) throw new ValueError(`fit: batchSize must be an integer >= 1, got ${describe(batchSize)}`);
  const shuffle = o.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw new ConfigError(`fit: shuffle must be a boolean, got ${describe(shuffle)}`);
  for (const k of ['onEpochEnd', 'onBatchEnd'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'function') throw new ConfigError(`fit: ${k} must be a function, got ${describe(o[k])}`);
  }
  if (o.signal !== undefined && (typeof o.signal !== 'object' || o.signal === null || typeof o.signal.aborted !== 'boolean')) {
    throw new ConfigError(`fit: signal must be an AbortSignal, got ${describe(o.signal)}`);
  }
  if (o.validationSplit !== undefined) {
    const v = o.validationSplit;
    if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new ValueError(`fit: validationSplit must be in [0, 1), got ${describe(v)}`);
    if (o.validationData !== undefined) throw new ConfigError('fit: give validationData or validationSplit, not both');
  }
  if (o.validationData !== undefined && (!Array.isArray(o.validationData) || o.validationData.length !== 2)) {
    throw new ConfigError('fit: validationData must be [x, y]');
  }
  return { epochs, batchSize, shuffle };
}

function rowsOf(m: Matrix, start: number, end: number): Matrix {
  return { data: m.data.subarray(start * m.cols, end * m.cols), rows: end - start, cols: m.cols };
}

/**
 * The parts of a model the training loop reads and updates (a Sequential), named here so that
 * the loop does not depend on the model class.
 */
export interface FitTarget {
  readonly metrics: readonly string[];
  readonly threads: ThreadsOption;
  readonly stopTraining: boolean;
  readonly shuffleRandom: Random;
  /** Read at the start, replaced when an epoch is left unfinished. */
  pendingEpoch: PendingEpoch | null;
  /** The compiled lr schedule; its step count advances as fit steps. */
  readonly schedule: ModelSchedule;
  forwardMatrix(m: Matrix): Matrix;
}

/** Runs fit for `model` on its engine; the caller guards against concurrent calls. See Sequential.fit. */
export async function fit(model: FitTarget, engine: Engine, x: Input, y: Labels, options: FitOptions): Promise<History> {
  const { epochs, batchSize, shuffle } = checkOptions(options);
  const plan = engine.plan;
  let xs = toMatrix(x, plan.inputSize);
  let ys = toTargets(y, plan.outputSize, xs.rows, plan.loss);
  let validation: [Matrix, Matrix] | null = null;
  if (options.validationData) {
    const vx = toMatrix(options.validationData[0], plan.inputSize, 'validationData x');
    validation = [vx, toTargets(options.validationData[1], plan.outputSize, vx.rows, plan.loss)];
  } else if (options.validationSplit) {
    const keep = Math.floor(xs.rows * (1 - options.validationSplit));
    if (keep < 1 || keep === xs.rows) throw new ShapeError(`fit: validationSplit ${options.validationSplit} of ${xs.rows} rows leaves no training or no validation rows`);
    validation = [rowsOf(xs, keep, xs.rows), rowsOf(ys, keep, ys.rows)];
    xs = rowsOf(xs, 0, keep);
    ys = rowsOf(ys, 0, keep);
  }
  if (xs.rows === 0) throw new ValueError('fit: x is empty');
  const withAccuracy = model.metrics.includes('accuracy');
  const history: History = { epochs: 0, loss: [], lr: [] };
  if (withAccuracy) history.accuracy = [];
  if (validation) { history.valLoss = []; if (withAccuracy) history.valAccuracy = []; }

  const n = xs.rows;
  const batch = Math.min(batchSize, n);
  const batches = Math.ceil(n / batch);
  const sumsLoss = plan.loss === 'sse';
  const threads = checkThreads(options.threads ?? model.threads, 'fit');
  if (epochs > 0) await engine.prepare?.({ threads, batchSize: batch });
  const data = engine.loadData(xs.data, ys.data, n);
  // An epoch an earlier fit left unfinished on rows like these is finished first.
  let pending = epochs > 0 ? model.pendingEpoch : null;
  if (pending && (pending.rows !== n || pending.batchSize !== batch || pending.shuffle !== shuffle)) pending = null;
  if (epochs > 0) model.pendingEpoch = null;
  let lastYield = Date.now();
  const dropout = hasDropout(engine.plan);
  let currentOrder: Int32Array | null = null;
  const schedule = model.schedule;
  const perBatch = schedule.config?.interval === 'batch';
  // Without a schedule the engine keeps the plan's lr and nothing is set: steps run as they always did.
  let lr = plan.optimizer.lr;
  let engineLr = NaN;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = pending ? pending.order : shuffle ? model.shuffleRandom.permutation(n) : null;
      // A handle starts in the identity order: copy an order into the engine only when it changes.
      if (order !== currentOrder) { data.setOrder(order); currentOrder = order; }
      let total = pending ? pending.lossSum : 0;
      const first = pending ? pending.nextBatch : 0;
      pending = null;
      let b = first;
      let epochLr = NaN;
      for (; b < batches; b++) {
        const start = b * batch;
        const size = Math.min(batch, n - start);
        // Dropout's masks: a fresh seed per step from the model's stream (saved with the training state).
        if (dropout) engine.setNoiseSeed(model.shuffleRandom.nextUint32());
        if (schedule.config !== null) {
          lr = scheduleLr(schedule.config, plan.optimizer.lr, schedule.step);
          if (lr !== engineLr) engine.setLearningRate((engineLr = lr));
        }
        if (b === first) epochLr = lr;
        const loss = engine.trainStep(data, start, size);
        if (engine.lastStatus !== StepStatus.Ok) {
          throw new NonFiniteError(
            `training stopped at epoch ${epoch}, batch ${b}: ${STATUS_TEXT[engine.lastStatus]} (loss ${loss}); the weights are those from before this step`,
            epoch, b,
          );
        }
        if (perBatch) schedule.step++;
        total += sumsLoss ? loss : loss * size;
        options.onBatchEnd?.(b, { loss, epoch, batch: b, size, lr });
        if (options.signal?.aborted || model.stopTraining) { b++; break; }
        if (Date.now() - lastYield > 50) {
          await nextTick();
          lastYield = Date.now();
          if (options.signal?.aborted) { b++; break; }
        }
      }
      const stopped = options.signal?.aborted ? 'aborted' : model.stopTraining ? 'stopTraining' : undefined;
      if (stopped) {
        model.pendingEpoch = { rows: n, batchSize: batch, shuffle, order, nextBatch: b, lossSum: total };
        history.stopped = stopped;
        break;
      }
      if (schedule.config !== null && !perBatch) schedule.step++;
      const logs: EpochLogs = { loss: sumsLoss ? total : total / n, lr: first < batches ? epochLr : lr };
      history.loss.push(logs.loss);
      history.lr.push(logs.lr);
      if (withAccuracy) history.accuracy!.push((logs.accuracy = accuracy(model.forwardMatrix(xs), ys, plan.loss)));
      if (validation) {
        const out = model.forwardMatrix(validation[0]);
        history.valLoss!.push((logs.valLoss = lossOf(plan, out, validation[1])));
        if (withAccuracy) history.valAccuracy!.push((logs.valAccuracy = accuracy(out, validation[1], plan.loss)));
      }
      history.epochs = epoch + 1;
      // Await only a callback that returned a promise: awaiting undefined costs a microtask per epoch.
      const done = options.onEpochEnd?.(epoch, logs);
      if (done !== undefined) await done;
      if (options.signal?.aborted || model.stopTraining) {
        history.stopped = options.signal?.aborted ? 'aborted' : 'stopTraining';
        break;
      }
      if (Date.now() - lastYield > 16) { await nextTick(); lastYield = Date.now(); }
    }
  } finally {
    data.dispose();
  }
  return history;
}
