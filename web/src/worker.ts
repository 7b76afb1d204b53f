/**
 * The training Worker: owns the model (WebAssembly core), trains epoch by epoch while playing,
 * and sends frames — metrics, the 100×100 decision grid (one batched forward pass) and every
 * neuron's heatmap — so the page only draws and never waits on training. It also draws the
 * network diagram and the large view itself, on the canvases the page transferred: thousands of
 * strokes a frame, kept off the page's main thread. Pause stops the running fit after its
 * current batch: the page raises a shared flag the Worker reads after every batch (cross-origin
 * isolated pages), and its message aborts the fit's signal (everywhere).
 */
import { Sequential, coreVariant, preload, ready, threadSupport, type StepTraceReport } from 'wasmlp';
import { featureMatrix, gridPoints } from './data.js';
import { GRID, NEURON_GRID, type EdgeMode, type EdgeRef, type Frame, type FromWorker, type NetConfig, type NeuronRef, type ToWorker } from './protocol.js';
import type { HiddenLayer, WeightEdit } from './state.js';
import { neuronMaps } from './neuron-maps.js';
import { addLosses, drawViews, largeView, resetCurves, type Canvases, type RunPoints } from './views.js';
import { buildModel, compileModel, hiddenLayersOf } from './build-model.js';
import { applyEdit, backpropView, edgeInfo, neuronInfo, nextBatchRows, stepReport } from './inspect.js';
import { Pause } from './pause.js';
import { predictInSlices, rowsOf, tensor, type Split, type Tensor } from './tensors.js';

let model: Sequential | null = null;
let config: NetConfig | null = null;
let train: Split | null = null;
let test: Split | null = null;
let grid: Tensor | null = null;
let neuronGrid: Float32Array | null = null;
let epoch = 0;
let run = 0;
let playing = false;
let plays = 0;
let pendingTrain: number[] = [];
let pendingTest: number[] = [];
let last = { trainLoss: NaN, testLoss: NaN, trainAccuracy: NaN, testAccuracy: NaN };
let samplesPerSecond = 0;
let epochsPerSecond = 0;
let steps = 0;
/** The pace limit while playing (epochs per second), or null for full speed. */
let speed: number | null = null;
/** Aborts the fit in progress (Pause): it stops after its current batch and keeps the rest of the epoch. */
let abort: AbortController | null = null;
/** The page's Pause flag, read after every batch, and the pause's one report. */
const pause = new Pause(() => post({ type: 'paused', epoch, steps }));
let canvases: Canvases | null = null;
let showTest = true;
let edges: EdgeMode = 'weights';
let hover: NeuronRef | null = null;
let selected: EdgeRef | null = null;
/** The edits still to replay (sorted by step), from the run's URL. */
let dueEdits: WeightEdit[] = [];
/** Rows of the training set the inspecting views trace when no single step was just taken. */
const TRACE_ROWS = 64;
/** Bumped whenever the model's weights or training settings change: the cached trace is then stale. */
let version = 0;
let cachedTrace: { version: number; report: StepTraceReport; source: string } | null = null;
/** The run's points as the page made them (before the input features), for the boundary view. */
let points: RunPoints | null = null;
/** Where the epoch rate is measured from: the previous chunk's start (null when play starts). */
let rateFrom: { t: number; epoch: number } | null = null;

/** Messages run one after another, so a reset never lands in the middle of an epoch. */
let queue: Promise<void> = Promise.resolve();

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(msg, transfer);
}

/** Whether the page has asked for a pause through the shared flag; reports it (once) when it has. */
function pauseRequested(): boolean {
  if (!pause.raised()) return false;
  playing = false;
  return true;
}

/** Applies the URL's edits whose step has come. */
function applyDueEdits(): void {
  while (model && dueEdits.length > 0 && dueEdits[0].step <= steps) {
    applyEdit(model, dueEdits.shift()!);
    version++;
  }
}

/**
 * One epoch over the training set (or one batch of it), then both sets' loss and accuracy
 * (float64, all rows). A URL edit due inside the epoch stops the fit at its step, is applied,
 * and the epoch goes on; one due at the epoch's end is applied after the epoch's losses, as a
 * hand edit between epochs was.
 */
async function trainEpoch(onlyOneBatch = false): Promise<void> {
  if (!model || !config || !train || !test) return;
  const m = model;
  const batches = Math.ceil(train.y.length / config.batchSize);
  let done = false;
  while (!done) {
    abort = new AbortController();
    let lastBatch = false;
    let interrupted = false;
    // A stopped fit keeps its unfinished epoch: the next fit finishes it first.
    const h = await m.fit(train.x, train.y, {
      epochs: 1,
      batchSize: config.batchSize,
      shuffle: true,
      signal: abort.signal,
      onBatchEnd: (b) => {
        steps++;
        lastBatch = b === batches - 1;
        // Stopping after an epoch's last batch would leave an empty remainder: that batch ends the epoch.
        if (!lastBatch && (onlyOneBatch || pauseRequested())) {
          interrupted = true;
          m.stopTraining = true;
        }
        if (!lastBatch && dueEdits[0]?.step === steps) m.stopTraining = true;
      },
    });
    abort = null;
    version++;
    if (h.stopped === undefined) break;
    m.stopTraining = false;
    applyDueEdits();
    if (h.stopped === 'aborted') pause.acknowledge();
    done = h.stopped === 'aborted' || interrupted;
    if (done) {
      measure();
      return;
    }
  }
  epoch++;
  measure();
  pendingTrain.push(last.trainLoss);
  pendingTest.push(last.testLoss);
  if (dueEdits[0]?.step === steps) {
    applyDueEdits();
    measure();
  }
  // A Pause during the epoch's last batch: reported now that training has stopped.
  pauseRequested();
}

