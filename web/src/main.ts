/**
 * The playground page: keeps the state (mirrored in the URL hash), makes the data, talks to the
 * training Worker and shows its frames' numbers; every canvas (diagram, large view, curves) is
 * drawn by the Worker on a transferred canvas, so the page's main thread stays free. It also
 * hit-tests the pointer on the diagram and fills the teaching panels. Data, features and architecture restart the
 * run; the learning rate, optimiser, L2 and batch size continue it, as TensorFlow Playground
 * does (the hash then describes the settings on screen, not the whole history of the run).
 */
import { decodeState, encodeState, FEATURE_LABELS, lossForTask, MAX_LAYERS, type PlaygroundState, type Task } from './state.js';
import { makeData, parseUpload, taskOf, type PlaygroundData, type Points } from './data.js';
import type { EdgeInfo, EdgeRef, Frame, FromWorker, NetConfig, NeuronInfo, NeuronRef, StepReport, ToWorker } from './protocol.js';
import { $, buildFeatureBoxes, buildLayerControls, readForm, showOutputCaption, showState, showTask } from './controls.js';
import { markWeight, num, readWeight, showEdge, showNeuron, showStep } from './panels.js';
import { watchDiagram } from './pointer.js';
import { downloadModel, withInputs } from './model-export.js';

let state: PlaygroundState = decodeState(location.hash);
let upload: Points | null = null;
let data: PlaygroundData | null = null;
let frame: Frame | null = null;
let playing = false;
/** Play messages sent (the Worker counts those it handled). */
let plays = 0;
/** Numbers the setups, so frames of a run that was reset are ignored. */
let run = 0;
let task: Task = 'classification';
let hovered: NeuronRef | null = null;
let picked: EdgeRef | null = null;
/** Pause's shared flag (cross-origin isolated pages): the Worker reads it after every batch, without waiting for a message. */
const pauseFlag = self.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : null;
const history = { train: [] as number[], test: [] as number[] };

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (msg: ToWorker) => worker.postMessage(msg);

/** What tests (and curious people, from the console) can read: the run's exact numbers. */
const exposed = {
  history,
  epoch: 0,
  state,
  frames: 0,
  steps: 0,
  lastFramePlaying: false as boolean | undefined,
  networkInWorker: false,
  paused: 0,
  pausedAtStep: -1,
  edges: 'weights',
  gradientFrames: 0,
  pauseFlag: pauseFlag !== null,
  task: task as Task,
  neuron: null as NeuronInfo | null,
  edge: null as EdgeInfo | null,
  steps_reported: 0,
  step: null as StepReport | null,
  firstWeights: [] as number[],
  refused: 0,
  sizes: [] as number[],
  gridValues: 0,
  gridDistinct: 0,
};
const WEIGHT_LEGEND = 'Neurons: output over the view (blue negative, orange positive). Links: weights, thickness |w|.';
const GRADIENT_LEGEND = "Backprop (model.trace on 64 training rows, not applied): links dW = aᵀ·δ, thickness |dW|; red ring: the unit's mean |δ| = |dL/dz|.";
(window as unknown as { __playground: typeof exposed }).__playground = exposed;

/** Shows a message: an error (red) unless `ok` (green). */
function status(text: string, ok = false): void {
  $('status').textContent = text;
  $('status').classList.toggle('ok', ok);
}

function setPlaying(p: boolean): void {
  playing = p;
  const btn = $('play');
  btn.setAttribute('aria-pressed', String(p));
  btn.textContent = p ? '❚❚ Pause' : '▶ Play';
}

