/**
 * The playground's whole state — data, inputs, network, training settings and both seeds — and
 * its round trip through the URL hash, so a link reproduces a run exactly.
 */

/** The data sets offered (csv: an uploaded file of x1,x2,label or x1,x2,y rows). */
export const DATASETS = ['xor', 'circles', 'moons', 'flower', 'spirals', 'blobs', 'plane', 'gaussians', 'csv'] as const;
export type DatasetName = (typeof DATASETS)[number];

/** The generated data sets whose target is a real number over the plane (a linear output). */
export const REGRESSION_DATASETS: readonly DatasetName[] = ['plane', 'gaussians'];

/** What the output is: class probabilities, or one real value. */
export type Task = 'classification' | 'regression';

/** Input features computed from a point (x1, x2). */
export const FEATURES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'] as const;
export type FeatureName = (typeof FEATURES)[number];

/** Labels shown for the features. */
export const FEATURE_LABELS: Record<FeatureName, string> = {
  x1: 'x₁',
  x2: 'x₂',
  x1sq: 'x₁²',
  x2sq: 'x₂²',
  x1x2: 'x₁·x₂',
  sinx1: 'sin x₁',
  sinx2: 'sin x₂',
};

/** Activations a hidden layer may use. */
export const HIDDEN_ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'leaky_relu', 'identity'] as const;
export type HiddenActivation = (typeof HIDDEN_ACTIVATIONS)[number];

/**
 * Classification: cross_entropy (softmax_ce on the output's logits) or mse (squared error of the
 * softmax output). Regression, on the linear output: mse, mae or huber (delta 1).
 */
export const LOSSES = ['cross_entropy', 'mse', 'mae', 'huber'] as const;
export type LossChoice = (typeof LOSSES)[number];

/** The losses each task offers, the first being the one a task switch falls back to. */
export const TASK_LOSSES: Record<Task, readonly LossChoice[]> = {
  classification: ['cross_entropy', 'mse'],
  regression: ['mse', 'mae', 'huber'],
};

/** The loss itself when the task offers it, else the task's first. */
export function lossForTask(task: Task, loss: LossChoice): LossChoice {
  return TASK_LOSSES[task].includes(loss) ? loss : TASK_LOSSES[task][0];
}

/** The largest |w| an edited weight may take (beyond it tanh and sigmoid units saturate for good). */
export const MAX_EDIT_WEIGHT = 1000;

/**
 * A weight set by hand: W of Dense layer `layer`, row `i` (input unit), column `j` (output unit),
 * given `value` once the run had taken `step` training steps. The URL keeps them, so a link
 * replays the edits at the same steps.
 */
export interface WeightEdit {
  step: number;
  layer: number;
  i: number;
  j: number;
  value: number;
}

export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export type OptimizerChoice = (typeof OPTIMIZERS)[number];

/** Limits of the network editor. */
export const MAX_LAYERS = 6;
export const MAX_UNITS = 64;

/** One hidden layer. */
export interface HiddenLayer {
  units: number;
  activation: HiddenActivation;
}

/** Everything that determines a run. */
export interface PlaygroundState {
  dataset: DatasetName;
  /** Number of points generated. */
  points: number;
  /** Noise of the generator (standard deviation, in the generator's own units). */
  noise: number;
  /** Fraction of the points used for training; the rest is the test set. */
  trainRatio: number;
  /** Classes for the generators that take a count (spirals, blobs). */
  classes: number;
  /** Seed of the data and of the train/test split (regenerate draws a new one). */
  dataSeed: number;
  features: FeatureName[];
  layers: HiddenLayer[];
  loss: LossChoice;
  optimizer: OptimizerChoice;
  lr: number;
  batchSize: number;
  /** L2 weight decay on the weights (not the biases). */
  l2: number;
  /** Seed of the initial weights and of every epoch's shuffle. */
  seed: number;
  /** Weights set by hand during the run, in the order they were made. */
  edits: WeightEdit[];
}

/** The page's first state: moons with a small tanh network that separates them in seconds. */
export const DEFAULT_STATE: PlaygroundState = {
  dataset: 'moons',
  points: 400,
  noise: 0.1,
  trainRatio: 0.5,
  classes: 3,
  dataSeed: 1,
  features: ['x1', 'x2'],
  layers: [
    { units: 8, activation: 'tanh' },
    { units: 8, activation: 'tanh' },
  ],
  loss: 'cross_entropy',
  optimizer: 'adam',
  lr: 0.03,
  batchSize: 10,
  l2: 0,
  seed: 1,
  edits: [],
};

