/**
 * The standard benchmark workloads of ../shared/WORKLOADS.md, as data: the same data, network,
 * initialisation, loss, optimiser and schedule for every system measured. The `wasmlp bench`
 * command and the peer runners in bench/ both read these definitions, so a workload is defined
 * once. Node only (the data loaders read files).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ActivationName, LossName } from '../plan.js';
import type { InitializerSpec } from '../initializers.js';
import { digits } from '../datasets/digits.js';
import { loadDataset } from '../datasets/fixture.js';
import { flower } from '../datasets/flower.js';
import { fashionMNIST, FASHION_MNIST_DIR } from '../datasets/mnist.js';
import { moons } from '../datasets/moons.js';
import { xor } from '../datasets/xor.js';

/** The workload names, in the order of WORKLOADS.md. */
export const WORKLOAD_IDS = ['xor', 'moons-small', 'moons-deep', 'flower', 'mnist-mlp', 'mnist-wide', 'infer-b1', 'infer-b1024'] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

/** One Dense layer and the activation after it ('identity' = none: logits). */
export interface LayerSpec {
  units: number;
  activation: ActivationName;
  init: InitializerSpec;
  biasInit: InitializerSpec;
}

/** A workload: what to train (or run) and how. */
export interface Workload {
  id: WorkloadId;
  /** The seed tutorial it comes from ('-' for none). */
  seed: string;
  /** 'train': timed fit; 'infer': timed forward passes of the test images. */
  kind: 'train' | 'infer';
  inputs: number;
  layers: LayerSpec[];
  /** wasmlp's loss name (see README "Losses"): the same maths is written out for each peer. */
  loss: LossName;
  /** Plain SGD learning rate (no momentum, no weight decay). */
  lr: number;
  /** Rows per step; 0 means the whole data set (full-batch gradient descent). */
  batch: number;
  epochs: number;
  /** Rows per forward call for 'infer' workloads. */
  inferBatch?: number;
  /** Seed of the initial weights (wasmlp's Random; every system gets the same numbers). */
  weightSeed: number;
  /** One line: data, network, loss, optimiser, schedule. */
  summary: string;
}

const randn = (scale: number): InitializerSpec => ({ name: 'randn', scale });
const zero: InitializerSpec = 'zeros';
const layer = (units: number, activation: ActivationName, init: InitializerSpec, biasInit: InitializerSpec = zero): LayerSpec => ({
  units,
  activation,
  init,
  biasInit,
});