function measure(): void {
  if (!model || !train || !test) return;
  const tr = model.evaluate(train.x, train.y);
  pauseRequested();
  const te = model.evaluate(test.x, test.y);
  last = { trainLoss: tr.loss, testLoss: te.loss, trainAccuracy: tr.accuracy ?? NaN, testAccuracy: te.accuracy ?? NaN };
}

/**
 * The trace the inspecting views read: the single step just taken (its batch, before it was
 * taken), or else one on the current weights and the first TRACE_ROWS training rows (shown, not taken).
 */
function inspectTrace(m: Sequential): { report: StepTraceReport; source: string } {
  if (cachedTrace?.version !== version) {
    const rows = Array.from({ length: Math.min(TRACE_ROWS, train!.y.length) }, (_, i) => i);
    const b = rowsOf(train!, rows);
    cachedTrace = { version, report: m.trace(b.x, b.y), source: `current weights, training rows 1-${rows.length} (row 1 shown)` };
  }
  return cachedTrace;
}

function sendFrame(): void {
  if (!model || !config || !grid || !neuronGrid) return;
  // A Pause that comes in while the frame is computed is reported between its pieces, not after them.
  pauseRequested();
  const probabilities = predictInSlices(model, grid, pauseRequested);
  // Every W as one flat array (getWeights gives [W0, b0, W1, b1, ...], W as rows).
  const weights = model
    .getWeights()
    .filter((w): w is number[][] => Array.isArray(w[0]))
    .map((W) => Float32Array.from(W.flat()));
  const neurons = neuronMaps(model, neuronGrid, config.features.length);
  pauseRequested();
  const { gradients, deltas } = edges === 'gradients' ? backpropView(inspectTrace(model).report) : { gradients: [], deltas: [] };
  const { heat, hoverScale } = largeView(config, probabilities, points?.range ?? null, neurons, hover);
  if (hover && hoverScale !== null) {
    const t = inspectTrace(model);
    post({ type: 'neuron', info: neuronInfo(t.report, hover, t.source, hoverScale) });
  }
  const frame: Frame = {
    type: 'frame',
    run,
    epoch,
    playing,
    plays,
    ...last,
    newTrainLosses: pendingTrain,
    newTestLosses: pendingTest,
    samplesPerSecond,
    epochsPerSecond: playing ? epochsPerSecond : 0,
    steps,
    task: config.task,
    firstWeights: Array.from(weights[0] ?? []),
    gradientsShown: gradients.length > 0,
    gridValues: probabilities.length,
    gridDistinct: new Set(probabilities).size,
  };
  addLosses(pendingTrain, pendingTest);
  pendingTrain = [];
  pendingTest = [];
  pauseRequested();
  if (canvases && points) {
    drawViews(canvases, config, heat, points, showTest, {
      neurons,
      weights: edges === 'gradients' ? gradients : weights,
      deltas: edges === 'gradients' ? deltas : null,
      hover,
      selected,
      between: pauseRequested,
    });
  }
  post(frame);
}

/** Trains for ~40 ms (whole epochs), sends a frame, and schedules the next chunk while playing. */
async function chunk(): Promise<void> {
  if (!playing || !train) return;
  const t0 = performance.now();
  // The epoch rate over the last chunk and the wait after it (the pace the eye sees).
  if (rateFrom !== null && t0 > rateFrom.t) epochsPerSecond = (epoch - rateFrom.epoch) / ((t0 - rateFrom.t) / 1000);
  rateFrom = { t: t0, epoch };
  let samples = 0;
  do {
    await trainEpoch();
    samples += train.y.length;
  } while (playing && speed === null && performance.now() - t0 < 40);
  const seconds = Math.max(1e-3, (performance.now() - t0) / 1000);
  samplesPerSecond = samples / seconds;
  sendFrame();
  // Slow motion: one epoch per chunk, the next one when its time comes. A macrotask between
  // chunks lets pause / reset messages in.
  const wait = speed === null ? 0 : Math.max(0, 1000 / speed - (performance.now() - t0));
  if (playing) setTimeout(() => enqueue(chunk), wait);
}

