/**
 * The training Worker: owns the model (WebAssembly core), trains epoch by epoch while playing,
 * and sends frames — metrics, the 100×100 decision grid (one batched forward pass) and every
 * neuron's heatmap — so the page only draws and never waits on training. It also draws the
 * network diagram itself, on the canvas the page transferred: thousands of strokes a frame,
 * kept off the page's main thread. Pause aborts the running fit after its current batch.
 */
import { Activation, Adam, Dense, SGD, Sequential, Softmax, activationLayer, coreVariant, preload, ready, threadSupport, type Layer } from 'wasmlp';
import { featureMatrix, gridPoints } from './data.js';
import { GRID, NEURON_GRID, type EdgeMode, type Frame, type FromWorker, type NetConfig, type ToWorker } from './protocol.js';
import { HIDDEN_ACTIVATIONS, type HiddenActivation, type HiddenLayer } from './state.js';
import { neuronMaps } from './neuron-maps.js';
import { drawNetwork } from './network-view.js';
import { drawBoundary } from './boundary-view.js';

interface Tensor { data: Float32Array; shape: [number, number] }

let model: Sequential | null = null;
let config: NetConfig | null = null;
let train: { x: Tensor; y: number[] } | null = null;
let test: { x: Tensor; y: number[] } | null = null;
let grid: Tensor | null = null;
let neuronGrid: Float32Array | null = null;
let epoch = 0;
let run = 0;
let playing = false;
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
let canvases: { network: OffscreenCanvas; boundary: OffscreenCanvas } | null = null;
let showTest = true;
let edges: EdgeMode = 'weights';
/** Rows of the training set the backprop view traces (a batch small enough for every frame). */
const TRACE_ROWS = 64;
/** The run's points as the page made them (before the input features), for the boundary view. */
let points: { train: { x: number[][]; y: number[] }; test: { x: number[][]; y: number[] } } | null = null;
/** Where the epoch rate is measured from: the previous chunk's start (null when play starts). */
let rateFrom: { t: number; epoch: number } | null = null;

/** Messages run one after another, so a reset never lands in the middle of an epoch. */
let queue: Promise<void> = Promise.resolve();

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(msg, transfer);
}

function tensor(x: number[][], features: NetConfig['features']): Tensor {
  return { data: featureMatrix(x, features), shape: [x.length, features.length] };
}

/** The Sequential of a config: hidden Dense+activation pairs, then Dense(classes) (+ Softmax for mse). */
function buildModel(c: NetConfig): Sequential {
  const layers: Layer[] = [];
  let inputs = c.features.length;
  for (const l of c.layers) {
    layers.push(new Dense(inputs, l.units), activationLayer(l.activation));
    inputs = l.units;
  }
  layers.push(new Dense(inputs, c.classes));
  if (c.loss === 'mse') layers.push(new Softmax());
  // Threads where the page is cross-origin isolated; 'auto' keeps small networks on one thread,
  // and the results do not depend on the thread count, so URL-state runs stay identical.
  const m = new Sequential(layers, { seed: c.seed, threads: threadSupport().available ? 'auto' : 1 });
  compile(m, c);
  return m;
}

function compile(m: Sequential, c: NetConfig): void {
  // L2 as PyTorch's weight_decay on the weights only, as the playground's "regularization".
  const common = { lr: c.lr, weightDecay: c.l2, decayBiases: false };
  const optimizer = c.optimizer === 'adam' ? new Adam(common)
    : new SGD({ ...common, momentum: c.optimizer === 'momentum' ? 0.9 : 0 });
  m.compile({ loss: c.loss === 'mse' ? 'mse' : 'softmax_ce', optimizer, metrics: ['accuracy'] });
}

/** One epoch over the training set, then both sets' loss and accuracy (float64, all rows). */
async function trainEpoch(onlyOneBatch = false): Promise<void> {
  if (!model || !config || !train || !test) return;
  const m = model;
  const batches = Math.ceil(train.y.length / config.batchSize);
  abort = new AbortController();
  // An aborted or one-batch fit keeps its unfinished epoch: the next fit finishes it first.
  const h = await m.fit(train.x, train.y, {
    epochs: 1, batchSize: config.batchSize, shuffle: true, signal: abort.signal,
    // Stopping after an epoch's last batch would leave an empty remainder: that batch ends the epoch.
    onBatchEnd: (b) => { steps++; if (onlyOneBatch && b < batches - 1) m.stopTraining = true; },
  });
  abort = null;
  if (h.stopped !== undefined) {
    m.stopTraining = false;
    if (h.stopped === 'aborted') post({ type: 'paused', epoch, steps });
    measure();
    return;
  }
  epoch++;
  measure();
  pendingTrain.push(last.trainLoss);
  pendingTest.push(last.testLoss);
}

function measure(): void {
  if (!model || !train || !test) return;
  const tr = model.evaluate(train.x, train.y);
  const te = model.evaluate(test.x, test.y);
  last = { trainLoss: tr.loss, testLoss: te.loss, trainAccuracy: tr.accuracy ?? NaN, testAccuracy: te.accuracy ?? NaN };
}

/** Rows of a prediction as one flat Float32Array, whatever form predictProba gave. */
function flat(p: unknown): Float32Array {
  if (Array.isArray(p)) {
    const rows = p as number[][];
    const k = rows[0]?.length ?? 0;
    const out = new Float32Array(rows.length * k);
    rows.forEach((r, i) => out.set(r, i * k));
    return out;
  }
  return Float32Array.from((p as { data: ArrayLike<number> }).data);
}

