/**
 * Runs one workload with wasmlp (either backend, optionally several threads) and returns its
 * BenchRecord: a warm-up fit of the same loop on a separate model (which also measures the
 * arena at every step), then the timed fit on a fresh model with the shared initial weights,
 * then loss and accuracy of the result. Used by `wasmlp bench` and by bench/run.js.
 */
import type { BackendName, ThreadsOption } from '../engine-options.js';
import { activationLayer, Dense, type Layer } from '../model/layers.js';
import { Sequential, type SequentialOptions } from '../model/sequential.js';
import { SGD } from '../model/optimizers.js';
import type { Plan } from '../plan.js';
import { arenaBytesInUse, ready, wasmMemoryBytes } from '../wasm/core.js';
import { expectedArenaBytes } from './memory.js';
import { streamsBySize } from '../model/data-source.js';
import { processMemory, type BenchRecord } from './record.js';
import {
  baseSchedule,
  capSchedule,
  describeSchedule,
  longerWarmup,
  timedRuns,
  warmInference,
  warmupSchedule,
  warmupSeconds,
  type Schedule,
} from './schedule.js';
import { scoreOutputs } from './score.js';
import { threadsSupport } from './threads.js';
import { batchRows, forwardFlops, loadWorkloadData, stepFlops, WORKLOADS, type Split, type Workload, type WorkloadData } from './workloads.js';

/** Options of runWasmlp. */
export interface WasmlpRunOptions {
  backend?: BackendName;
  /** Threads to train on (default 1), or 'auto' (the engine picks per step); other than 1 needs a build with the `threads` option. */
  threads?: ThreadsOption;
  /** The short schedule of `--quick`. */
  quick?: boolean;
  /** Cut the schedule to about this many seconds (slow backends); 0 or absent: no cut. */
  maxSeconds?: number;
}

/** The layers of a workload's network as wasmlp layers. */
export function wasmlpLayers(w: Workload): Layer[] {
  const layers: Layer[] = [];
  let width = w.inputs;
  for (const l of w.layers) {
    layers.push(new Dense(width, l.units, { init: l.init, biasInit: l.biasInit }));
    if (l.activation !== 'identity') layers.push(activationLayer(l.activation));
    width = l.units;
  }
  return layers;
}

/** A compiled model of the workload, threads given where this build takes them. */
async function makeModel(w: Workload, backend: BackendName, threads: ThreadsOption): Promise<{ model: Sequential; fitExtra: object }> {
  const support = threads !== 1 ? await threadsSupport() : null;
  if (threads !== 1 && support === null) throw new Error(`this build of wasmlp has no 'threads' option: cannot train on ${threads} threads`);
  const options: SequentialOptions = { seed: w.weightSeed, backend };
  if (support === 'model') (options as Record<string, unknown>).threads = threads;
  const model = new Sequential(wasmlpLayers(w), options);
  model.compile({ loss: w.loss, optimizer: new SGD({ lr: w.lr }) });
  return { model, fitExtra: support === 'fit' ? { threads } : {} };
}

/** The record's threads: the count asked for, or for 'auto' the pool the engine picked (and threads_option 'auto'). */
function threadsUsed(model: Sequential, threads: ThreadsOption): { threads: number; threads_option?: 'auto' } {
  if (threads !== 'auto') return { threads };
  return { threads: (model.liveEngine as unknown as { threads?: number }).threads ?? 1, threads_option: 'auto' };
}

/** The first `rows` rows of a split as wasmlp's { data, shape } inputs and targets. */
function prefix(split: Split, inputs: number, rows: number) {
  return {
    x: { data: split.x.subarray(0, rows * inputs), shape: [rows, inputs] },
    y: { data: split.targets.subarray(0, rows * split.targetCols), shape: [rows, split.targetCols] },
  };
}

/** Trains `model` on a schedule; returns seconds, and the arena bytes per step when `watchArena`. */
async function train(model: Sequential, w: Workload, data: WorkloadData, s: Schedule, fitExtra: object, watchArena: boolean) {
  const { x, y } = prefix(data.train, w.inputs, s.rows);
  const arena: number[] = [];
  // Minibatch runs note when training began (onTrainBegin: after fit's input checks and the
  // copy into the arena), so the steps alone can be timed too. A callback without batch hooks
  // keeps fit on its multi-step path (src/model/fit-epoch.ts); the arena watch needs one per batch.
  let stepsBegin = 0;
  const onBatchEnd = watchArena
    ? () => {
        arena.push(arenaBytesInUse());
      }
    : undefined;
  const callbacks =
    !watchArena && w.batch > 0
      ? [
          {
            onTrainBegin: () => {
              stepsBegin = performance.now();
            },
          },
        ]
      : [];
  const started = performance.now();
  await model.fit(x, y, { epochs: s.epochs, batchSize: batchRows(w, s.rows), shuffle: false, onBatchEnd, callbacks, ...fitExtra });
  const ended = performance.now();
  return {
    seconds: (ended - started) / 1000,
    arena,
    stepsSeconds: stepsBegin ? (ended - stepsBegin) / 1000 : 0,
    setupSeconds: stepsBegin ? (stepsBegin - started) / 1000 : 0,
  };
}

