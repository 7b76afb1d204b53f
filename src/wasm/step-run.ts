/**
 * The arena block a WasmEngine's trainSteps hands the core (assembly/steps.ts): room for a
 * run's f64 losses, then its u32 noise seeds. Kept between runs and grown when a longer one
 * comes, so a fit allocates it once.
 */
import type { StepRun } from '../engine.js';
import type { Core } from './core.js';
import type { WasmData } from './data.js';
import { allocOrThrow } from './memory.js';

/** One engine's trainSteps block; lives in one core (free it before the network moves). */
export class StepRunBlock {
  #ptr = 0;
  #room = 0;

  /**
   * Runs the first `n` steps of `run` (n >= 1, checked by the caller) of network `net` on data
   * `d` in core c, `available` rows in its order; copies their losses into `losses` (the failed
   * step's too) and returns the steps that passed. Grows the block first when needed
   * (OutOfMemoryError, nothing run, when it cannot).
   */
  run(c: Core, net: number, d: WasmData, available: number, run: StepRun, n: number, losses: Float64Array): number {
    const e = c.exports;
    if (n > this.#room) {
      const block = allocOrThrow(c, n * 12, `the losses and noise seeds of ${n} steps`);
      e.free(this.#ptr);
      this.#ptr = block;
      this.#room = n;
    }
    const seedsAt = run.seeds ? this.#ptr + this.#room * 8 : 0;
    if (run.seeds) c.i32().set(run.seeds.subarray(0, n), seedsAt >>> 2);
    const done = e.netTrainSteps(net, d.x, d.y, d.order, available, run.batchSize, run.first, n, seedsAt, this.#ptr);
    losses.set(new Float64Array(e.memory.buffer, this.#ptr, Math.min(done + 1, n)));
    return done;
  }

  /** Frees the block in core c (the engine's dispose, or before its network moves to another core). Idempotent. */
  free(c: Core): void {
    c.exports.free(this.#ptr);
    this.#ptr = this.#room = 0;
  }
}