/** Every workload by id. */
export const WORKLOADS: Readonly<Record<WorkloadId, Workload>> = {
  xor: {
    id: 'xor',
    seed: '002',
    kind: 'train',
    inputs: 2,
    layers: [layer(4, 'tanh', randn(0.5), randn(0.5)), layer(1, 'sigmoid', randn(0.5), randn(0.5))],
    loss: 'mse',
    lr: 0.5,
    batch: 0,
    epochs: 5000,
    weightSeed: 2,
    summary: '4 XOR points, 2-4 tanh-1 sigmoid (randn*0.5), MSE, SGD lr 0.5 full batch, 5000 epochs',
  },
  'moons-small': {
    id: 'moons-small',
    seed: '001',
    kind: 'train',
    inputs: 2,
    layers: [layer(4, 'sigmoid', 'randn_fan_in'), layer(2, 'sigmoid', 'randn_fan_in')],
    loss: 'sse',
    lr: 0.01,
    batch: 0,
    epochs: 2000,
    weightSeed: 0,
    summary: 'make_moons n=200 noise 0.2, one-hot, 2-4 sigmoid-2 sigmoid (randn/sqrt(fan_in)), SSE summed, GD lr 0.01 full batch, 2000 epochs',
  },
  'moons-deep': {
    id: 'moons-deep',
    seed: '004',
    kind: 'train',
    inputs: 2,
    layers: [layer(64, 'relu', randn(1)), layer(32, 'sigmoid', randn(1)), layer(16, 'sigmoid', randn(1)), layer(1, 'sigmoid', randn(1))],
    loss: 'mse',
    lr: 0.8,
    batch: 0,
    epochs: 3000,
    weightSeed: 4,
    summary: 'make_moons n=1000 noise 0.2 rs 666, 2-64 relu-32 sigmoid-16 sigmoid-1 sigmoid (randn), MSE, SGD lr 0.8 full batch, 3000 epochs',
  },
  flower: {
    id: 'flower',
    seed: '000',
    kind: 'train',
    inputs: 2,
    layers: [layer(4, 'tanh', randn(0.01)), layer(1, 'identity', randn(0.01))],
    loss: 'bce_logits',
    lr: 1.0,
    batch: 0,
    epochs: 10000,
    weightSeed: 1,
    summary: 'planar flower m=400 a=4, 2-4 tanh-1 (randn*0.01), BCE with logits, SGD lr 1 full batch, 10000 epochs',
  },
  'mnist-mlp': {
    id: 'mnist-mlp',
    seed: '002',
    kind: 'train',
    inputs: 784,
    layers: [layer(64, 'relu', { name: 'normal', std: 0.01 }), layer(10, 'identity', { name: 'normal', std: 0.01 })],
    loss: 'softmax_ce',
    lr: 0.1,
    batch: 64,
    epochs: 1,
    weightSeed: 2,
    summary: 'Fashion-MNIST 60000x784, 784-64 relu-10 (normal 0.01), softmax CE, SGD lr 0.1 batch 64 no shuffle, 1 epoch',
  },
  'mnist-wide': {
    id: 'mnist-wide',
    seed: '-',
    kind: 'train',
    inputs: 784,
    layers: [layer(256, 'relu', 'he_normal'), layer(128, 'relu', 'he_normal'), layer(10, 'identity', 'he_normal')],
    loss: 'softmax_ce',
    lr: 0.05,
    batch: 128,
    epochs: 1,
    weightSeed: 3,
    summary: 'Fashion-MNIST, 784-256 relu-128 relu-10 (He normal), softmax CE, SGD lr 0.05 batch 128, 1 epoch',
  },
  'infer-b1': {
    id: 'infer-b1',
    seed: '-',
    kind: 'infer',
    inputs: 784,
    layers: [layer(64, 'relu', { name: 'normal', std: 0.01 }), layer(10, 'identity', { name: 'normal', std: 0.01 })],
    loss: 'softmax_ce',
    lr: 0.1,
    batch: 64,
    epochs: 1,
    inferBatch: 1,
    weightSeed: 2,
    summary: 'mnist-mlp network (trained by wasmlp, same weights for all), forward of 10000 test images one at a time',
  },
  'infer-b1024': {
    id: 'infer-b1024',
    seed: '-',
    kind: 'infer',
    inputs: 784,
    layers: [layer(256, 'relu', 'he_normal'), layer(128, 'relu', 'he_normal'), layer(10, 'identity', 'he_normal')],
    loss: 'softmax_ce',
    lr: 0.05,
    batch: 128,
    epochs: 1,
    inferBatch: 1024,
    weightSeed: 3,
    summary: 'mnist-wide network (trained by wasmlp, same weights for all), forward in batches of 1024 over the 10000 test images',
  },
};

/** Looks a workload up; throws an Error listing the valid names. */
export function getWorkload(id: string): Workload {
  if (!(WORKLOAD_IDS as readonly string[]).includes(id)) throw new Error(`unknown workload '${id}' (valid: ${WORKLOAD_IDS.join(', ')})`);
  return WORKLOADS[id as WorkloadId];
}

/** Rows of one split: inputs, class labels and the loss's targets, all flat. */
export interface Split {
  x: Float32Array;
  rows: number;
  labels: Uint8Array;
  /** rows × targetCols: one-hot for several outputs, the 0/1 label for one. */
  targets: Float32Array;
  targetCols: number;
}

/** A workload's data: the training split, the test split where the workload has one, and where it came from. */
export interface WorkloadData {
  train: Split;
  test: Split | null;
  /** e.g. "Fashion-MNIST (/usr/share/datasets/fashion-mnist)" or "the seed's exact points (fixture)". */
  source: string;
  /** False when the MNIST rows use the mnist package's digits because Fashion-MNIST is absent. */
  faithful: boolean;
}

/** Output width of a workload's network. */
export function outputsOf(w: Workload): number {
  return w.layers[w.layers.length - 1].units;
}

