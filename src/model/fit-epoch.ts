/**
 * fit's multi-step path: the batches of an epoch go to the engine in runs (Engine.trainSteps,
 * one core call each) instead of one trainStep call per batch. A tiny network's whole step
 * takes well under a microsecond, about what fit's per-batch JavaScript costs, so fit takes
 * this path whenever nothing needs control between batches (no batch callbacks, no per-batch
 * schedule). The steps, their order, the dropout seeds drawn from the model's stream and the
 * loss sums are exactly those of the per-step loop, so both give bit-identical results.
 *
 * When nothing happens between epochs either (no shuffle, no epoch callbacks, metrics,
 * validation or schedule), a run may go on past the end of the epoch ("running ahead"): fit
 * then records the following epochs from the losses already computed (fit-quiet.ts). fit yields to the event
 * loop only between runs, never while steps are run ahead, so an abort or stop always finds
 * the weights at the point the history says.
 */
import { NonFiniteError } from '../errors.js';
import { StepStatus, type DataHandle, type Engine } from '../engine.js';
import type { Random } from '../random.js';
import { nextTick, type YieldClock } from './yield.js';

/** Steps of the first run; later runs double or halve to take about RUN_MS each. */
const FIRST_RUN = 16;
/** Most steps in one run (the loss and seed buffers grow to it). */
export const MAX_RUN = 4096;
/** A run shorter than this (ms) doubles the next one, one over 4× this halves it. */
const RUN_MS = 2;

const STATUS_TEXT: Record<number, string> = {
  [StepStatus.NonFiniteLoss]: 'the loss is not finite',
  [StepStatus.NonFiniteGradient]: 'a gradient is not finite',
  [StepStatus.NonFiniteUpdate]: 'the update would make a weight or optimiser state non-finite',
};

/** The NonFiniteError of a training step that failed with `status` at `epoch`, `batch` (its loss `loss`). Creates only. */
export function stepError(status: StepStatus, epoch: number, batch: number, loss: number): NonFiniteError {
  return new NonFiniteError(
    `training stopped at epoch ${epoch}, batch ${batch}: ${STATUS_TEXT[status]} (loss ${loss}); the weights are those from before this step`,
    epoch,
    batch,
  );
}

/** The shape of a fit, as the multi-step path needs it. */
export interface EpochShape {
  /** Training rows, rows per batch, batches per epoch, epochs of the fit. */
  rows: number;
  batch: number;
  batches: number;
  epochs: number;
  /** The loss sums over rows (sse): the epoch loss adds batch losses unweighted. */
  sumsLoss: boolean;
  /** The model's stream to draw each step's dropout seed from, or null without Dropout. */
  noise: Random | null;
  /** Runs may go on into the following epochs (see the module comment). */
  runAhead: boolean;
}

/** Where EpochRunner.epoch got to. */
export interface EpochPosition {
  /** The next batch of the epoch (batches when it is done). */
  next: number;
  /** The epoch's loss sum so far. */
  total: number;
  /** A yield to the event loop is due before the epoch goes on (internal to the runner). */
  yieldDue: boolean;
}

/** Runs one fit's batches through Engine.trainSteps. Mutates the engine's state and `noise` as the per-step loop does. */
export class EpochRunner {
  #losses = new Float64Array(FIRST_RUN);
  #seeds: Uint32Array | null;
  /** losses[used .. ran) are steps already taken, ahead of the epoch being recorded. */
  #used = 0;
  #ran = 0;
  #run = FIRST_RUN;
  readonly #position: EpochPosition = { next: 0, total: 0, yieldDue: false };

  readonly #engine: Engine;
  readonly #data: DataHandle;
  readonly #shape: EpochShape;
  readonly #clock: YieldClock;
  readonly #stopped: () => boolean;

