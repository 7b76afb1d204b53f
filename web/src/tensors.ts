/**
 * The Worker's data in the form the model takes fastest: feature rows packed in a Float32Array
 * with their shape, picked rows of them, and predictions flattened for transfer.
 */
import { featureMatrix } from './data.js';
import type { NetConfig } from './protocol.js';

/** Rows × columns of f32 values, row-major. */
export interface Tensor {
  data: Float32Array;
  shape: [number, number];
}
/** A set's feature rows and its targets (class indices or real values). */
export interface Split {
  x: Tensor;
  y: number[];
}

/** The feature rows of points. */
export function tensor(x: number[][], features: NetConfig['features']): Tensor {
  return { data: featureMatrix(x, features), shape: [x.length, features.length] };
}

/** The given rows of a split, copied, in the given order. */
export function rowsOf(split: Split, rows: readonly number[]): Split {
  const w = split.x.shape[1];
  const data = new Float32Array(rows.length * w);
  rows.forEach((r, k) => data.set(split.x.data.subarray(r * w, (r + 1) * w), k * w));
  return { x: { data, shape: [rows.length, w] }, y: rows.map((r) => split.y[r]) };
}

/** Rows of a prediction as one flat Float32Array, whatever form predictProba gave. */
export function flat(p: unknown): Float32Array {
  if (Array.isArray(p)) {
    const rows = p as number[][];
    const k = rows[0]?.length ?? 0;
    const out = new Float32Array(rows.length * k);
    rows.forEach((r, i) => out.set(r, i * k));
    return out;
  }
  return Float32Array.from((p as { data: ArrayLike<number> }).data);
}

/** The largest |v| (at least 1e-9, so it can divide). */
export function maxAbs(v: ArrayLike<number>): number {
  let s = 1e-9;
  for (let i = 0; i < v.length; i++) s = Math.max(s, Math.abs(v[i]));
  return s;
}

/** Rows of the large view's grid predicted at a time: between two slices the Worker looks at the Pause flag. */
export const GRID_SLICE = 1000;

/**
 * model.predictProba over the rows of x, GRID_SLICE rows at a time, calling `between` after each
 * slice, as one flat Float32Array (rows × outputs). Reads the model only.
 */
export function predictInSlices(model: { predictProba(x: Tensor): unknown }, x: Tensor, between: () => void): Float32Array {
  const [rows, w] = x.shape;
  let out: Float32Array | null = null;
  for (let start = 0; start < rows; start += GRID_SLICE) {
    const end = Math.min(rows, start + GRID_SLICE);
    const p = flat(model.predictProba({ data: x.data.subarray(start * w, end * w), shape: [end - start, w] }));
    out ??= new Float32Array((rows * p.length) / (end - start));
    out.set(p, (start * p.length) / (end - start));
    between();
  }
  return out ?? new Float32Array(0);
}
