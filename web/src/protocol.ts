/**
 * Messages between the page and the training Worker. The page owns the state and the data; the
 * Worker owns the model and sends back frames: metrics, the decision grid, neuron heatmaps and
 * the weights, in transferable typed arrays.
 */
import type { HiddenLayer, PlaygroundState, Task, WeightEdit } from './state.js';

/** Side of the decision boundary's grid (a batched forward pass of GRID² points per frame). */
export const GRID = 100;
/** Side of each neuron's heatmap. */
export const NEURON_GRID = 20;

/**
 * What the Worker needs to build a model: the network part of the page's state (with the weight
 * edits to replay), the task, and the output units (the class count, or 1 for a regression).
 */
export type NetConfig = Pick<PlaygroundState, 'features' | 'layers' | 'loss' | 'optimizer' | 'lr' | 'batchSize' | 'l2' | 'seed' | 'edits'> & {
  classes: number;
  task: Task;
};

/** A neuron of the diagram: its column (0 inputs, 1.. hidden layers, last the outputs) and unit. */
export interface NeuronRef {
  column: number;
  unit: number;
}

/** Several values shown as their first few and their 2-norm (big layers are summarised). */
export interface Values {
  first: number[];
  size: number;
  norm: number;
  maxAbs: number;
}

/** What the panel shows of a hovered neuron; z, a, δ are of one row of a traced batch. */
export interface NeuronInfo {
  ref: NeuronRef;
  /** Which weights and row the numbers are of, in words ("the last step's batch, row 1"). */
  source: string;
  activation: string;
  z: number | null;
  a: number;
  delta: number | null;
  /** Mean |δ| over the traced rows (null for inputs). */
  meanAbsDelta: number | null;
  bias: number | null;
  /** The weights into the unit, from the previous column (null for inputs); `largest` is the input unit of the largest |w|. */
  incoming: (Values & { largest: number }) | null;
  /** The heatmap's scale: values span [-scale, scale] (probabilities [0, 1] for class outputs). */
  scale: number;
}

/** A link of the diagram: W of Dense `layer`, from unit i of its input to unit j of its output. */
export interface EdgeRef {
  layer: number;
  i: number;
  j: number;
}

/** A link's numbers: its weight and, from a trace on the current weights, its gradient dW and the update ΔW. */
export interface EdgeInfo {
  ref: EdgeRef;
  weight: number;
  gradient: number;
  update: number;
  source: string;
}

/** One traced layer of a step, summarised: the first row's z, a, δ; dW, db, ΔW as norms and first values. */
export interface LayerStep {
  name: string;
  activation: string;
  shape: [number, number];
  z: Values;
  a: Values;
  delta: Values;
  dW: Values;
  db: Values;
  dWUpdate: Values;
  dbUpdate: Values;
  updateRatio: number;
}

/** The step panel: the single step just taken, as model.trace showed it before it was taken. */
export interface StepReport {
  /** Steps taken in the run, this one included, and the epoch it belongs to. */
  step: number;
  epoch: number;
  /** The batch: its rows of the training set, in order (the first one is the "row 1" shown). */
  rows: number;
  firstRow: number;
  loss: number;
  lr: number;
  layers: LayerStep[];
}

/** What the network diagram's links show. */
export type EdgeMode = 'weights' | 'gradients';

/** Page → Worker. */
export type ToWorker =
  | { type: 'setup'; run: number; config: NetConfig; train: { x: number[][]; y: number[] }; test: { x: number[][]; y: number[] } }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  /** One training step (one batch); the run's epoch advances when its last batch is done. */
  | { type: 'step-batch' }
  /** Hyper-parameters that continue the run: the weights and the epoch count stay (the optimiser restarts). */
  | { type: 'retune'; config: NetConfig }
  /** Pace while playing: at most this many epochs per second (null: as fast as it goes). */
  | { type: 'speed'; epochsPerSecond: number | null }
  /** The network diagram's, the large view's and the loss curves' canvases, transferred: the Worker draws them all. */
  | { type: 'canvas'; network: OffscreenCanvas; boundary: OffscreenCanvas; curves: OffscreenCanvas }
  /** What the diagram's links show: the weights, or the gradients dW of a trace (with each neuron's mean |δ|). */
  | { type: 'edges'; mode: EdgeMode }
  /** Whether the boundary view rings the test points. */
  | { type: 'show-test'; show: boolean }
  | { type: 'export' }
  | { type: 'import'; json: string }
  /** The pointer is over a neuron (its heatmap goes to the large view), or left the diagram (null). */
  | { type: 'hover'; neuron: NeuronRef | null }
  /** A link was clicked: send its numbers. */
  | { type: 'inspect-edge'; edge: EdgeRef }
  /** Set one weight of the live model; the run continues from it. */
  | { type: 'set-weight'; edge: EdgeRef; value: number }
  /** Int32Array over a SharedArrayBuffer: the page stores 1 at Pause, the Worker reads it after every batch. */
  | { type: 'pause-flag'; flag: Int32Array };

/**
 * One picture of the training, sent after setup, each step, and every ~50 ms while playing: only
 * numbers for the page's readouts (the Worker draws every view itself).
 */
export interface Frame {
  type: 'frame';
  /** The setup this frame belongs to: frames of an earlier run still in flight are dropped. */
  run: number;
  epoch: number;
  playing: boolean;
  /** Play messages the Worker has handled: a frame older than the page's last Play says nothing about playing. */
  plays: number;
  trainLoss: number;
  testLoss: number;
  trainAccuracy: number;
  testAccuracy: number;
  /** Losses of the epochs finished since the previous frame (train and test, one per epoch). */
  newTrainLosses: number[];
  newTestLosses: number[];
  samplesPerSecond: number;
  /** Epochs per second over the last chunk while playing (0 otherwise). */
  epochsPerSecond: number;
  /** Training steps taken in this run (batches). */
  steps: number;
  task: Task;
  /** W of the first Dense layer ([in][out] row-major): what the link editor's tests read back. */
  firstWeights: number[];
  /** Whether the diagram's links showed gradients (the backprop view) in this frame. */
  gradientsShown: boolean;
  /** Values of the large view's grid, and how many of them are distinct (a continuous map has thousands). */
  gridValues: number;
  gridDistinct: number;
}

/** Worker → page. */
export type FromWorker =
  | { type: 'ready'; backend: string }
  /** Sent as soon as a Pause has stopped training (before the frame, which takes longer to draw). */
  | { type: 'paused'; epoch: number; steps: number }
  | Frame
  | { type: 'model'; json: string }
  | { type: 'imported'; layers: HiddenLayer[] }
  | { type: 'neuron'; info: NeuronInfo }
  | { type: 'edge'; info: EdgeInfo }
  /** A weight was set, once the run had taken `edit.step` steps (the page records it in the URL). */
  | { type: 'weight-set'; edit: WeightEdit }
  | { type: 'step'; report: StepReport }
  | { type: 'error'; message: string };