/** Builds a Split from flat x and class labels, with targets for `cols` outputs. */
export function makeSplit(x: Float32Array, labels: ArrayLike<number>, cols: number): Split {
  const rows = labels.length;
  const targets = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    if (cols === 1) targets[r] = labels[r];
    else targets[r * cols + labels[r]] = 1;
  }
  return { x, rows, labels: Uint8Array.from(labels), targets, targetCols: cols };
}

/** Flattens rows of points to a Float32Array. */
function flat(rows: readonly (readonly number[])[]): Float32Array {
  const cols = rows[0]?.length ?? 0;
  const out = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => out.set(r, i * cols));
  return out;
}

/** ../shared/fixtures beside the checkout, where the seeds' exact points are. */
const FIXTURES = new URL('../../../shared/fixtures/', import.meta.url);

/** The seed's exact points from a fixture file when present, else wasmlp's seeded generator. */
async function points(file: string, fallback: () => { x: number[][]; y: number[] }): Promise<{ x: number[][]; y: number[]; source: string }> {
  const path = fileURLToPath(new URL(file, FIXTURES));
  if (existsSync(path)) return { ...(await loadDataset(path)), source: `the tutorial's exact points (${file})` };
  return { ...fallback(), source: "wasmlp's seeded generator (the tutorial's exact points are not beside this checkout)" };
}

let mnistCache: Promise<{ train: { x: Float32Array; y: Uint8Array }; test: { x: Float32Array; y: Uint8Array }; source: string; faithful: boolean }> | null =
  null;

/** Fashion-MNIST from the Debian package, or (when absent) the MNIST digits of the mnist package; cached. */
function mnistData() {
  mnistCache ??= (async () => {
    if (existsSync(FASHION_MNIST_DIR)) {
      const d = await fashionMNIST();
      return { train: d.train, test: d.test, source: `Fashion-MNIST (${FASHION_MNIST_DIR}), 60000 train / 10000 test`, faithful: true };
    }
    const d = await digits();
    return {
      train: d.train,
      test: d.test,
      faithful: false,
      source: `Fashion-MNIST is absent (install the Debian package dataset-fashion-mnist): the MNIST digits of the mnist package instead, ${d.train.rows} train / ${d.test.rows} test`,
    };
  })();
  return mnistCache;
}

/** Loads (or generates) a workload's data. The same call returns the same numbers. */
export async function loadWorkloadData(w: Workload): Promise<WorkloadData> {
  const cols = outputsOf(w);
  const toy = async (file: string, gen: () => { x: number[][]; y: number[] }): Promise<WorkloadData> => {
    const p = await points(file, gen);
    return { train: makeSplit(flat(p.x), p.y, cols), test: null, source: p.source, faithful: true };
  };
  switch (w.id) {
    case 'xor': {
      const d = xor();
      return { train: makeSplit(flat(d.x), d.y, cols), test: null, source: 'the 4 XOR corners', faithful: true };
    }
    case 'moons-small':
      return toy('data_moons200_seed0.json', () => moons({ n: 200, noise: 0.2, seed: 0 }));
    case 'moons-deep':
      return toy('data_moons1000_rs666.json', () => moons({ n: 1000, noise: 0.2, seed: 666 }));
    case 'flower':
      return toy('data_flower400_seed1.json', () => flower({ m: 400, a: 4, seed: 1 }));
    default: {
      const m = await mnistData();
      return { train: makeSplit(m.train.x, m.train.y, cols), test: makeSplit(m.test.x, m.test.y, cols), source: m.source, faithful: m.faithful };
    }
  }
}

/** Rows per training step of a workload on `rows` rows (full batch when `batch` is 0). */
export function batchRows(w: Workload, rows: number): number {
  return w.batch === 0 ? rows : Math.min(w.batch, rows);
}

/** FLOPs of one training step on `b` rows: forward 2·b·in·out, backward twice that (the first layer's input gradient skipped). */
export function stepFlops(w: Workload, b: number): number {
  let flops = 0;
  let width = w.inputs;
  w.layers.forEach((l, i) => {
    const mm = 2 * b * width * l.units;
    flops += mm * (i === 0 ? 2 : 3);
    width = l.units;
  });
  return flops;
}

/** FLOPs of a forward pass of `b` rows. */
export function forwardFlops(w: Workload, b: number): number {
  let flops = 0;
  let width = w.inputs;
  for (const l of w.layers) {
    flops += 2 * b * width * l.units;
    width = l.units;
  }
  return flops;
}