/** One training step, shown: the trace of the batch it is about to take (taken on the same weights, optimiser state and rate), then the step. */
async function tracedStep(): Promise<void> {
  if (!model || !config || !train) return;
  const rows = nextBatchRows(model, train.y.length, config.batchSize);
  const b = rowsOf(train, rows);
  const report = model.trace(b.x, b.y);
  await trainEpoch(true);
  cachedTrace = { version, report, source: `the last step (step ${steps}): its batch before it, row 1 = training row ${rows[0] + 1}` };
  post({ type: 'step', report: stepReport(report, rows, steps, epoch) });
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'setup': {
      playing = false;
      model?.dispose();
      config = msg.config;
      run = msg.run;
      const regression = config.task === 'regression';
      const range = regression ? [...msg.train.y, ...msg.test.y].reduce((m, v) => Math.max(m, Math.abs(v)), 1e-9) : null;
      points = { train: msg.train, test: msg.test, range };
      train = { x: tensor(msg.train.x, config.features), y: msg.train.y };
      test = { x: tensor(msg.test.x, config.features), y: msg.test.y };
      grid = tensor(gridPoints(GRID), config.features);
      neuronGrid = featureMatrix(gridPoints(NEURON_GRID), config.features);
      model = buildModel(config);
      epoch = 0;
      steps = 0;
      version++;
      hover = null;
      selected = null;
      dueEdits = config.edits.slice();
      applyDueEdits();
      pendingTrain = [];
      pendingTest = [];
      resetCurves();
      samplesPerSecond = 0;
      measure();
      sendFrame();
      break;
    }
    case 'play':
      plays++;
      if (!playing && model) {
        playing = true;
        pause.rearm();
        rateFrom = null;
        epochsPerSecond = 0;
        await chunk();
      }
      break;
    case 'pause':
      playing = false;
      sendFrame();
      break;
    case 'step':
      playing = false;
      await trainEpoch();
      sendFrame();
      break;
    case 'step-batch':
      playing = false;
      await tracedStep();
      sendFrame();
      break;
    case 'retune':
      // The same network, new training settings: the weights, the epoch count, the curves and the edits stay.
      if (model && config) {
        config = { ...msg.config, edits: config.edits };
        compileModel(model, config);
        version++;
        if (!playing) sendFrame();
      }
      break;
    case 'speed':
      speed = msg.epochsPerSecond;
      break;
    case 'canvas':
      canvases = { network: msg.network, boundary: msg.boundary, curves: msg.curves };
      sendFrame();
      break;
    case 'pause-flag':
      pause.attach(msg.flag);
      break;
    case 'edges':
      edges = msg.mode;
      if (!playing) sendFrame();
      break;
    case 'show-test':
      showTest = msg.show;
      if (!playing) sendFrame();
      break;
    case 'hover':
      hover = msg.neuron;
      if (!playing) sendFrame();
      break;
    case 'inspect-edge':
      if (!model) break;
      selected = msg.edge;
      post({ type: 'edge', info: edgeInfo(inspectTrace(model).report, msg.edge, inspectTrace(model).source) });
      if (!playing) sendFrame();
      break;
    case 'set-weight': {
      if (!model || !config) break;
      const edit: WeightEdit = { step: steps, ...msg.edge, value: msg.value };
      applyEdit(model, edit);
      version++;
      config.edits.push(edit);
      post({ type: 'weight-set', edit });
      post({ type: 'edge', info: edgeInfo(inspectTrace(model).report, msg.edge, inspectTrace(model).source) });
      measure();
      if (!playing) sendFrame();
      break;
    }
    case 'export':
      if (model) post({ type: 'model', json: JSON.stringify(model.toJSON()) });
      break;
    case 'import': {
      if (!config) break;
      const imported = Sequential.fromJSON(msg.json);
      let layers: HiddenLayer[];
      try {
        layers = hiddenLayersOf(imported, config);
      } catch (e) {
        imported.dispose();
        throw e;
      }
      playing = false;
      model?.dispose();
      model = imported;
      config = { ...config, layers, edits: [] };
      dueEdits = [];
      compileModel(model, config);
      epoch = 0;
      version++;
      resetCurves();
      measure();
      // The frame first: when the page reads 'imported', the imported model's numbers are on screen.
      sendFrame();
      post({ type: 'imported', layers });
      break;
    }
  }
}

function enqueue(fn: () => Promise<void>): void {
  queue = queue.then(fn).catch((e: unknown) => {
    playing = false;
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  });
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  // Pause takes effect at once (the running chunk sees it after its current epoch).
  if (e.data.type === 'pause' || e.data.type === 'setup' || e.data.type === 'step' || e.data.type === 'step-batch' || e.data.type === 'import') {
    playing = false;
    // Inside a fit, it stops after its current batch and says so; between fits nothing trains any more.
    if (abort) abort.abort();
    else if (e.data.type === 'pause') pause.acknowledge();
  }
  // The pace applies to the running chunk at once.
  if (e.data.type === 'speed') speed = e.data.epochsPerSecond;
  enqueue(() => handle(e.data));
};

enqueue(async () => {
  // The backprop view (trace), the neuron maps (layerOutputs) and model export / import (toJSON / fromJSON) run synchronously: load their code once up front.
  await Promise.all([ready(), preload('inspect', 'formats')]);
  const support = threadSupport();
  post({ type: 'ready', backend: `wasm ${coreVariant()}, ${support.available ? "threads: 'auto'" : '1 thread'}` });
});
