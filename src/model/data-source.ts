/**
 * Data sources for fit: data that is not in memory as one array (a file read in chunks, a
 * generator), handed to fit batch by batch. Two kinds:
 *
 * - a row source, `{ rows, read(index, x, y) }`: fit asks for the rows it wants by index (so it
 *   shuffles them itself, as it shuffles in-memory data) and `read` writes them into buffers;
 * - an iterable or async iterable of batches `{ x, y }` (as tf.data / Keras generators), taken in
 *   its own order.
 *
 * This file holds the types, their recognition and when in-memory data streams; source-options.ts
 * the checks made before training on a source starts.
 */
import type { Engine } from '../engine.js';
import type { Input, Matrix } from './input.js';
import type { Labels } from './labels.js';

/** The buffers a row source writes into: Float32Array on the wasm backend, Float64Array on the reference (the engine's dtype). */
export type FloatArray = Float32Array | Float64Array;

/** A data source read by row index (see `read`). */
export interface RowSource {
  /** Rows in one pass over the source (a whole number >= 1); an epoch is one pass. */
  readonly rows: number;
  /**
   * Writes rows `index[0]`, `index[1]`, ... of the source into x (row r at `r * inputs`) and y
   * (row r at `r * outputs`: one-hot rows for classes), `index.length` rows. Without shuffling
   * the indices are consecutive, so `index[0]` and `index.length` give a range to read. May
   * return a promise: fit then prefetches, reading the next batch while it trains on this one.
   * The buffers belong to fit and are only valid until the returned promise settles.
   */
  read(index: Int32Array, x: FloatArray, y: FloatArray): void | Promise<void>;
}

/** One batch of an iterable source: x and y in any form fit takes, and optionally one loss weight per row. */
export interface SourceBatch {
  x: Input;
  y: Labels;
  sampleWeight?: ArrayLike<number>;
}

/** Batches taken in order. Each epoch opens a fresh iterator unless `stepsPerEpoch` is set (then one iterator runs through the fit). */
export type BatchIterable = Iterable<SourceBatch> | AsyncIterable<SourceBatch>;

/** What fit accepts instead of (x, y): a row source or an iterable of batches. */
export type DataSource = RowSource | BatchIterable;

/** True for a row source: an object with a `read` function and a `rows` count. */
export function isRowSource(v: unknown): v is RowSource {
  return typeof v === 'object' && v !== null && typeof (v as RowSource).read === 'function' && 'rows' in v;
}

/** True for an iterable of batches: iterable or async iterable, and not an array or typed array (those are data). */
export function isBatchIterable(v: unknown): v is BatchIterable {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  return typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function' || typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

/** True when fit's first argument is a data source rather than in-memory x. */
export function isDataSource(v: unknown): v is DataSource {
  return isRowSource(v) || isBatchIterable(v);
}

/**
 * In-memory training data of more than this many bytes in the engine's float type (x and y
 * together) is streamed by default; smaller data is copied into the engine once. Both paths hold
 * in-memory typed data twice (the engine's copy, or fit's own snapshot of x and y that the
 * streamed batches are gathered from, taken before fit's first await), so below this size
 * copying once costs nothing more and is faster: Fashion-MNIST's 60,000 images (188 MB of f32)
 * reached the first step in 66-71 ms copied once (one copy, the core's SIMD scan) against
 * 300-340 ms streamed (the snapshot, a JavaScript scan), and the copied data trains on the
 * multi-step path. Past it, the engine's memory would grow by the data's size for good
 * (WebAssembly memory never shrinks), which is what streaming avoids.
 */
export const STREAM_MIN_BYTES = 512 * 2 ** 20;

/** True when in-memory data of `values` numbers (x and y together) at `bytesPerValue` each streams by default (over STREAM_MIN_BYTES). */
export function streamsBySize(values: number, bytesPerValue: number): boolean {
  return values * bytesPerValue > STREAM_MIN_BYTES;
}

/** True when fit should stream in-memory x, y: `option` when given, else by their size in the engine's float type. */
export function shouldStream(engine: Engine, x: Matrix, y: Matrix, option: boolean | undefined): boolean {
  if (option !== undefined) return option;
  return streamsBySize(x.data.length + y.data.length, engine.dtype === 'float32' ? 4 : 8);
}