  constructor(engine: Engine, data: DataHandle, shape: EpochShape, clock: YieldClock, stopped: () => boolean) {
    this.#engine = engine;
    this.#data = data;
    this.#shape = shape;
    this.#clock = clock;
    this.#stopped = stopped;
    this.#seeds = shape.noise ? new Uint32Array(FIRST_RUN) : null;
  }

  /** True while steps beyond the recorded epochs have been taken (fit must not yield then). */
  get ahead(): boolean {
    return this.#used < this.#ran;
  }

  /**
   * Trains batches [first, batches) of epoch `epoch`, adding each batch's loss to `total` as
   * the per-step loop does. Returns the position reached — `next` the next batch (batches when
   * the epoch is done; less when `stopped()` was true between runs), `total` the new sum — as
   * an object this runner reuses, or a promise of it when the run had to yield to the event
   * loop (so fit awaits only then: an await per epoch would cost a tiny network more than its
   * step). Throws NonFiniteError naming the first failed step, the weights being those from
   * before it.
   */
  epoch(epoch: number, first: number, total: number): EpochPosition | Promise<EpochPosition> {
    const at = this.#advance(epoch, first, total);
    return at.yieldDue ? this.#resume(epoch) : at;
  }

  /** Yields, then goes on with the epoch until it is done or stopped. */
  async #resume(epoch: number): Promise<EpochPosition> {
    const at = this.#position;
    while (at.yieldDue) {
      await nextTick();
      this.#clock.yielded();
      at.yieldDue = false;
      if (this.#stopped()) break;
      this.#advance(epoch, at.next, at.total);
    }
    return at;
  }

  /** Trains from batch `b` until the epoch is done, a stop is seen, or a yield is due at the end of a run (position.yieldDue). */
  #advance(epoch: number, b: number, total: number): EpochPosition {
    const { rows, batch, batches, sumsLoss } = this.#shape;
    const at = this.#position;
    at.yieldDue = false;
    while (b < batches) {
      if (this.#used === this.#ran) {
        // A stop that came while fit yielded between epochs is seen before the next run.
        if (this.#stopped()) break;
        this.#step(epoch, b);
      }
      const loss = this.#losses[this.#used++];
      total += sumsLoss ? loss : loss * Math.min(batch, rows - b * batch);
      b++;
      if (this.#used < this.#ran) continue;
      if (this.#stopped()) break;
      if (this.#clock.sinceYield() > 50) {
        at.yieldDue = b < batches;
        break;
      }
    }
    at.next = b;
    at.total = total;
    return at;
  }

  /** Takes the next run of steps from batch b of epoch `epoch` into losses[0 ..). */
  #step(epoch: number, b: number): void {
    const { batches, epochs, noise } = this.#shape;
    const left = this.#shape.runAhead ? (epochs - epoch) * batches - b : batches - b;
    const steps = Math.min(this.#run, left);
    if (this.#losses.length < steps) {
      this.#losses = new Float64Array(steps);
      if (this.#seeds) this.#seeds = new Uint32Array(steps);
    }
    const before = noise?.getState();
    if (noise) for (let i = 0; i < steps; i++) this.#seeds![i] = noise.nextUint32();
    const t = performance.now();
    const done = this.#engine.trainSteps(this.#data, { batchSize: this.#shape.batch, first: b, steps, seeds: this.#seeds }, this.#losses);
    const ms = performance.now() - t;
    if (done < steps) {
      // The per-step loop would have drawn the seeds up to the failed step's only.
      if (noise && before) {
        noise.setState(before);
        for (let i = 0; i <= done; i++) noise.nextUint32();
      }
      const at = b + done;
      throw stepError(this.#engine.lastStatus, epoch + Math.floor(at / batches), at % batches, this.#losses[done]);
    }
    this.#used = 0;
    this.#ran = steps;
    if (ms < RUN_MS && steps === this.#run) this.#run = Math.min(this.#run * 2, MAX_RUN);
    else if (ms > 4 * RUN_MS) this.#run = Math.max(1, this.#run >> 1);
  }
}
