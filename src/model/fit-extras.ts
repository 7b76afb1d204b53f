/**
 * The parts of fit that a fit without them never runs, in one module that fit.ts loads with a
 * dynamic import only when a fit needs one (a separate chunk for bundlers; Node loads it on the
 * first such fit): callbacks and their training context, the per-step loop (batch callbacks,
 * onBatchEnd, a per-batch schedule, streamed batches), the quiet multi-epoch run (fit-quiet.ts)
 * and the learning-rate schedules' rates.
 * Nothing else imports it, so a page whose fits use none of these (the moons page) does not
 * download them.
 */
export { checkCallbacks, hasHook, runHook, trainingContext } from './callbacks/callback.js';
export { trainBatches } from './fit-batches.js';
export { fitQuietly } from './fit-quiet.js';
export { scheduleLr } from './schedule-lr.js';