/** Rebuilds data and model from the state (its weight edits replayed); the run starts again at epoch 0. */
function reset(): void {
  setPlaying(false);
  history.train.length = 0;
  history.test.length = 0;
  frame = null;
  task = taskOf(state, upload);
  state = { ...state, loss: lossForTask(task, state.loss) };
  exposed.state = state;
  exposed.task = task;
  exposed.epoch = 0;
  showTask(task, state.dataset);
  showState(state);
  for (const id of ['step-panel', 'edge-panel', 'neuron-panel']) $(id).hidden = true;
  hovered = picked = null;
  if (location.hash !== encodeState(state)) history_replace(encodeState(state));
  try {
    data = makeData(state, upload);
  } catch (e) {
    data = null;
    status(e instanceof Error ? e.message : String(e));
    return;
  }
  status('');
  buildLayerControls(state, data.classes, task, (layers) => update({ ...state, layers }));
  showHeatLegend(null);
  exposed.sizes = sizes();
  $('net-summary').textContent = `${[state.features.length, ...state.layers.map((l) => l.units), data.classes].join('-')}`;
  const config = netConfig(data.classes);
  run++;
  $('epoch').textContent = '0';
  send({ type: 'setup', run, config, train: data.train, test: data.test });
}

function netConfig(classes: number): NetConfig {
  return {
    features: state.features,
    layers: state.layers,
    classes,
    task,
    loss: state.loss,
    edits: state.edits,
    optimizer: state.optimizer,
    lr: state.lr,
    batchSize: state.batchSize,
    l2: state.l2,
    seed: state.seed,
  };
}

/** New training settings for the run on screen: it continues (weights, epoch, curves stay). */
function retune(next: PlaygroundState): void {
  state = next;
  exposed.state = state;
  showState(state);
  history_replace(encodeState(state));
  if (data) send({ type: 'retune', config: netConfig(data.classes) });
}

function history_replace(hash: string): void {
  // replaceState: editing should not fill the back button with every slider position.
  window.history.replaceState(null, '', hash);
}

/** A state that restarts the run: its hand edits go (they belong to the old weights) unless told to keep them (a link's). */
function update(next: PlaygroundState, keepEdits = false): void {
  state = keepEdits ? next : { ...next, edits: [] };
  reset();
}

/** The legend under the large view: the value range of a continuous heatmap (a neuron's `scale`, or the regression's target range), hidden otherwise. */
function showHeatLegend(scale: number | null): void {
  const s = scale ?? (task === 'regression' && data ? data.range : null);
  $('heat-legend').hidden = s === null;
  if (s !== null) {
    $('heat-min').textContent = num(-s);
    $('heat-max').textContent = `+${num(s)}`;
  }
}

/** The columns of the diagram: inputs, hidden layers, outputs. */
function sizes(): number[] {
  return [state.features.length, ...state.layers.map((l) => l.units), data?.classes ?? 1];
}

/** One formatter for every frame: toLocaleString builds a new one per call, milliseconds each on a busy page. */
const THOUSANDS = new Intl.NumberFormat('en');

/** Four decimals, or four significant digits once a loss gets small. */
function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return '–';
  return v !== 0 && Math.abs(v) < 0.01 ? v.toPrecision(digits - 1) : v.toFixed(digits);
}

