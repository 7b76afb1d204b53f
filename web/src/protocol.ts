/**
 * Messages between the page and the training Worker. The page owns the state and the data; the
 * Worker owns the model and sends back frames: metrics, the decision grid, neuron heatmaps and
 * the weights, in transferable typed arrays.
 */
import type { HiddenLayer, PlaygroundState } from './state.js';

/** Side of the decision boundary's grid (a batched forward pass of GRID² points per frame). */
export const GRID = 100;
/** Side of each neuron's heatmap. */
export const NEURON_GRID = 20;

/** What the Worker needs to build a model: the network part of the page's state, and the class count of the data. */
export type NetConfig = Pick<PlaygroundState, 'features' | 'layers' | 'loss' | 'optimizer' | 'lr' | 'batchSize' | 'l2' | 'seed'> & { classes: number };

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
  /** The network diagram's and the decision boundary's canvases, transferred: the Worker draws them. */
  | { type: 'canvas'; network: OffscreenCanvas; boundary: OffscreenCanvas }
  /** What the diagram's links show: the weights, or the gradients dW of a trace (with each neuron's mean |δ|). */
  | { type: 'edges'; mode: EdgeMode }
  /** Whether the boundary view rings the test points. */
  | { type: 'show-test'; show: boolean }
  | { type: 'export' }
  | { type: 'import'; json: string };

/** One picture of the training, sent after setup, each step, and every ~50 ms while playing. */
export interface Frame {
  type: 'frame';
  /** The setup this frame belongs to: frames of an earlier run still in flight are dropped. */
  run: number;
  epoch: number;
  playing: boolean;
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
  /** GRID² × classes probabilities, row-major from the top-left of the view. */
  grid: Float32Array;
  /** One array per column (inputs, each hidden layer, output): units × NEURON_GRID² values. */
  neurons: Float32Array[];
  /** Per Dense layer, W as [in][out] row-major. */
  weights: Float32Array[];
  /** In gradients mode: per Dense layer, dW of model.trace on the first training rows, and each unit's mean |δ|; else empty. */
  gradients: Float32Array[];
  deltas: Float32Array[];
}

/** Worker → page. */
export type FromWorker =
  | { type: 'ready'; backend: string }
  /** Sent as soon as a Pause has stopped training (before the frame, which takes longer to draw). */
  | { type: 'paused'; epoch: number; steps: number }
  | Frame
  | { type: 'model'; json: string }
  | { type: 'imported'; layers: HiddenLayer[] }
  | { type: 'error'; message: string };