/** Writes the state as a hash: `#data=moons&n=400&...&net=8.tanh-8.tanh&seed=1`. */
export function encodeState(s: PlaygroundState): string {
  const p = new URLSearchParams();
  p.set('data', s.dataset);
  p.set('n', String(s.points));
  p.set('noise', String(s.noise));
  p.set('train', String(s.trainRatio));
  p.set('classes', String(s.classes));
  p.set('dseed', String(s.dataSeed));
  p.set('in', s.features.join(','));
  p.set('net', s.layers.map((l) => `${l.units}.${l.activation}`).join('-'));
  p.set('loss', s.loss);
  p.set('opt', s.optimizer);
  p.set('lr', String(s.lr));
  p.set('batch', String(s.batchSize));
  p.set('l2', String(s.l2));
  p.set('seed', String(s.seed));
  if (s.edits.length > 0) p.set('edits', s.edits.map((e) => [e.step, e.layer, e.i, e.j, e.value].join('_')).join(','));
  return '#' + p.toString().replace(/%2C/g, ',');
}

function pick<T extends string>(value: string | null, valid: readonly T[], fallback: T): T {
  return value !== null && (valid as readonly string[]).includes(value) ? (value as T) : fallback;
}

function num(value: string | null, fallback: number, min: number, max: number, integer = false): number {
  if (value === null || value.trim() === '') return fallback;
  const v = Number(value);
  if (!Number.isFinite(v) || (integer && !Number.isInteger(v))) return fallback;
  return Math.min(max, Math.max(min, v));
}

/** The edits of a hash (`step_layer_i_j_value` joined by commas); malformed entries are left out. */
function decodeEdits(text: string | null): WeightEdit[] {
  if (text === null || text === '') return [];
  const out: WeightEdit[] = [];
  for (const part of text.split(',')) {
    const f = part.split('_').map(Number);
    const [step, layer, i, j, value] = f;
    if (f.length !== 5 || ![step, layer, i, j].every((v) => Number.isInteger(v) && v >= 0) || !(Math.abs(value) <= MAX_EDIT_WEIGHT)) continue;
    out.push({ step, layer, i, j, value });
  }
  return out.sort((a, b) => a.step - b.step);
}

/** Reads a hash back; anything missing or invalid takes its default, so any link opens a page. */
export function decodeState(hash: string): PlaygroundState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const d = DEFAULT_STATE;
  const features = (p.get('in') ?? '').split(',').filter((f): f is FeatureName => (FEATURES as readonly string[]).includes(f));
  const layers: HiddenLayer[] = [];
  const net = p.get('net');
  if (net !== null && net !== '') {
    for (const part of net.split('-').slice(0, MAX_LAYERS)) {
      const [units, activation] = part.split('.');
      layers.push({ units: num(units, 4, 1, MAX_UNITS, true), activation: pick(activation ?? null, HIDDEN_ACTIVATIONS, 'tanh') });
    }
  }
  return {
    dataset: pick(p.get('data'), DATASETS, d.dataset),
    points: num(p.get('n'), d.points, 20, 2000, true),
    noise: num(p.get('noise'), d.noise, 0, 1),
    trainRatio: num(p.get('train'), d.trainRatio, 0.1, 0.9),
    classes: num(p.get('classes'), d.classes, 2, 6, true),
    dataSeed: num(p.get('dseed'), d.dataSeed, 0, 2 ** 32 - 1, true),
    features: features.length > 0 ? [...new Set(features)] : d.features.slice(),
    layers: net === null ? d.layers.map((l) => ({ ...l })) : layers,
    loss: pick(p.get('loss'), LOSSES, d.loss),
    optimizer: pick(p.get('opt'), OPTIMIZERS, d.optimizer),
    lr: num(p.get('lr'), d.lr, 1e-6, 10),
    batchSize: num(p.get('batch'), d.batchSize, 1, 2000, true),
    l2: num(p.get('l2'), d.l2, 0, 1),
    seed: num(p.get('seed'), d.seed, 0, 2 ** 32 - 1, true),
    edits: decodeEdits(p.get('edits')),
  };
}