function sendFrame(): void {
  if (!model || !config || !grid || !neuronGrid) return;
  const probabilities = flat(model.predictProba(grid));
  // Every W as one flat array (getWeights gives [W0, b0, W1, b1, ...], W as rows).
  const weights = model.getWeights().filter((w): w is number[][] => Array.isArray(w[0])).map((W) => Float32Array.from(W.flat()));
  const neurons = neuronMaps(model, neuronGrid, config.features.length);
  const { gradients, deltas } = edges === 'gradients' ? backprop(model) : { gradients: [], deltas: [] };
  const frame: Frame = {
    type: 'frame', run, epoch, playing, ...last,
    newTrainLosses: pendingTrain, newTestLosses: pendingTest, samplesPerSecond, epochsPerSecond: playing ? epochsPerSecond : 0, steps,
    grid: probabilities, neurons, weights, gradients, deltas,
  };
  pendingTrain = [];
  pendingTest = [];
  if (canvases && points) {
    drawBoundary(canvases.boundary, probabilities, config.classes, points.train, points.test, showTest);
    drawNetwork(canvases.network, { features: config.features, sizes: [config.features.length, ...config.layers.map((l) => l.units), config.classes], neurons,
      weights: edges === 'gradients' ? gradients : weights, deltas: edges === 'gradients' ? deltas : null });
  }
  post(frame, [probabilities.buffer, ...neurons.map((n) => n.buffer), ...weights.map((w) => w.buffer), ...gradients.map((g) => g.buffer), ...deltas.map((d) => d.buffer)]);
}

/**
 * The backprop view: model.trace on the first TRACE_ROWS training rows (one step shown, not
 * taken): every Dense layer's dW, and each of its units' mean |δ| over those rows.
 */
function backprop(m: Sequential): { gradients: Float32Array[]; deltas: Float32Array[] } {
  if (!train) return { gradients: [], deltas: [] };
  const rows = Math.min(TRACE_ROWS, train.y.length);
  const cols = train.x.shape[1];
  const t = m.trace({ data: train.x.data.subarray(0, rows * cols), shape: [rows, cols] }, train.y.slice(0, rows));
  const dense = t.layers.filter((l) => l.kind === 'dense');
  return {
    gradients: dense.map((l) => Float32Array.from(l.dW!.flat())),
    deltas: dense.map((l) => Float32Array.from(l.delta[0].map((_, j) => l.delta.reduce((s, r) => s + Math.abs(r[j]), 0) / rows))),
  };
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

/** The hidden layers of an imported model, or an error when it does not fit the page's data. */
function hiddenLayersOf(m: Sequential, c: NetConfig): HiddenLayer[] {
  const denses = m.layers.filter((l): l is Dense => l instanceof Dense);
  if (denses.length === 0 || denses.length - 1 > 6) throw new Error('the model needs 1 to 7 Dense layers');
  if (denses[0].inputs !== c.features.length) throw new Error(`the model takes ${denses[0].inputs} inputs; the page has ${c.features.length} features selected`);
  if (denses[denses.length - 1].units !== c.classes) throw new Error(`the model has ${denses[denses.length - 1].units} outputs; the data has ${c.classes} classes`);
  const hidden: HiddenLayer[] = [];
  m.layers.forEach((l, i) => {
    if (!(l instanceof Dense) || l === denses[denses.length - 1]) return;
    const next = m.layers[i + 1];
    const act = next instanceof Activation ? next.activation : 'identity';
    if (!(HIDDEN_ACTIVATIONS as readonly string[]).includes(act)) throw new Error(`activation ${act} is not offered by the playground`);
    hidden.push({ units: l.units, activation: act as HiddenActivation });
  });
  return hidden;
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'setup': {
      playing = false;
      model?.dispose();
      config = msg.config;
      run = msg.run;
      points = { train: msg.train, test: msg.test };
      train = { x: tensor(msg.train.x, config.features), y: msg.train.y };
      test = { x: tensor(msg.test.x, config.features), y: msg.test.y };
      grid = tensor(gridPoints(GRID), config.features);
      neuronGrid = featureMatrix(gridPoints(NEURON_GRID), config.features);
      model = buildModel(config);
      epoch = 0;
      steps = 0;
      pendingTrain = [];
      pendingTest = [];
      samplesPerSecond = 0;
      measure();
      sendFrame();
      break;
    }
    case 'play':
      if (!playing && model) {
        playing = true;
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
      await trainEpoch(true);
      sendFrame();
      break;
    case 'retune':
      // The same network, new training settings: the weights, the epoch count and the curves stay.
      if (model && config) {
        config = msg.config;
        compile(model, config);
        if (!playing) sendFrame();
      }
      break;
    case 'speed':
      speed = msg.epochsPerSecond;
      break;
    case 'canvas':
      canvases = { network: msg.network, boundary: msg.boundary };
      sendFrame();
      break;
    case 'edges':
      edges = msg.mode;
      if (!playing) sendFrame();
      break;
    case 'show-test':
      showTest = msg.show;
      if (!playing) sendFrame();
      break;
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
      config = { ...config, layers };
      compile(model, config);
      epoch = 0;
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
    else if (e.data.type === 'pause') post({ type: 'paused', epoch, steps });
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
