// The types of train-one.mjs (plain JavaScript so that the worker threads can import it unbuilt).
import type * as wasmlp from '../../src/index.js';

/** Trains the soak's model for `seed` with `lib`'s API (see train-one.mjs); disposes it and resolves with its weights and losses. */
export function trainOne(
  lib: typeof wasmlp,
  seed: number,
  options?: { yieldEachEpoch?: boolean },
): Promise<{ seed: number; weights: wasmlp.Weights; loss: number[] }>;
