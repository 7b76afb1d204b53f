/**
 * The training loop: JavaScript walks epochs and batches, the engine runs each whole step
 * (forward, loss, backward, update) in one call. Between batches we only read the loss back;
 * every ~50 ms we yield to the event loop so abort signals, timers and UIs keep running.
 */
import { ShapeError, ValueError } from '../errors.js';
import type { Engine } from '../engine.js';
import { hasDropout } from '../plan.js';
import type { EpochLogs, History } from './logs.js';
import { isTensorLike, scanDeferred, throwNonFinite, toMatrix, type Input, type Matrix } from './input.js';
import { toTargets, type Labels } from './labels.js';
import { accuracy, lossOf } from './metrics.js';
import { checkMetricsFit } from './metrics/epoch.js';
import type { computeMetrics as ComputeMetrics } from './metrics/epoch-values.js';
import { loadPart } from './parts.js';
import type { Callback, CallbackModel, TrainingContext } from './callbacks/callback.js';
import { emptyHistory, logKeysOf, recordEpoch } from './history.js';
import { rowWeights } from './sample-weights.js';
import type { Random } from '../random.js';
import { nextTick, YieldClock } from './yield.js';
import { checkThreads, type ThreadsOption } from '../engine-options.js';
import type { ModelSchedule } from './schedule.js';
import { EpochRunner, type EpochShape } from './fit-epoch.js';
import type { BatchFit, FitRate } from './fit-batches.js';
import { isDataSource, isRowSource, shouldStream, type DataSource } from './data-source.js';
import type { BatchChecks, BatchFeed } from './batch-feed.js';
import type { SourceOf } from './stream-setup.js';
import { checkOptions, type FitOptions, type PendingEpoch } from './fit-options.js';

/** The input checks a streamed fit applies to a source's batches (handed to the lazily loaded feeds: batch-feed.ts). */
const CHECKS: BatchChecks = { toMatrix, toTargets, rowWeights };

/** fit's optional parts (fit-extras.ts), loaded on the first fit that needs one. */
type FitExtras = typeof import('./fit-extras.js');
let fitExtras: Promise<FitExtras> | null = null;
/** The loaded module, so later fits take it without an await (a tiny fit would pay for one). */
let fitExtrasLoaded: FitExtras | null = null;

/** Loads fit-extras.ts once (a failed load is tried again by the next fit). */
function loadFitExtras(): Promise<FitExtras> {
  fitExtras ??= import('./fit-extras.js').then(
    (m) => (fitExtrasLoaded = m),
    (err) => {
      fitExtras = null;
      throw err;
    },
  );
  return fitExtras;
}

/** A data source tagged with its kind for the lazily loaded streaming code (null stays null). */
function sourceOf(s: DataSource | null): SourceOf | null {
  return s === null ? null : isRowSource(s) ? { rows: s } : { iterable: s };
}

export type { BatchLogs, EpochLogs } from './logs.js';

export type { FitOptions, PendingEpoch } from './fit-options.js';
export type { History } from './logs.js';

/** `m` with data of its own: a copy when toMatrix / toTargets handed back `source`'s typed array (they use those in place). */
function owned(m: Matrix, source: unknown): Matrix {
  const shared = source === m.data || (isTensorLike(source) && source.data === m.data);
  return shared ? { ...m, data: m.data.slice() } : m;
}

function rowsOf(m: Matrix, start: number, end: number): Matrix {
  return { data: m.data.subarray(start * m.cols, end * m.cols), rows: end - start, cols: m.cols };
}

/**
 * The parts of a model the training loop reads and updates (a Sequential), named here so that
 * the loop does not depend on the model class.
 */
export interface FitTarget extends CallbackModel {
  readonly metrics: readonly string[];
  readonly threads: ThreadsOption;
  readonly shuffleRandom: Random;
  /** Read at the start, replaced when an epoch is left unfinished. */
  pendingEpoch: PendingEpoch | null;
  /** The compiled lr schedule; its step count advances as fit steps. */
  readonly schedule: ModelSchedule;
  forwardMatrix(m: Matrix): Matrix;
}

/**
 * fit's arguments: `(x, y, options?)` for in-memory data, `(source, options?)` for a data source
 * (a row source or an iterable of batches; see data-source.ts and the README's "Data larger than memory").
 */
export type FitArguments = [x: Input, y: Labels, options?: FitOptions] | [source: DataSource, options?: FitOptions];

