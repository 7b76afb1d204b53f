/** Isotropic Gaussian blobs (scikit-learn's make_blobs), one class per centre. */
import { ShapeError, ValueError, describe } from '../errors.js';
import type { Dataset } from './options.js';
import { MAX_POINTS, checkInteger, checkNumber, checkRows, readOptions, seededRandom } from './options.js';

/** Options of blobs(). */
export interface BlobsOptions {
  /** Number of points, >= k (default 100), shared as evenly as possible between the classes. */
  n?: number;
  /** Number of classes (default 3, or the number of `centers` when those are given). */
  k?: number;
  /** Standard deviation of each blob, per coordinate (default 1). */
  std?: number;
  /** Fixed centres, one row per class; when absent they are drawn uniformly from `box`. */
  centers?: number[][];
  /** Dimensions of the drawn centres (default 2; ignored when `centers` is given). */
  dims?: number;
  /** The range [lo, hi) each coordinate of a drawn centre comes from (default [-10, 10]). */
  box?: [number, number];
  /** Seed (default 0). */
  seed?: number;
}

/**
 * make_blobs without the final shuffle: class c (label c) gets ⌊n/k⌋ points, one more for the
 * first n mod k classes, each its centre plus N(0, std²) per coordinate. Without `centers`, the
 * k centres are drawn first (row by row, uniform in `box`), then the points. Rows are grouped by
 * class. Same seed, same points. Returns new arrays; `centers` is not mutated.
 */
export function blobs(options?: BlobsOptions): Dataset & { centers: number[][] } {
  const o = readOptions('blobs', options, ['n', 'k', 'std', 'centers', 'dims', 'box', 'seed']);
  const std = checkNumber('blobs', 'std', o.std ?? 1, 0);
  const random = seededRandom('blobs', o.seed ?? 0);
  let centers: number[][];
  let k: number;
  if (o.centers !== undefined) {
    checkRows('blobs', 'centers', o.centers);
    centers = (o.centers as number[][]).map((c) => c.slice());
    k = centers.length;
    if (o.k !== undefined && o.k !== k) {
      throw new ShapeError(`blobs: k is ${describe(o.k)} but ${k} centers were given`);
    }
    if (centers[0].length === 0) throw new ShapeError('blobs: centers must have at least one coordinate');
  } else {
    k = checkInteger('blobs', 'k', o.k ?? 3, 1, 100000);
    const dims = checkInteger('blobs', 'dims', o.dims ?? 2, 1, 100000);
    if (k * dims > 10 * MAX_POINTS) throw new ValueError(`blobs: k × dims = ${k} × ${dims} centre coordinates is more than the limit of ${10 * MAX_POINTS}`);
    const box = o.box ?? [-10, 10];
    if (!Array.isArray(box) || box.length !== 2) throw new ValueError(`blobs: box must be [lo, hi], got ${describe(box)}`);
    const lo = checkNumber('blobs', 'box[0]', box[0]);
    const hi = checkNumber('blobs', 'box[1]', box[1], lo);
    centers = [];
    for (let c = 0; c < k; c++) {
      const center: number[] = [];
      for (let d = 0; d < dims; d++) center.push(random.uniform(lo, hi));
      centers.push(center);
    }
  }
  const n = checkInteger('blobs', 'n', o.n ?? 100, k, MAX_POINTS);
  if (n * centers[0].length > 10 * MAX_POINTS)
    throw new ValueError(`blobs: n × dims = ${n} × ${centers[0].length} values is more than the limit of ${10 * MAX_POINTS}`);
  const x: number[][] = [];
  const y: number[] = [];
  for (let c = 0; c < k; c++) {
    const count = Math.floor(n / k) + (c < n % k ? 1 : 0);
    for (let i = 0; i < count; i++) {
      x.push(centers[c].map((m) => m + random.normal(0, std)));
      y.push(c);
    }
  }
  return { x, y, centers };
}
