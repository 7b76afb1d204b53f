/**
 * fit's per-step loop: one Engine.trainStep call per batch, for the fits that need control
 * between batches (batch callbacks, onBatchEnd, a per-batch schedule, streamed batches). Every
 * other fit runs its epochs through the multi-step path (fit-epoch.ts), whose steps, seeds and
 * loss sums are exactly these, so a page that never needs this loop does not ship it: fit loads
 * it with its optional parts (fit-extras.ts).
 */
import { StepStatus, type DataHandle, type Engine } from '../engine.js';
import type { BatchFeed } from './batch-feed.js';
import { runBatchHook, type Callback, type TrainingContext } from './callbacks/callback.js';
import { stepError } from './fit-epoch.js';
import type { FitOptions } from './fit-options.js';
import type { Random } from '../random.js';
import type { ModelSchedule } from './schedule.js';
import { nextTick, type YieldClock } from './yield.js';

/** The learning rate fit last chose (`lr`) and the one the engine has (`engineLr`; NaN: the plan's), shared by fit's loops and the training context. */
export interface FitRate {
  lr: number;
  engineLr: number;
}

/** What the per-step loop reads for the whole fit (fit.ts builds it once). */
export interface BatchFit {
  engine: Engine;
  model: { stopTraining: boolean; readonly shuffleRandom: Random };
  data: DataHandle;
  feed: BatchFeed | null;
  options: FitOptions;
  clock: YieldClock;
  /** Rows (Infinity for an iterable), rows per batch, batches per epoch. */
  rows: number;
  batch: number;
  batches: number;
  /** Draw a dropout seed per step from the model's stream. */
  dropout: boolean;
  /** The loss sums over rows (sse): the epoch loss adds batch losses unweighted. */
  sumsLoss: boolean;
  schedule: ModelSchedule;
  /** Sets the scheduled rate of the next step (null without a schedule). */
  applySchedule: (() => void) | null;
  rate: FitRate;
  ctx: TrainingContext | null;
  batchBegin: readonly Callback[] | null;
  batchEnd: readonly Callback[] | null;
}

/** Where the per-step loop left an epoch. */
export interface BatchesDone {
  /** The next batch (batches when the epoch is done), the loss sum, rows a streamed epoch gave. */
  next: number;
  total: number;
  seen: number;
  /** A streamed source ran out during the epoch. */
  ended: boolean;
  /** The rate of the epoch's first step. */
  epochLr: number;
}

/**
 * Trains batches [first, batches) of epoch `epoch` one step at a time, adding each batch's loss
 * to `total`; stops early after a batch when the signal aborts or the model's stopTraining is
 * set. Throws NonFiniteError for a failed step (the weights from before it). Mutates the
 * engine, the model's stream, the schedule's step count and `f.rate`.
 */
export async function trainBatches(f: BatchFit, epoch: number, first: number, total: number): Promise<BatchesDone> {
  const { engine, model, feed, data, options, clock, rows: n, batch, batches, schedule, rate, ctx, batchBegin, batchEnd } = f;
  const perBatch = schedule.config?.interval === 'batch';
  let seen = 0;
  let ended = false;
  let epochLr = NaN;
  let b = first;
  for (; b < batches; b++) {
    const start = b * batch;
    let size = Math.min(batch, n - start);
    // [stream] This batch is copied into the engine now; an iterable says its size (0: it has ended).
    if (feed) {
      size = await feed.load(start, size, b + 1 === batches);
      if (size === 0) {
        ended = true;
        break;
      }
      seen += size;
    }
    // Dropout's masks: a fresh seed per step from the model's stream (saved with the training state).
    if (f.dropout) engine.setNoiseSeed(model.shuffleRandom.nextUint32());
    if (batchBegin !== null) runBatchHook(batchBegin, ctx!, (c) => c.onBatchBegin?.(b, { epoch, batch: b, size }, ctx!));
    f.applySchedule?.();
    if (b === first) epochLr = rate.lr;
    const loss = feed ? engine.trainStep(feed.handle, 0, size) : engine.trainStep(data, start, size);
    if (engine.lastStatus !== StepStatus.Ok) throw stepError(engine.lastStatus, epoch, b, loss);
    if (perBatch) schedule.step++;
    total += f.sumsLoss ? loss : loss * size;
    const lr = rate.lr;
    // As onEpochEnd: only a returned promise is awaited (a rejection rejects fit, never lost).
    const batchDone = options.onBatchEnd?.(b, { loss, epoch, batch: b, size, lr });
    if (batchDone !== undefined) await batchDone;
    if (batchEnd !== null) runBatchHook(batchEnd, ctx!, (c) => c.onBatchEnd?.(b, { loss, epoch, batch: b, size, lr }, ctx!));
    if (options.signal?.aborted || model.stopTraining) {
      b++;
      break;
    }
    if (clock.sinceYield() > 50) {
      await nextTick();
      clock.yielded();
      if (options.signal?.aborted) {
        b++;
        break;
      }
    }
  }
  return { next: b, total, seen, ended, epochLr };
}
