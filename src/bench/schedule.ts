/**
 * Schedules: how much of a workload a run does. The full schedule is WORKLOADS.md's; `--quick`
 * shortens it; slow systems get it cut further to a time budget (fewer epochs, or a prefix of the
 * MNIST rows), which keeps samples/s comparable while the final loss then reflects less training
 * (the runner says so in the row's notes). Also the shared initial weights.
 */
import { initialize } from '../initializers.js';
import { Random } from '../random.js';
import { batchRows, type Workload, type WorkloadData } from './workloads.js';
import { ownEntry } from '../own.js';

/** A run's extent: passes over the first `rows` training rows. */
export interface Schedule {
  epochs: number;
  rows: number;
}

/** Epochs of the quick schedule for the full-batch toy workloads. */
const QUICK_EPOCHS: Record<string, number> = { xor: 1000, 'moons-small': 400, 'moons-deep': 300, flower: 2000 };
/** Training rows of the quick MNIST schedule (one epoch over this prefix). */
const QUICK_MNIST_ROWS = 12800;

/** The schedule of a workload: WORKLOADS.md's, or the quick one. */
export function baseSchedule(w: Workload, data: WorkloadData, quick: boolean): Schedule {
  const rows = data.train.rows;
  if (!quick) return { epochs: w.epochs, rows };
  if (w.batch === 0) return { epochs: ownEntry(QUICK_EPOCHS, w.id) ?? Math.max(1, Math.round(w.epochs / 10)), rows };
  return { epochs: w.epochs, rows: Math.min(rows, QUICK_MNIST_ROWS) };
}

/**
 * Cuts a schedule to about `maxSeconds` at `samplesPerSecond` (measured in the warm-up): fewer
 * epochs for full-batch workloads, fewer whole batches of rows otherwise; never below one step.
 */
export function capSchedule(w: Workload, s: Schedule, samplesPerSecond: number, maxSeconds: number): Schedule {
  if (!(maxSeconds > 0) || !(samplesPerSecond > 0)) return s;
  const budget = samplesPerSecond * maxSeconds;
  if (s.epochs * s.rows <= budget) return s;
  if (w.batch === 0 || s.epochs > 1) return { epochs: Math.max(1, Math.floor(budget / s.rows)), rows: s.rows };
  const b = batchRows(w, s.rows);
  return { epochs: 1, rows: Math.max(b, Math.floor(budget / b) * b) };
}

/** The warm-up schedule: a few steps of the same loop (V8 tiers code up after its first calls). */
export function warmupSchedule(w: Workload, s: Schedule): Schedule {
  if (w.batch === 0) return { epochs: Math.min(s.epochs, 50), rows: s.rows };
  return { epochs: 1, rows: Math.min(s.rows, 20 * batchRows(w, s.rows)) };
}

/** Seconds of warm-up every system gets before it is timed (less with --quick). */
export const WARMUP_SECONDS = 0.5;

/** The warm-up seconds of a run: WARMUP_SECONDS, a fifth of it with --quick. */
export function warmupSeconds(quick: boolean): number {
  return quick ? WARMUP_SECONDS / 5 : WARMUP_SECONDS;
}

/**
 * A timed run shorter than this (seconds) is repeated until the runs add up to it: a 4 ms fit
 * (XOR's 5,000 full-batch epochs) is at the mercy of one time slice on a shared machine.
 */
export const MIN_TIMED_SECONDS = 0.25;

/**
 * Runs `run` (a fresh model each time, the same schedule) once, and again until the runs add up
 * to MIN_TIMED_SECONDS; resolves with the run of median seconds and how many ran. `drop`
 * releases a run not chosen (a model to dispose).
 */
export async function timedRuns<T extends { seconds: number }>(run: () => Promise<T>, drop: (r: T) => void = () => {}): Promise<T & { repeats: number }> {
  const runs: T[] = [];
  for (let spent = 0; runs.length === 0 || spent < MIN_TIMED_SECONDS; ) {
    const r = await run();
    runs.push(r);
    spent += r.seconds;
  }
  runs.sort((a, b) => a.seconds - b.seconds);
  const chosen = runs[(runs.length - 1) >> 1];
  for (const r of runs) if (r !== chosen) drop(r);
  return { ...chosen, repeats: runs.length };
}

/**
 * Warms an inference loop: `pass(rows)` over the first rows (20 batches, then twice as many
 * each time, at most `total`) until warmupSeconds(quick) have passed, as training warm-ups do:
 * 20 single-sample predicts leave a wasm kernel on its baseline code. Runs pass only.
 */
export function warmInference(pass: (rows: number) => void, total: number, batch: number, quick: boolean): void {
  const t = performance.now();
  for (let rows = Math.min(total, 20 * batch); ; rows = Math.min(total, rows * 2)) {
    pass(rows);
    if ((performance.now() - t) / 1000 >= warmupSeconds(quick)) return;
  }
}

/**
 * The next, twice as long warm-up (capped at the full schedule): warm-ups repeat until
 * WARMUP_SECONDS have passed, because V8 moves wasm functions and hot JS loops to optimised code
 * only after enough executions — a few thousand tiny full-batch steps — and without on-stack
 * replacement for wasm. Every system gets the same time, whatever its speed.
 */
export function longerWarmup(w: Workload, s: Schedule, warm: Schedule): Schedule {
  if (w.batch === 0) return { epochs: Math.min(s.epochs, warm.epochs * 2), rows: s.rows };
  return { epochs: 1, rows: Math.min(s.rows, warm.rows * 2) };
}

/** Describes how a schedule differs from WORKLOADS.md's full one ('' when it is the full one). */
export function describeSchedule(w: Workload, s: Schedule, fullRows: number): string {
  if (s.epochs === w.epochs && s.rows === fullRows) return '';
  if (s.rows !== fullRows) return `ran ${s.rows} of ${fullRows} rows (${Math.ceil(s.rows / batchRows(w, s.rows))} steps) of the 1-epoch schedule`;
  return `ran ${s.epochs} of ${w.epochs} epochs`;
}

/**
 * The initial parameters every system starts from, in Keras order [W0, b0, W1, b1, ...] with W
 * as [in][out] row-major: drawn exactly as `new Sequential(layers, { seed: w.weightSeed })` draws them.
 */
export function initialWeights(w: Workload): Float64Array[] {
  const random = new Random(w.weightSeed);
  const out: Float64Array[] = [];
  let width = w.inputs;
  for (const l of w.layers) {
    out.push(initialize(l.init, [width, l.units], random));
    out.push(initialize(l.biasInit, [l.units], random));
    width = l.units;
  }
  return out;
}
