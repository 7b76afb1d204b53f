/**
 * compile's change of engine: a new plan (loss, optimiser) needs a new engine holding the same
 * weights. Building it before releasing the old one needs memory for both; when that does not
 * fit, the old engine is released first and, if the new one still cannot be built, rebuilt
 * from a copy of its numbers, so a compile that cannot fit leaves the model as it was.
 */
import { createEngine } from '../backends.js';
import type { BackendName } from '../engine-options.js';
import type { Engine } from '../engine.js';
import { OutOfMemoryError } from '../errors.js';
import type { Plan } from '../plan.js';

/** What swapEngine gives: the engine the model must hold now, and the error to throw when the swap failed. */
export interface Swap {
  engine: Engine;
  /** Non-null when the new engine could not be built: `engine` is then the old one, rebuilt. */
  error: OutOfMemoryError | null;
}

/**
 * Builds an engine for `plan` holding `old`'s parameters and disposes `old`. Any error before
 * `old` was released is thrown with `old` untouched. After an OutOfMemoryError on the second
 * try, `old` has been disposed and swap.engine is its rebuild (same plan, parameters and
 * optimiser state), with swap.error set: the caller installs it, then throws the error.
 */
export function swapEngine(old: Engine, plan: Plan, backend: BackendName): Swap {
  const params = old.getParameters();
  let next: Engine;
  try {
    next = createEngine(plan, backend);
  } catch (err) {
    if (!(err instanceof OutOfMemoryError)) throw err;
    return releaseThenBuild(old, params, plan, backend);
  }
  try {
    next.setParameters(params);
  } catch (err) {
    next.dispose();
    throw err;
  }
  old.dispose();
  return { engine: next, error: null };
}

/** swapEngine's second try: frees `old` first, and rebuilds it when the new engine still does not fit. */
function releaseThenBuild(old: Engine, params: Float64Array[], plan: Plan, backend: BackendName): Swap {
  const state = old.getOptimizerState();
  const oldPlan = old.plan;
  old.dispose();
  let error: OutOfMemoryError;
  try {
    const next = createEngine(plan, backend);
    next.setParameters(params);
    return { engine: next, error: null };
  } catch (err) {
    if (!(err instanceof OutOfMemoryError)) throw err;
    error = err;
  }
  // The old engine's blocks were just freed and merged back, so the same sizes fit again.
  const restored = createEngine(oldPlan, backend);
  restored.setParameters(params);
  restored.setOptimizerState(state);
  return { engine: restored, error };
}
