/** A seeded mini-batch iterator over rows (nested arrays) or flat `{ data, shape }` data. */
import { ShapeError, ValueError, describe } from '../errors.js';
import type { Random } from '../random.js';
import { checkInteger, randomFrom, readOptions } from './options.js';

/** Options of batches(). */
export interface BatchOptions {
  /** Rows per batch, >= 1 (default 32); the last batch may be smaller unless `dropLast`. */
  batchSize?: number;
  /** Visit the rows in a seeded random order (default true); false keeps 0, 1, 2, … */
  shuffle?: boolean;
  /**
   * Seed of the order (default 0). Pass a Random to get a new order on every call (its state
   * advances), e.g. one `batches(…)` per epoch from the same generator.
   */
  seed?: number | Random;
  /** Skip a final batch smaller than batchSize (default false). */
  dropLast?: boolean;
}

/** Flat samples with a shape [n, ...]; each sample is the product of shape[1..] values. */
export interface FlatSamples {
  data: Float32Array | Float64Array | ArrayLike<number>;
  shape: readonly number[];
}

/** One batch: its rows of x, its labels, and the row indices (into the full data) they came from. */
export interface Batch<X, Y> {
  x: X;
  y: Y;
  indices: number[];
}

/** The typed arrays batches() takes as labels. */
export type TypedLabels = Int32Array | Uint8Array | Uint16Array | Float32Array | Float64Array;

/**
 * Splits (x, y) into batches, visiting every row exactly once per call — in a seeded random
 * order when `shuffle` — and yields `{ x, y, indices }` for each. x may be an array of rows (the
 * batch then holds the same row objects, not copies) or `{ data, shape }` (the batch gets a copy of
 * its samples as `{ data, shape: [b, ...] }`, Float32Array data staying Float32Array). y may be an
 * array (of labels or rows) or a typed array (the batch gets the same kind). All checks run
 * before the first batch; nothing is mutated except a Random passed as `seed`.
 */
export function batches<Row, Label>(x: readonly Row[], y: readonly Label[], options?: BatchOptions): Generator<Batch<Row[], Label[]>, void, undefined>;
export function batches<Row, Y extends TypedLabels>(x: readonly Row[], y: Y, options?: BatchOptions): Generator<Batch<Row[], Y>, void, undefined>;
export function batches<Label>(
  x: FlatSamples,
  y: readonly Label[],
  options?: BatchOptions,
): Generator<Batch<{ data: Float32Array | Float64Array; shape: number[] }, Label[]>, void, undefined>;
export function batches<Y extends TypedLabels>(
  x: FlatSamples,
  y: Y,
  options?: BatchOptions,
): Generator<Batch<{ data: Float32Array | Float64Array; shape: number[] }, Y>, void, undefined>;
export function batches(x: unknown, y: unknown, options?: BatchOptions): Generator<Batch<unknown, unknown>, void, undefined> {
  const o = readOptions('batches', options, ['batchSize', 'shuffle', 'seed', 'dropLast']);
  const batchSize = checkInteger('batches', 'batchSize', o.batchSize ?? 32, 1);
  const shuffle = o.shuffle ?? true;
  const dropLast = o.dropLast ?? false;
  if (typeof shuffle !== 'boolean') throw new ValueError(`batches: shuffle must be true or false, got ${describe(shuffle)}`);
  if (typeof dropLast !== 'boolean') throw new ValueError(`batches: dropLast must be true or false, got ${describe(dropLast)}`);

  let rows: number;
  let takeX: (indices: number[]) => unknown;
  if (Array.isArray(x)) {
    rows = x.length;
    takeX = (indices) => indices.map((i) => x[i]);
  } else if (typeof x === 'object' && x !== null && 'data' in x && 'shape' in x) {
    const { data, shape } = x as FlatSamples;
    if (!Array.isArray(shape) || shape.length < 1 || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      throw new ShapeError(`batches: x.shape must be a non-empty array of non-negative integers, got ${describe(shape)}`);
    }
    rows = shape[0];
    const width = shape.slice(1).reduce((p: number, d: number) => p * d, 1);
    if (data.length !== rows * width) {
      throw new ShapeError(`batches: x.shape [${shape.join(', ')}] needs ${rows * width} values but x.data has ${data.length}`);
    }
    takeX = (indices) => {
      const out = data instanceof Float32Array ? new Float32Array(indices.length * width) : new Float64Array(indices.length * width);
      indices.forEach((r, k) => {
        if (ArrayBuffer.isView(data)) out.set((data as Float32Array | Float64Array).subarray(r * width, (r + 1) * width), k * width);
        else for (let c = 0; c < width; c++) out[k * width + c] = data[r * width + c];
      });
      return { data: out, shape: [indices.length, ...shape.slice(1)] };
    };
  } else {
    throw new ValueError(`batches: x must be an array of rows or { data, shape }, got ${describe(x)}`);
  }

  let takeY: (indices: number[]) => unknown;
  if (Array.isArray(y)) {
    takeY = (indices) => indices.map((i) => y[i]);
  } else if (ArrayBuffer.isView(y) && !(y instanceof DataView)) {
    const labels = y as TypedLabels;
    const Kind = labels.constructor as new (n: number) => TypedLabels;
    takeY = (indices) => {
      const out = new Kind(indices.length);
      indices.forEach((i, k) => {
        out[k] = labels[i];
      });
      return out;
    };
  } else {
    throw new ValueError(`batches: y must be an array or a typed array of labels, got ${describe(y)}`);
  }
  const labelCount = (y as ArrayLike<unknown>).length;
  if (labelCount !== rows) throw new ShapeError(`batches: x has ${rows} rows but y has ${labelCount} labels`);

  let order: Int32Array;
  if (shuffle) order = randomFrom('batches', o.seed ?? 0).permutation(rows);
  else {
    if (o.seed !== undefined) randomFrom('batches', o.seed); // still validate the seed
    order = Int32Array.from({ length: rows }, (_, i) => i);
  }
  return (function* iterate() {
    for (let start = 0; start < rows; start += batchSize) {
      const end = Math.min(start + batchSize, rows);
      if (dropLast && end - start < batchSize) return;
      const indices = Array.from(order.subarray(start, end));
      yield { x: takeX(indices), y: takeY(indices), indices };
    }
  })();
}
