/**
 * What `--data` names, loaded for the CLI: the seeded 2-D generators, a CSV file (x1, x2, …,
 * label), a dataset fixture JSON, an IDX directory, the MNIST digits of the mnist package, Fashion-MNIST.
 */
import * as datasets from '../datasets/index.js';
import type { TensorLike } from '../model/input.js';
import { MAX_CSV_FILE_BYTES, readInput } from './files.js';
import { csvTargets, type TaskFlag } from './targets.js';
import { UsageError } from './usage-error.js';

/** Loaded data: rows (nested for 2-D tables, TensorLike for images), labels, and a test part when the source has one. */
export interface LoadedData {
  name: string;
  x: number[][] | TensorLike;
  /** Class indices (classification) or target rows (regression). */
  y: number[] | Uint8Array | number[][];
  features: number;
  /** Classes (classification) or target columns (regression). */
  classes: number;
  task: 'classification' | 'regression';
  test?: { x: number[][] | TensorLike; y: number[] | Uint8Array };
  /** Image shape [h, w] for image data. */
  image?: [number, number];
  /** Class names in index order (CSV text labels). */
  labels?: string[];
  /** Column names from a CSV header. */
  featureNames?: string[];
  targetNames?: string[];
}

/** Generator options the CLI passes on, and how a CSV's targets are read. */
export interface DataOptions {
  n?: number;
  noise?: number;
  classes?: number;
  seed: number;
  task?: TaskFlag;
  targets?: number;
}

export const DATA_NAMES = 'xor, linear, moons, flower, circles, spirals, blobs, digits, fashion, csv:FILE, json:FILE, idx:DIR';

function classCount(y: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < y.length; i++) max = Math.max(max, y[i]);
  return max + 1;
}

function table(name: string, d: { x: number[][]; y: number[] }): LoadedData {
  return { name, x: d.x, y: d.y, features: d.x[0]?.length ?? 0, classes: classCount(d.y), task: 'classification' };
}

/** Loads `spec` (see DATA_NAMES); throws UsageError for an unknown name or unreadable file. */
export async function loadData(spec: string, o: DataOptions): Promise<LoadedData> {
  const [kind, ...rest] = spec.split(':');
  const arg = rest.join(':');
  const seed = o.seed;
  switch (kind) {
    case 'xor':
      return table('xor', datasets.xor({ n: o.n ?? 4, noise: o.noise, seed }));
    case 'linear':
      return table('linear', datasets.linear({ n: o.n, seed }));
    case 'moons':
      return table('moons', datasets.moons({ n: o.n ?? 1000, noise: o.noise ?? 0.2, seed }));
    case 'flower':
      return table('flower', datasets.flower({ m: o.n ?? 400, seed }));
    case 'circles':
      return table('circles', datasets.circles({ n: o.n ?? 500, noise: o.noise ?? 0.1, seed }));
    case 'spiral':
    case 'spirals':
      return table('spirals', datasets.spirals({ n: o.n ?? 600, k: o.classes ?? 2, noise: o.noise ?? 0.05, seed }));
    case 'blobs':
      return table('blobs', datasets.blobs({ n: o.n ?? 500, k: o.classes ?? 3, seed }));
    case 'csv': {
      if (!arg) throw new UsageError('--data csv:FILE needs a file name');
      const t = csvTargets(await readText(arg), o.task ?? 'auto', o.targets ?? 1);
      return {
        name: `csv:${arg}`,
        x: t.x,
        y: t.y,
        features: t.x[0].length,
        classes: t.outputs,
        task: t.task,
        labels: t.labels,
        featureNames: t.featureNames,
        targetNames: t.targetNames,
      };
    }
    case 'json': {
      if (!arg) throw new UsageError('--data json:FILE needs a file name');
      return table(`json:${arg}`, datasets.fromFixture(await readText(arg)));
    }
    case 'digits':
    case 'mnist':
      return images('digits', await datasets.digits());
    case 'fashion':
      return images('fashion', await datasets.fashionMNIST());
    case 'idx': {
      if (!arg) throw new UsageError('--data idx:DIR needs a directory');
      return images(`idx:${arg}`, await datasets.loadIDXDirectory(arg));
    }
  }
  throw new UsageError(`unknown --data '${spec}' (valid: ${DATA_NAMES})`);
}

async function readText(file: string): Promise<string> {
  return new TextDecoder().decode(await readInput(file, MAX_CSV_FILE_BYTES, 'data'));
}

interface ImageSplit {
  x: Float32Array;
  y: Uint8Array;
  rows: number;
  shape: number[];
}
function images(name: string, d: { train: ImageSplit; test: ImageSplit }): LoadedData {
  const [, h, w] = d.train.shape;
  return {
    name,
    x: { data: d.train.x, shape: d.train.shape },
    y: d.train.y,
    features: h * w,
    classes: 10,
    task: 'classification',
    test: { x: { data: d.test.x, shape: d.test.shape }, y: d.test.y },
    image: [h, w],
  };
}