function onFrame(f: Frame): void {
  if (f.run !== run) return;
  frame = f;
  history.train.push(...f.newTrainLosses);
  history.test.push(...f.newTestLosses);
  exposed.epoch = f.epoch;
  exposed.steps = f.steps;
  exposed.lastFramePlaying = f.playing;
  exposed.frames++;
  exposed.firstWeights = f.firstWeights;
  exposed.gridValues = f.gridValues;
  exposed.gridDistinct = f.gridDistinct;
  if (f.gradientsShown) exposed.gradientFrames++;
  $('epoch').textContent = String(f.epoch);
  // Paused frames keep the last rate on screen; a reset (epoch 0) clears it.
  if (f.playing && f.samplesPerSecond > 0) $('sps').textContent = THOUSANDS.format(Math.round(f.samplesPerSecond));
  else if (f.epoch === 0) $('sps').textContent = '–';
  $('eps').textContent = f.playing && f.epochsPerSecond > 0 ? f.epochsPerSecond.toFixed(f.epochsPerSecond < 10 ? 1 : 0) : '–';
  $('train-loss').textContent = fmt(f.trainLoss);
  $('test-loss').textContent = fmt(f.testLoss);
  $('train-accuracy').textContent = fmt(f.trainAccuracy, 3);
  $('test-accuracy').textContent = fmt(f.testAccuracy, 3);
  if (!f.playing && playing && f.plays >= plays) setPlaying(false);
}

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const msg = e.data;
  switch (msg.type) {
    case 'ready':
      $('backend').textContent = `${msg.backend}, ${self.crossOriginIsolated ? 'cross-origin isolated' : 'not isolated'}`;
      break;
    case 'frame':
      onFrame(msg);
      break;
    case 'paused':
      exposed.paused++;
      exposed.pausedAtStep = msg.steps;
      break;
    case 'model':
      downloadModel(withInputs(msg.json, state, data), `wasmlp-${state.dataset}-epoch${frame?.epoch ?? 0}.json`);
      break;
    case 'imported':
      state = { ...state, layers: msg.layers, edits: [] }; // the edits belonged to the weights the import replaced
      exposed.state = state;
      showState(state);
      history_replace(encodeState(state));
      if (data) buildLayerControls(state, data.classes, task, (layers) => update({ ...state, layers }));
      history.train.length = 0;
      history.test.length = 0;
      status('model imported', true);
      break;
    case 'neuron':
      if (hovered?.column !== msg.info.ref.column || hovered.unit !== msg.info.ref.unit) break;
      exposed.neuron = msg.info;
      showNeuron(msg.info, sizes().length, (u) => FEATURE_LABELS[state.features[u]] ?? `x${u + 1}`);
      $('view-caption').textContent = `Neuron under the pointer: its output over the view (${msg.info.activation})`;
      showHeatLegend(msg.info.scale);
      break;
    case 'edge':
      exposed.edge = msg.info;
      showEdge(msg.info, document.activeElement === $('edge-weight') && $('edge-weight').classList.contains('invalid'));
      break;
    case 'weight-set':
      state = { ...state, edits: [...state.edits, msg.edit] };
      exposed.state = state;
      history_replace(encodeState(state));
      status(`weight set at step ${msg.edit.step}; the run continues from it`, true);
      break;
    case 'step':
      exposed.steps_reported++;
      exposed.step = msg.report;
      showStep(msg.report);
      break;
    case 'error':
      setPlaying(false);
      status(msg.message);
      break;
  }
};
worker.onerror = (e) => status(`worker: ${e.message}`);