/**
 * The core's own rate: the same steps driven straight through the engine (data loaded once, no
 * fit loop around them), on a fresh model. Shows what fit's JavaScript costs per epoch.
 */
async function coreRate(w: Workload, data: WorkloadData, s: Schedule, backend: BackendName, threads: ThreadsOption, quick: boolean): Promise<number> {
  const { model } = await makeModel(w, backend, threads);
  const engine = model.liveEngine;
  const { x, y } = prefix(data.train, w.inputs, s.rows);
  const handle = engine.loadData(x.data, y.data, s.rows);
  const b = batchRows(w, s.rows);
  const run = (epochs: number) => {
    for (let e = 0; e < epochs; e++) for (let r = 0; r + b <= s.rows; r += b) engine.trainStep(handle, r, b);
  };
  // Warmed as long as fit is (runWasmlp), so both rates are of optimised code.
  for (let spent = 0, t = performance.now(); spent < warmupSeconds(quick); spent = (performance.now() - t) / 1000) run(s.epochs);
  const { seconds } = await timedRuns(async () => {
    const started = performance.now();
    run(s.epochs);
    return { seconds: (performance.now() - started) / 1000 };
  });
  handle.dispose();
  model.dispose();
  return (s.epochs * Math.floor(s.rows / b) * b) / seconds;
}

const trainedCache = new Map<string, Promise<Float64Array[]>>();

/**
 * The weights the inference workloads run: the matching training workload (mnist-mlp for
 * infer-b1, mnist-wide for infer-b1024) trained by wasmlp on its (quick) schedule. Cached.
 */
export function inferenceWeights(w: Workload, quick = false): Promise<Float64Array[]> {
  const source = w.id === 'infer-b1' ? WORKLOADS['mnist-mlp'] : WORKLOADS['mnist-wide'];
  const key = `${source.id}:${quick}`;
  if (!trainedCache.has(key)) {
    trainedCache.set(
      key,
      (async () => {
        await ready();
        const data = await loadWorkloadData(source);
        const { model, fitExtra } = await makeModel(source, 'wasm', 1);
        await train(model, source, data, baseSchedule(source, data, quick), fitExtra, false);
        const weights = model.getWeights().map((t) => Float64Array.from((t as number[][] | number[]).flat()));
        model.dispose();
        return weights;
      })(),
    );
  }
  return trainedCache.get(key)!;
}

/** Runs an inference workload: forward passes over the test images in batches of w.inferBatch. */
async function runInference(w: Workload, data: WorkloadData, backend: BackendName, quick: boolean, threads: ThreadsOption): Promise<BenchRecord> {
  const test = data.test!;
  const weights = await inferenceWeights(w, quick);
  const model = new Sequential(wasmlpLayers(w), { seed: w.weightSeed, backend, threads });
  model.setWeights(weights);
  const b = w.inferBatch ?? 1;
  if (threads !== 1) await model.startThreads({ batchSize: b });
  const out = new Float64Array(test.rows * test.targetCols);
  const pass = (rows: number) => {
    for (let r = 0; r < rows; r += b) {
      const n = Math.min(b, rows - r);
      const y = model.predict({ data: test.x.subarray(r * w.inputs, (r + n) * w.inputs), shape: [n, w.inputs] });
      out.set(y.data, r * test.targetCols);
    }
  };
  warmInference(pass, test.rows, b, quick); // the same loop
  const started = performance.now();
  pass(test.rows);
  const seconds = (performance.now() - started) / 1000;
  const score = scoreOutputs(w, out, test);
  const record: BenchRecord = {
    system: `wasmlp ${backend}`,
    workload: w.id,
    ...threadsUsed(model, threads),
    seconds,
    samples_per_s: test.rows / seconds,
    final_loss: score.loss,
    accuracy: score.accuracy,
    notes: `model.predict per ${b === 1 ? 'sample' : `batch of ${b}`}; weights trained by wasmlp on ${w.id === 'infer-b1' ? 'mnist-mlp' : 'mnist-wide'}; test loss and accuracy; ${data.source}`,
    samples: test.rows,
    gflops: forwardFlops(w, test.rows) / seconds / 1e9,
    ...processMemory(),
  };
  if (backend === 'wasm') record.wasm_memory_bytes = wasmMemoryBytes();
  model.dispose();
  return record;
}