/** Runs fit for `model` on its engine; the caller guards against concurrent calls. See Sequential.fit. */
export async function fit(model: FitTarget, engine: Engine, args: FitArguments): Promise<History> {
  const x = args[0];
  // [stream] fit(source, options); fit(source, y, ...) is refused below, with the source's checks.
  const targetsGiven = isDataSource(x) && (args.length > 2 || Array.isArray(args[1]) || ArrayBuffer.isView(args[1]));
  const [y, options = {}] = isDataSource(x) ? [undefined, targetsGiven ? {} : (args[1] as FitOptions | undefined)] : [args[1] as Labels, args[2]];
  const { epochs, batchSize, shuffle } = checkOptions(options);
  const plan = engine.plan;
  // [stream] A data source is read batch by batch (batch-feed.ts): no x, y matrices.
  const source = isDataSource(x) ? x : null;
  // A Float32Array x is scanned for NaN / ±Infinity after its copy into the engine (below), in
  // one pass at memory speed, unless validationSplit keeps some of its rows out of that copy.
  // fit owns copies of typed arrays from here on, taken before its first await, so a caller
  // writing to x, y or the validation data during fit cannot change the run. On one thread
  // the engine's copy (loadData, before the first await) is that copy, unless metrics,
  // validationSplit or streaming read x and y later: a second copy of 60,000 MNIST rows costs ~50 ms.
  const threads = checkThreads(options.threads ?? model.threads, 'fit');
  let xs = source ? null : toMatrix(x, plan.inputSize, 'x', !options.validationSplit);
  let ys = xs ? toTargets(y, plan.outputSize, xs.rows, plan.loss) : null;
  const mayStream = !xs || !ys || shouldStream(engine, xs, ys, options.stream);
  const keep = mayStream || threads !== 1 || model.metrics.length > 0 || !!options.validationSplit;
  if (keep && xs && ys) {
    xs = owned(xs, x);
    ys = owned(ys, y);
  }
  let weights = ys ? rowWeights(options.sampleWeight, options.classWeight, ys) : null;
  let validation: [Matrix, Matrix] | DataSource | null = null;
  if (options.validationData && isDataSource(options.validationData)) validation = options.validationData;
  else if (options.validationData) {
    const [vxIn, vyIn] = options.validationData;
    const vx = owned(toMatrix(vxIn, plan.inputSize, 'validationData x'), vxIn);
    validation = [vx, owned(toTargets(vyIn, plan.outputSize, vx.rows, plan.loss), vyIn)];
  } else if (options.validationSplit && xs && ys) {
    const keep = Math.floor(xs.rows * (1 - options.validationSplit));
    if (keep < 1 || keep === xs.rows)
      throw new ShapeError(`fit: validationSplit ${options.validationSplit} of ${xs.rows} rows leaves no training or no validation rows`);
    validation = [rowsOf(xs, keep, xs.rows), rowsOf(ys, keep, ys.rows)];
    xs = rowsOf(xs, 0, keep);
    ys = rowsOf(ys, 0, keep);
    weights = weights?.subarray(0, keep) ?? null;
  }
  if (xs?.rows === 0) throw new ValueError('fit: x is empty');
  // [stream] The checks of a source and of the streaming options load only when they are needed.
  const steps =
    source || options.stepsPerEpoch !== undefined || options.stream !== undefined
      ? (await loadPart('stream')).checkSourceOptions(source, source !== null && !isRowSource(source), options, targetsGiven)
      : null;
  const metrics = model.metrics;
  checkMetricsFit(metrics, plan.outputSize);
  // [stream] A source's rows are not kept, so its epochs log no training metrics (validation ones they do).
  const keys = logKeysOf(metrics, validation !== null).filter((k) => xs !== null || !metrics.includes(k));
  const history = emptyHistory(keys);
  // Aborted before it began: not one step runs, and an unfinished epoch stays for a later fit.
  if (options.signal?.aborted && epochs > 0) return { ...history, stopped: 'aborted' };

  // [stream] An iterable's rows and batch sizes are its own: its epoch runs to its end or stepsPerEpoch.
  const rows = xs ? xs.rows : source && isRowSource(source) ? source.rows : null;
  const n = rows ?? Infinity;
  const batch = Math.min(batchSize, n);
  const batches = rows === null ? (steps ?? Infinity) : Math.ceil(n / batch);
  const sumsLoss = plan.loss === 'sse';
  const prepare = async () => {
    if (epochs > 0) await engine.prepare?.({ threads, batchSize: batch });
  };
  // Threads may move the network to another core, which only an engine without data does.
  if (keep) await prepare();
  // Metrics beyond accuracy are computed by code loaded on first use (src/extras.ts; Node preloads it).
  // (Awaited only with metrics, which keep their own copies of x and y: see `keep`.)
  const computeMetrics: typeof ComputeMetrics = metrics.every((m) => m === 'accuracy')
    ? (names, out, t, loss) => names.map(() => accuracy(out, t, loss))
    : (await loadPart('metrics')).computeMetrics;
  // [stream] Streamed data is copied in batch by batch (decided by size for in-memory data).
  let feed: BatchFeed | null = null;
  if (!xs || !ys || shouldStream(engine, xs, ys, options.stream)) {
    if (xs?.unscanned) scanDeferred(xs);
    // Loaded only here, so a page that never streams does not ship it.
    feed = (await loadPart('stream')).openFeed(engine, sourceOf(source), xs, ys, weights, batch, steps, options.classWeight, CHECKS);
  }
  const data = feed ? feed.handle : engine.loadData(xs!.data, ys!.data, n, weights);
  // From here every way out of fit releases the data (finally, below).
  try {
    if (!feed && xs!.unscanned) {
      if (data.firstNonFiniteX) {
        const bad = data.firstNonFiniteX();
        if (bad >= 0) throwNonFinite(xs!, bad);
      } else scanDeferred(xs!);
    }
    if (!keep) await prepare();
    const schedule = model.schedule;
    const config = schedule.config;
    // An epoch an earlier fit left unfinished on rows like these is finished first.
    let pending = epochs > 0 ? model.pendingEpoch : null;
    if (pending && (pending.rows !== n || pending.batchSize !== batch || pending.shuffle !== shuffle)) pending = null;
    // Nothing happens between epochs (unless a callback does): the quiet run (fit-quiet.ts).
    const quiet = !shuffle && !options.onEpochEnd && metrics.length === 0 && validation === null && config === null && !pending?.order;
    // Callbacks, the per-step loop, the quiet run and schedules load with fit's optional parts, only when used.
    const extras =
      options.callbacks !== undefined || options.onBatchEnd || feed || config !== null || quiet ? (fitExtrasLoaded ?? (await loadFitExtras())) : null;
    const callbacks: readonly Callback[] = extras ? extras.checkCallbacks(options.callbacks) : [];
    if (epochs > 0) model.pendingEpoch = null;
    // Without callbacks only fit's own (equal) steps run between two looks at the clock, so it
    // may look less often; a callback could take any time, so then it looks every time.
    const clock = new YieldClock(options.onBatchEnd || options.onEpochEnd ? 1 : undefined);
    const dropout = hasDropout(engine.plan);
    let currentOrder: Int32Array | null = null;
    const perBatch = config?.interval === 'batch';
    // Without a schedule or a changed base rate the engine keeps the plan's lr and nothing is set.
    const rate: FitRate = { lr: schedule.baseLr ?? plan.optimizer.lr, engineLr: NaN };
    if (config === null && rate.lr !== plan.optimizer.lr) engine.setLearningRate((rate.engineLr = rate.lr));
    const applySchedule =
      config !== null
        ? () => {
            rate.lr = extras!.scheduleLr(config, schedule.baseLr ?? plan.optimizer.lr, schedule.step);
            if (rate.lr !== rate.engineLr) engine.setLearningRate((rate.engineLr = rate.lr));
          }
        : null;
    const ctx: TrainingContext | null =
      callbacks.length > 0
        ? extras!.trainingContext(model, engine, schedule, (next) => engine.setLearningRate((rate.engineLr = rate.lr = next)), {
            epochs,
            batches,
            logKeys: keys,
          })
        : null;
    // Batch hooks are looked up once: without them the batch loop runs exactly as before.
    const batchBegin = extras?.hasHook(callbacks, 'onBatchBegin') ? callbacks : null;
    const batchEnd = extras?.hasHook(callbacks, 'onBatchEnd') ? callbacks : null;
    // The multi-step path (fit-epoch.ts) when nothing needs control between batches (a streamed
    // batch is copied in by the per-step loop); running ahead into later epochs when nothing
    // happens between epochs either.
    const quietEpochs = quiet && callbacks.length === 0;
    const stopped = () => options.signal?.aborted === true || model.stopTraining;
    const shape: EpochShape = { rows: n, batch, batches, epochs, sumsLoss, noise: dropout ? model.shuffleRandom : null, runAhead: quietEpochs };
    const runner = feed || options.onBatchEnd || batchBegin || batchEnd || perBatch ? null : new EpochRunner(engine, data, shape, clock, stopped);
    const batchFit: BatchFit | null =
      runner === null
        ? { engine, model, data, feed, options, clock, rows: n, batch, batches, dropout, sumsLoss, schedule, applySchedule, rate, ctx, batchBegin, batchEnd }
        : null;
    const hook = (call: (c: Callback) => ReturnType<NonNullable<Callback['onEpochBegin']>> | undefined) => extras!.runHook(callbacks, ctx!, call);
    if (callbacks.length > 0 && (await hook((c) => c.onTrainBegin?.(ctx!)))) history.stopped = 'stopTraining';
    if (runner !== null && quietEpochs) {
      // Nothing happens between epochs: the epochs are recorded straight from the runs (fit-quiet.ts).
      const end =
        epochs > 0 && !model.stopTraining
          ? await extras!.fitQuietly(runner, shape, clock, stopped, pending?.nextBatch ?? 0, pending?.lossSum ?? 0, history, rate.lr)
          : null;
      if (end !== null) {
        history.stopped = options.signal?.aborted ? 'aborted' : 'stopTraining';
        if (end.unfinished) model.pendingEpoch = { rows: n, batchSize: batch, shuffle, order: null, ...end.unfinished };
      }
    } else
      for (let epoch = 0; epoch < epochs && !model.stopTraining; epoch++) {
        if (callbacks.length > 0 && (await hook((c) => c.onEpochBegin?.(epoch, ctx!)))) {
          history.stopped = 'stopTraining';
          break;
        }
        const order = pending ? pending.order : shuffle && rows !== null ? model.shuffleRandom.permutation(n) : null;
        // A handle starts in the identity order: copy an order into the engine only when it changes.
        if (feed) feed.beginEpoch(order);
        else if (order !== currentOrder) {
          data.setOrder(order);
          currentOrder = order;
        }
        let seen = 0;
        let ended = false;
        let total = pending ? pending.lossSum : 0;
        const first = pending ? pending.nextBatch : 0;
        pending = null;
        let b = first;
        let epochLr = NaN;
        if (runner !== null && b < batches) {
          // An epoch-interval schedule keeps one rate for the whole epoch: set it once.
          applySchedule?.();
          epochLr = rate.lr;
          let at = runner.epoch(epoch, b, total);
          if (at instanceof Promise) at = await at;
          ({ next: b, total } = at);
        } else if (batchFit !== null) ({ next: b, total, seen, ended, epochLr } = await extras!.trainBatches(batchFit, epoch, b, total));
        const stopReason = options.signal?.aborted ? 'aborted' : model.stopTraining ? 'stopTraining' : undefined;
        if (stopReason) {
          if (rows !== null) model.pendingEpoch = { rows, batchSize: batch, shuffle, order, nextBatch: b, lossSum: total };
          history.stopped = stopReason;
          break;
        }
        // [stream] A source that ran out: an epoch without a batch ends fit, one cut short by stepsPerEpoch is kept and ends it.
        if (ended && seen === 0) {
          if (history.epochs === 0) throw new ValueError('fit: the data source gave no batches');
          history.stopped = 'exhausted';
          break;
        }
        if (config !== null && !perBatch) schedule.step++;
        const logs: EpochLogs = { loss: sumsLoss ? total : total / (rows ?? seen), lr: first < batches ? epochLr : rate.lr };
        // Metrics come from predictions once per epoch, only the ones compiled.
        if (metrics.length > 0 && xs && ys) computeMetrics(metrics, model.forwardMatrix(xs), ys, plan.loss).forEach((v, i) => (logs[metrics[i]] = v));
        if (validation) {
          const [out, vy] = Array.isArray(validation)
            ? [model.forwardMatrix(validation[0]), validation[1]]
            : await (await loadPart('stream')).sourceOutputs(model, engine, sourceOf(validation)!, batch, CHECKS);
          logs.valLoss = logs.val_loss = lossOf(plan, out, vy);
          computeMetrics(metrics, out, vy, plan.loss).forEach((v, i) => (logs[`val_${metrics[i]}`] = v));
          if (logs.val_accuracy !== undefined) logs.valAccuracy = logs.val_accuracy;
        }
        recordEpoch(history, keys, logs, epoch);
        if (ended && rows === null && steps !== null) history.stopped = 'exhausted';
        // Await only a callback that returned a promise: awaiting undefined costs a microtask per epoch.
        const done = options.onEpochEnd?.(epoch, logs);
        if (done !== undefined) await done;
        if (callbacks.length > 0) await hook((c) => c.onEpochEnd?.(epoch, logs, ctx!));
        if (options.signal?.aborted || model.stopTraining || history.stopped === 'exhausted') {
          if (history.stopped !== 'exhausted') history.stopped = options.signal?.aborted ? 'aborted' : 'stopTraining';
          break;
        }
        if (!runner?.ahead && clock.sinceYield() > 16) {
          await nextTick();
          clock.yielded();
        }
      }
    if (callbacks.length > 0) for (const c of callbacks) await c.onTrainEnd?.(history, ctx!);
  } finally {
    if (feed) await feed.close();
    else data.dispose();
  }
  return history;
}
