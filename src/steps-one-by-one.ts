/**
 * Engine.trainSteps for engines that run a run of steps as single steps (src/engine.ts's
 * contract): a module of its own so that only they load it (the reference engine and the wasm
 * engine's thread team, both loaded when used), not every page that trains.
 */
import { checkStepRun, StepStatus, type DataHandle, type Engine, type StepRun } from './engine.js';

/**
 * Engine.trainSteps as a plain loop over the engine's own setNoiseSeed and trainStep (the
 * reference engine, and the wasm engine on a thread team): checks the run against `available`
 * rows (checkStepRun), then steps until one fails. Mutates what those steps mutate and losses.
 */
export function trainStepsOneByOne(engine: Engine, data: DataHandle, available: number, run: StepRun, losses: Float64Array): number {
  checkStepRun(run, available, losses);
  const batches = Math.ceil(available / run.batchSize);
  let b = run.first;
  for (let i = 0; i < run.steps; i++) {
    const start = b * run.batchSize;
    if (run.seeds !== null) engine.setNoiseSeed(run.seeds[i]);
    losses[i] = engine.trainStep(data, start, Math.min(run.batchSize, available - start));
    if (engine.lastStatus !== StepStatus.Ok) return i;
    if (++b === batches) b = 0;
  }
  return run.steps;
}