/** Runs one workload with wasmlp and returns its record (see the module comment). */
export async function runWasmlp(w: Workload, options: WasmlpRunOptions = {}): Promise<BenchRecord> {
  const backend = options.backend ?? 'wasm';
  const threads = options.threads === 'auto' ? 'auto' : Math.max(1, Math.floor(options.threads ?? 1));
  const quick = options.quick ?? false;
  await ready();
  const data = await loadWorkloadData(w);
  if (w.kind === 'infer') return runInference(w, data, backend, quick, threads);

  let schedule = baseSchedule(w, data, quick);
  const first = warmupSchedule(w, schedule);
  const arenaBefore = backend === 'wasm' ? arenaBytesInUse() : 0;
  // The arena is watched in a fit of its own: its per-batch callback puts fit on the per-step
  // loop, so a warm-up that watched it would leave the multi-step path (the timed one) cold.
  const watched = await makeModel(w, backend, threads);
  const arenaRun = await train(watched.model, w, data, first, watched.fitExtra, backend === 'wasm');
  const capacity = backend === 'wasm' ? (watched.model.liveEngine as unknown as { capacity: number }).capacity : 0;
  const plan: Plan = watched.model.plan;
  watched.model.dispose();
  let warm = first;
  let warmup: Awaited<ReturnType<typeof train>>;
  for (let spent = 0; ; warm = longerWarmup(w, schedule, warm)) {
    const warmRun = await makeModel(w, backend, threads);
    warmup = await train(warmRun.model, w, data, warm, warmRun.fitExtra, false);
    warmRun.model.dispose();
    spent += warmup.seconds;
    if (spent >= warmupSeconds(quick)) break;
  }
  if (options.maxSeconds) schedule = capSchedule(w, schedule, (warm.epochs * warm.rows) / warmup.seconds, options.maxSeconds);

  const timed = await timedRuns(
    async () => {
      const { model, fitExtra } = await makeModel(w, backend, threads);
      return { model, ...(await train(model, w, data, schedule, fitExtra, false)) };
    },
    (r) => r.model.dispose(),
  );
  const model = timed.model;
  const memory = processMemory();
  const split = data.test ?? data.train;
  const score = scoreOutputs(w, model.predict({ data: split.x, shape: [split.rows, w.inputs] }).data, split);
  const samples = schedule.epochs * schedule.rows;
  const steps = schedule.epochs * Math.ceil(schedule.rows / batchRows(w, schedule.rows));
  const flops =
    schedule.epochs * Math.floor(schedule.rows / batchRows(w, schedule.rows)) * stepFlops(w, batchRows(w, schedule.rows)) +
    (schedule.rows % batchRows(w, schedule.rows) ? schedule.epochs * stepFlops(w, schedule.rows % batchRows(w, schedule.rows)) : 0);
  const notes = [
    `model.fit, ${steps} steps${timed.repeats > 1 ? ` (median of ${timed.repeats} timed fits)` : ''}`,
    describeSchedule(w, schedule, data.train.rows),
    data.test ? 'test loss and accuracy' : 'training-set loss and accuracy',
    data.source,
  ].filter(Boolean);
  const record: BenchRecord = {
    system: `wasmlp ${backend}`,
    workload: w.id,
    ...threadsUsed(model, threads),
    seconds: timed.seconds,
    samples_per_s: samples / timed.seconds,
    final_loss: score.loss,
    accuracy: score.accuracy,
    notes: notes.join('; '),
    samples,
    gflops: flops / timed.seconds / 1e9,
    ...memory,
  };
  if (timed.stepsSeconds > 0) {
    // Every step, timed from the start of training (fit's checks and the copy into the arena before it).
    record.setup_seconds = timed.setupSeconds;
    record.step_samples_per_s = samples / timed.stepsSeconds;
    record.step_gflops = flops / timed.stepsSeconds / 1e9;
  } else if (backend === 'wasm') {
    record.core_samples_per_s = await coreRate(w, data, schedule, backend, threads, quick);
  }
  if (backend === 'wasm') {
    const arena = arenaRun.arena.map((v) => v - arenaBefore);
    record.wasm_memory_bytes = wasmMemoryBytes();
    record.arena_bytes = arena[arena.length - 1];
    record.arena_constant = arena.every((v) => v === arena[0]);
    // Data past STREAM_MIN_BYTES is streamed by fit: one staging batch instead of the rows.
    const streamed = streamsBySize(first.rows * (w.inputs + data.train.targetCols), 4) ? { batch: batchRows(w, first.rows) } : undefined;
    record.expected_arena_bytes = expectedArenaBytes(plan, capacity, first.rows, false, streamed).total;
  }
  model.dispose();
  return record;
}
