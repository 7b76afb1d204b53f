/**
 * The thread team of one WasmEngine (engine.ts): loaded, with the rest of the threads code, the
 * first time `prepare({ threads })` asks for more than one thread where threads can run
 * (threads-gate.ts checks that first), so a model that trains on one thread never loads it. It
 * loads the threads build of the core (threads-core.ts), moves the network there (move-net.ts)
 * and starts a pool of workers (pool.ts); then each step picks its thread count
 * (thread-count.ts; for 'auto' training steps, by timing both: auto-threads.ts) and runs as one
 * team. Results are bit for bit those of one thread, so none of this changes anything but speed.
 */
import type { Engine, StepRun } from '../../engine.js';
import { trainStepsOneByOne } from '../../steps-one-by-one.js';
import type { ThreadsOption } from '../../engine-options.js';
import { ThreadError } from '../../errors.js';
import type { Core } from '../core.js';
import type { WasmData } from '../data.js';
import { AutoThreads } from './auto-threads.js';
import { moveNet, type MoveNet } from './move-net.js';
import type { ThreadPool } from './pool.js';
import { AUTO_MIN_FLOPS, forwardFlops, threadsFor, trainFlops } from './thread-count.js';

/** What a team needs of its engine (WasmEngine is one). */
export interface TeamEngine extends Engine {
  /** The core whose memory holds the engine's network and data. */
  readonly memoryCore: Core;
  /** True until the engine's dispose(). */
  readonly isLive: boolean;
  /** Whether a data handle lives in that core (the network then stays with it). */
  readonly holdsData: boolean;
  /** Rebuilds the network in core `to` by `move` and makes `to` the engine's core. */
  moveTo(to: Core, move: MoveNet): void;
}

/**
 * The multi-threaded side of one engine: the threads option its steps follow, the pool, the
 * machine's cores and 'auto''s timing. Its step methods run on the engine's network `net` in the
 * engine's core, as one team when the pool and the step's size say so, else on one thread.
 */
export class Team {
  /** The `threads` of the last prepare: each step's thread count follows it. */
  option: ThreadsOption = 1;
  /** The workers (null until started, and after a team step failed). */
  pool: ThreadPool | null = null;
  private cores = 1;
  /** 'auto' training steps: team or one thread, by timing both. */
  private auto: AutoThreads | null = null;

  /** A team with no pool yet; prepare starts one. */
  constructor(private readonly engine: TeamEngine) {}

  /** Threads of the pool (1 without one). */
  get threads(): number {
    return this.pool?.size ?? 1;
  }

  /**
   * Gets ready for training steps of `flops` work with `option`: loads the threads build (once
   * per process), moves the engine's network there unless a data handle holds it where it is, and
   * starts a pool of the threads a step of that work gets (a larger one replaces a smaller).
   * Rejects when the build fails, when the move does (OutOfMemoryError: the network stays where
   * it was) or the pool (then there is none). Mutates the engine (its core and network) and this team.
   */
  async prepare(option: ThreadsOption, flops: number): Promise<void> {
    this.option = option;
    const tc = await (await import('./threads-core.js')).threadsCore(); // the threads build: own chunks in a bundle
    if (option === 'auto') this.auto ??= new AutoThreads();
    this.cores = tc.cores;
    const n = threadsFor(option, flops, tc.cores);
    const engine = this.engine;
    if (n <= 1 || !engine.isLive) return;
    if (engine.memoryCore !== tc) {
      if (engine.holdsData) return; // data lives in this core's memory: stay
      engine.moveTo(tc, moveNet);
    }
    if (this.pool && this.pool.size >= n) return;
    this.dispose();
    const pool = await (await import('./pool.js')).ThreadPool.start(tc, n);
    if (engine.isLive) this.pool = pool;
    else pool.dispose();
  }

  /** One training step on rows [start, start+count) of `d` (see Engine.trainStep); returns the loss. Mutates the network. */
  trainStep(net: number, d: WasmData, start: number, count: number): number {
    const e = this.engine.memoryCore.exports;
    const size = this.stepThreads(trainFlops(this.engine.plan, count));
    const n = this.auto ? this.auto.pick(this.option, size) : size;
    const loss =
      n > 1 ? this.run((ctl) => e.teamTrainStep(ctl, n, net, d.x, d.y, d.order, start, count, 1)) : e.netTrainStep(net, d.x, d.y, d.order, start, count);
    this.auto?.done();
    return loss;
  }

  /** Forward, loss and backward on rows [start, start+count) of `d` without an update; writes only the gradients. Returns the loss. */
  computeGradients(net: number, d: WasmData, start: number, count: number): number {
    const e = this.engine.memoryCore.exports;
    const n = this.stepThreads(trainFlops(this.engine.plan, count));
    return n > 1
      ? this.run((ctl) => e.teamTrainStep(ctl, n, net, d.x, d.y, d.order, start, count, 0))
      : e.netComputeGradients(net, d.x, d.y, d.order, start, count);
  }

  /** A forward pass on the `rows` rows at byte offset `at` of the core's memory; writes the network's output buffer. */
  forward(net: number, at: number, rows: number): void {
    const e = this.engine.memoryCore.exports;
    // A forward pass is a third of a step: worth a team only with the work 'auto' asks of a step.
    const flops = forwardFlops(this.engine.plan, rows);
    const t = flops >= AUTO_MIN_FLOPS ? this.stepThreads(flops) : 1;
    if (t > 1) this.run((ctl) => e.teamForward(ctl, t, net, at, rows));
    else e.netForward(net, at, rows);
  }

  /** Engine.trainSteps on a pool: one trainStep after another (its steps are large, and each picks its team's size). */
  trainSteps(d: WasmData, available: number, run: StepRun, losses: Float64Array): number {
    return trainStepsOneByOne(this.engine, d, available, run, losses);
  }

  /** Stops the pool's workers (the engine's dispose, or before a larger pool). Idempotent. */
  dispose(): void {
    this.pool?.dispose();
    this.pool = null;
  }

  /** Threads for a step of `flops` work (1 without a pool). */
  private stepThreads(flops: number): number {
    if (!this.pool) return 1;
    return Math.min(this.pool.size, threadsFor(this.option, flops, this.cores));
  }

  /** Runs a team job; a failed worker makes the pool unusable, so it is dropped (back to one thread). */
  private run<T>(job: (ctl: number) => T): T {
    const pool = this.pool!;
    try {
      return job(pool.ctl);
    } catch (err) {
      pool.dispose();
      this.pool = null;
      throw new ThreadError(`the thread team failed, so this step was abandoned; the model continues on one thread: ${(err as Error).message}`);
    }
  }
}