// Controls.
/** Lowers or raises the shared Pause flag (before the message, which may wait behind a batch). */
function flag(paused: boolean): void {
  if (pauseFlag) Atomics.store(pauseFlag, 0, paused ? 1 : 0);
}
function togglePlay(): void {
  if (playing) {
    flag(true);
    setPlaying(false);
    send({ type: 'pause' });
  } else if (data) {
    flag(false);
    setPlaying(true);
    plays++;
    send({ type: 'play' });
  }
}
$('play').addEventListener('click', togglePlay);
$('step').addEventListener('click', () => {
  setPlaying(false);
  flag(false);
  send({ type: 'step' });
});
$('step-batch').addEventListener('click', () => {
  setPlaying(false);
  flag(false);
  send({ type: 'step-batch' });
});
const sendSpeed = () => {
  const v = $<HTMLSelectElement>('speed').value;
  send({ type: 'speed', epochsPerSecond: v === 'full' ? null : Number(v) });
};
$('speed').addEventListener('change', sendSpeed);
sendSpeed();
$('reset').addEventListener('click', () => reset());
$('regenerate').addEventListener('click', () => update({ ...state, dataSeed: (state.dataSeed + 1) % 2 ** 32 }));
for (const id of ['dataset', 'points', 'noise', 'train-ratio', 'classes', 'loss', 'seed']) {
  $(id).addEventListener('change', () => update(readForm(state)));
}
for (const id of ['lr', 'optimizer', 'batch', 'l2']) {
  $(id).addEventListener('change', () => retune(readForm(state)));
}
// Sliders show their value while dragging; the run resets when they are let go.
for (const [id, out, f] of [
  ['points', 'points-out', (v: number) => String(v)],
  ['noise', 'noise-out', (v: number) => v.toFixed(2)],
  ['train-ratio', 'train-out', (v: number) => `${Math.round(v * 100)}%`],
] as const) {
  $(id).addEventListener('input', () => {
    $(out).textContent = f(Number(($(id) as HTMLInputElement).value));
  });
}
$('edges').addEventListener('change', () => {
  const mode = $<HTMLSelectElement>('edges').value as 'weights' | 'gradients';
  exposed.edges = mode;
  $('legend').textContent = mode === 'gradients' ? GRADIENT_LEGEND : WEIGHT_LEGEND;
  send({ type: 'edges', mode });
});
$('show-test').addEventListener('change', () => send({ type: 'show-test', show: $<HTMLInputElement>('show-test').checked }));
buildFeatureBoxes((features) => update({ ...state, features }));
$('add-layer').addEventListener('click', () => {
  if (state.layers.length < MAX_LAYERS) update({ ...state, layers: [...state.layers, { units: 4, activation: state.layers.at(-1)?.activation ?? 'tanh' }] });
});
$('remove-layer').addEventListener('click', () => update({ ...state, layers: state.layers.slice(0, -1) }));
$('csv').addEventListener('change', async () => {
  const file = ($('csv') as HTMLInputElement).files?.[0];
  if (!file) return;
  try {
    upload = parseUpload(await file.text());
    update({ ...state, dataset: 'csv' });
  } catch (e) {
    status(`CSV: ${e instanceof Error ? e.message : String(e)}`);
  }
});
$('export').addEventListener('click', () => send({ type: 'export' }));
$('import').addEventListener('change', async () => {
  const file = ($('import') as HTMLInputElement).files?.[0];
  if (!file) return;
  setPlaying(false);
  send({ type: 'import', json: await file.text() });
});
// A link pasted into this tab (or edited by hand) starts its run.
window.addEventListener('hashchange', () => {
  if (location.hash !== encodeState(state)) update(decodeState(location.hash), true);
});
// Shortcuts when no form field has the focus: space play/pause, s step, r reset.
document.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement;
  if (e.ctrlKey || e.metaKey || e.altKey || ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(t.tagName)) return;
  if (e.key === ' ') {
    e.preventDefault();
    togglePlay();
  } else if (e.key === 's') $('step').click();
  else if (e.key === 'r') reset();
});

// The network diagram and the boundary are drawn in the Worker: their canvases go there once, before the first run.
watchDiagram(
  $<HTMLCanvasElement>('network'),
  sizes,
  (n) => {
    hovered = n;
    send({ type: 'hover', neuron: n });
    if (n === null) {
      $('neuron-panel').hidden = true;
      exposed.neuron = null;
      showOutputCaption(task);
      showHeatLegend(null);
    }
  },
  (edge) => {
    picked = edge;
    markWeight(null);
    send({ type: 'inspect-edge', edge });
  },
);
$('edge-panel').addEventListener('submit', (e) => {
  e.preventDefault();
  const read = readWeight($<HTMLInputElement>('edge-weight').value);
  if ('error' in read) {
    markWeight(read.error);
    exposed.refused++;
    return;
  }
  markWeight(null);
  if (picked) send({ type: 'set-weight', edge: picked, value: read.value });
});
if (pauseFlag) send({ type: 'pause-flag', flag: pauseFlag });
const network = $<HTMLCanvasElement>('network').transferControlToOffscreen();
const boundary = $<HTMLCanvasElement>('boundary').transferControlToOffscreen();
const curves = $<HTMLCanvasElement>('curves').transferControlToOffscreen();
worker.postMessage({ type: 'canvas', network, boundary, curves } satisfies ToWorker, [network, boundary, curves]);
exposed.networkInWorker = true;

reset();
