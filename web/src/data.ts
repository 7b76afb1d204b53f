/**
 * The playground's data: a generated (or uploaded) 2-D set scaled into the view's square, split
 * into train and test with the data seed, and the input features computed from (x1, x2).
 */
import { datasets, parseCSV, Random } from 'wasmlp';
import { REGRESSION_DATASETS, type FeatureName, type PlaygroundState, type Task } from './state.js';
import { regressionPoints } from './regression-data.js';

/** The view shows [-DOMAIN, DOMAIN]²; every data set is scaled into it (keeping its aspect). */
export const DOMAIN = 3;

/** Points with integer labels 0..classes-1 (classification) or real targets (regression, classes 1: one output). */
export interface Points {
  x: number[][];
  y: number[];
  classes: number;
  task: Task;
}

/** A split ready for training. */
export interface PlaygroundData {
  train: Points;
  test: Points;
  /** Output units: the class count, or 1 for a regression. */
  classes: number;
  task: Task;
  /** A regression's targets span [-range, range] (the heatmap's scale); 1 for classification. */
  range: number;
  /** How the raw points were scaled into the view: view = (raw - center) · factor, both axes. */
  scaling: { center: [number, number]; factor: number };
}

/** Most distinct integer labels a CSV may have to be read as classes. */
export const MAX_CSV_CLASSES = 10;

/**
 * Rows of an uploaded CSV, kept on the page (too big for the URL): x1, x2 and a third column that
 * is a class label when it holds 2 to MAX_CSV_CLASSES distinct integers, else a real-valued
 * target (a regression). Throws an Error naming the problem for any other shape.
 */
export function parseUpload(text: string): Points {
  const { rows } = parseCSV(text);
  if (rows[0].length !== 3) throw new Error(`the CSV needs 3 columns (x1, x2, label or target), it has ${rows[0].length}`);
  const x = rows.map((r) => [r[0], r[1]]);
  const labels = [...new Set(rows.map((r) => r[2]))].sort((a, b) => a - b);
  if (labels.length < 2) throw new Error('the CSV needs at least 2 distinct labels or target values');
  if (labels.length <= MAX_CSV_CLASSES && labels.every((l) => Number.isInteger(l))) {
    const index = new Map(labels.map((l, i) => [l, i]));
    return { x, y: rows.map((r) => index.get(r[2])!), classes: labels.length, task: 'classification' };
  }
  return { x, y: rows.map((r) => r[2]), classes: 1, task: 'regression' };
}

/** The task of the state's data: the regression sets', an upload's own, else classification. */
export function taskOf(s: PlaygroundState, upload: Points | null): Task {
  if (REGRESSION_DATASETS.includes(s.dataset)) return 'regression';
  return s.dataset === 'csv' && upload ? upload.task : 'classification';
}

/** Adds N(0, sd²) to each coordinate, for the generators without a noise option of their own. */
function jitter(x: number[][], sd: number, seed: number): number[][] {
  if (sd === 0) return x;
  const r = new Random((seed ^ 0x5bd1e995) >>> 0);
  return x.map((p) => p.map((v) => v + sd * r.normal()));
}

/** The raw points of the state's data set (before scaling). */
function generate(s: PlaygroundState, upload: Points | null): Points {
  const n = s.points;
  const seed = s.dataSeed;
  switch (s.dataset) {
    case 'xor':
      return { ...datasets.xor({ n, noise: s.noise, seed }), classes: 2, task: 'classification' };
    case 'moons':
      return { ...datasets.moons({ n, noise: s.noise, seed }), classes: 2, task: 'classification' };
    case 'circles':
      return { ...datasets.circles({ n, noise: s.noise * 0.5, factor: 0.5, seed }), classes: 2, task: 'classification' };
    case 'flower': {
      const d = datasets.flower({ m: n - (n % 2), seed });
      return { x: jitter(d.x, s.noise * 4, seed), y: d.y, classes: 2, task: 'classification' };
    }
    case 'spirals':
      return { ...datasets.spirals({ n, k: s.classes, noise: s.noise * 0.5, turns: 1, seed }), classes: s.classes, task: 'classification' };
    case 'blobs': {
      const d = datasets.blobs({ n, k: s.classes, std: 0.5 + s.noise * 10, seed });
      return { x: d.x, y: d.y, classes: s.classes, task: 'classification' };
    }
    case 'plane':
    case 'gaussians':
      return { ...regressionPoints(s.dataset, n, s.noise, seed), classes: 1, task: 'regression' };
    case 'csv':
      if (upload === null) throw new Error('choose a CSV file first');
      return upload;
  }
}

/** Scales points into [-0.9·DOMAIN, 0.9·DOMAIN]² around their centre, one factor for both axes; returns the points and that scaling. */
function fitToView(x: number[][]): { x: number[][]; scaling: PlaygroundData['scaling'] } {
  let lo = [Infinity, Infinity];
  let hi = [-Infinity, -Infinity];
  for (const [a, b] of x) {
    lo = [Math.min(lo[0], a), Math.min(lo[1], b)];
    hi = [Math.max(hi[0], a), Math.max(hi[1], b)];
  }
  const c = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2];
  const half = Math.max(hi[0] - lo[0], hi[1] - lo[1], 1e-9) / 2;
  const k = (0.9 * DOMAIN) / half;
  return { x: x.map(([a, b]) => [(a - c[0]) * k, (b - c[1]) * k]), scaling: { center: [c[0], c[1]], factor: k } };
}

/** Generates, scales and splits the data (stratified, seeded: same state, same split). */
export function makeData(s: PlaygroundState, upload: Points | null): PlaygroundData {
  const raw = generate(s, upload);
  const { x, scaling } = fitToView(raw.x);
  const regression = raw.task === 'regression';
  // Stratified for classes (each class in both sets); a real target has no strata.
  const split = datasets.trainTestSplit(x, raw.y, { testSize: 1 - s.trainRatio, seed: s.dataSeed, stratify: !regression });
  const range = regression ? raw.y.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-9) : 1;
  return {
    train: { x: split.xTrain, y: split.yTrain as number[], classes: raw.classes, task: raw.task },
    test: { x: split.xTest, y: split.yTest as number[], classes: raw.classes, task: raw.task },
    classes: raw.classes,
    task: raw.task,
    range,
    scaling,
  };
}

/** The value of one feature at (x1, x2). */
export function feature(name: FeatureName, x1: number, x2: number): number {
  switch (name) {
    case 'x1':
      return x1;
    case 'x2':
      return x2;
    case 'x1sq':
      return x1 * x1;
    case 'x2sq':
      return x2 * x2;
    case 'x1x2':
      return x1 * x2;
    case 'sinx1':
      return Math.sin(x1);
    case 'sinx2':
      return Math.sin(x2);
  }
}

/** Feature rows of points, packed row-major into a Float32Array (what the model takes fastest). */
export function featureMatrix(points: number[][], names: readonly FeatureName[]): Float32Array {
  const out = new Float32Array(points.length * names.length);
  let k = 0;
  for (const [x1, x2] of points) for (const f of names) out[k++] = feature(f, x1, x2);
  return out;
}

/** The centres of a size×size grid over the view, row by row from the top (x2 = +DOMAIN). */
export function gridPoints(size: number): number[][] {
  const pts: number[][] = [];
  for (let r = 0; r < size; r++) {
    const x2 = DOMAIN - ((r + 0.5) / size) * 2 * DOMAIN;
    for (let c = 0; c < size; c++) pts.push([-DOMAIN + ((c + 0.5) / size) * 2 * DOMAIN, x2]);
  }
  return pts;
}
