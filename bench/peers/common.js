/**
 * What the peer runners share: the wasmlp bench modules (from dist/, built by `npm run build:ts`),
 * a warm-up-then-time helper that also cuts slow schedules to a time budget, and the record shape.
 */
export { WORKLOADS, WORKLOAD_IDS, loadWorkloadData, batchRows, stepFlops, forwardFlops, outputsOf } from '../../dist/bench/workloads.js';
export {
  baseSchedule,
  capSchedule,
  warmupSchedule,
  longerWarmup,
  describeSchedule,
  initialWeights,
  warmInference,
  WARMUP_SECONDS,
} from '../../dist/bench/schedule.js';
export { scoreOutputs } from '../../dist/bench/score.js';
export { processMemory, toJSONLine } from '../../dist/bench/record.js';
export { runWasmlp, inferenceWeights } from '../../dist/bench/run-wasmlp.js';
import '../../dist/index.js'; // loads the WebAssembly core
import { baseSchedule, capSchedule, warmupSchedule, longerWarmup, describeSchedule, timedRuns, warmupSeconds } from '../../dist/bench/schedule.js';

/**
 * Runs `train(schedule)` on warm-up schedules (the same loop, a fresh model) for WARMUP_SECONDS, then on
 * the full (or quick) schedule cut to `maxSeconds` at the warm-up's rate. `train` resolves with
 * { seconds, ...anything }. Returns the timed result, its schedule and a note on the cut.
 */
export async function warmThenTime(w, data, { quick, maxSeconds }, train) {
  const full = baseSchedule(w, data, quick);
  // Warm-ups of doubling length until WARMUP_SECONDS have passed: the same time for every system.
  let warm = warmupSchedule(w, full);
  let warmResult;
  for (let spent = 0; ; warm = longerWarmup(w, full, warm)) {
    warmResult = await train(warm);
    spent += warmResult.seconds;
    if (spent >= warmupSeconds(quick)) break;
  }
  const schedule = capSchedule(w, full, (warm.epochs * warm.rows) / warmResult.seconds, maxSeconds);
  // A short run is repeated (the median taken), as wasmlp's is (src/bench/schedule.ts timedRuns).
  const result = await timedRuns(() => train(schedule));
  return { result, schedule, cut: describeSchedule(w, schedule, data.train.rows) };
}

/** Steps of a schedule. */
export function stepsOf(_w, s, batch) {
  return s.epochs * Math.ceil(s.rows / batch);
}
