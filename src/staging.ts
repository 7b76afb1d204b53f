/**
 * The checks and the row gather of Engine.loadBatch / createStaging (engine.ts), shared by both
 * engines. Only streamed training uses them, so they load with src/extras.ts (the wasm engine
 * gets its staging calls installed from there, wasm/staging-pass.ts), not with every page.
 */
import { ShapeError, ValueError } from './errors.js';
import type { Plan } from './plan.js';

/**
 * Throws unless a loadBatch call is valid, checked the same way by every engine: x, y (and
 * weights) as many whole rows of the plan's widths (ShapeError); `rows` a whole number in [1,
 * capacity] within the index (or x), weights given exactly when the handle is `weighted`, every
 * index a row of x and every used weight finite and >= 0, and a staging handle's `capacity`
 * (null: not one) (ValueError). Changes nothing.
 */
export function checkBatchLoad(
  plan: Plan,
  capacity: number | null,
  weighted: boolean,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  rows: number,
  weights: ArrayLike<number> | null | undefined,
  index: Int32Array | null | undefined,
): void {
  if (capacity === null) throw new ValueError('loadBatch: not a staging handle (createStaging makes one)');
  const n = x.length / plan.inputSize;
  const w = weights ?? null;
  if (!Number.isInteger(n) || y.length !== n * plan.outputSize || (w !== null && w.length !== n))
    throw new ShapeError('loadBatch: x, y and weights are not as many whole rows');
  if (!(Number.isInteger(rows) && rows >= 1 && rows <= capacity && rows <= (index ? index.length : n)) || (w !== null) !== weighted) {
    throw new ValueError(
      `loadBatch: ${rows} rows asked (staging of ${capacity}, ${weighted ? '' : 'un'}weighted) of ${index ? index.length : n}${w ? ' weighted' : ''}`,
    );
  }
  for (let r = 0; r < rows; r++) {
    const row = index ? index[r] : r;
    if (!(row >= 0 && row < n) || (w !== null && !(w[row] >= 0 && w[row] < Infinity)))
      throw new ValueError(`loadBatch: row ${row} is not a row of x or its weight is not finite and >= 0`);
  }
}

/** Throws ValueError unless a staging capacity (createStaging) is a whole number of rows >= 1. Reads only. */
export function checkStagingCapacity(capacity: number): void {
  if (!Number.isSafeInteger(capacity) || capacity < 1) throw new ValueError(`createStaging: capacity must be an integer >= 1, got ${capacity}`);
}

/**
 * Copies row index[r] (or r without an index) of src, `width` values each, to row r of dst from
 * element `at`, for `rows` rows: the gather of both engines' loadBatch (dst the wasm core's f32
 * memory or the reference's float64 staging). Mutates only dst.
 */
export function copyRows(dst: Float32Array | Float64Array, at: number, src: ArrayLike<number>, width: number, rows: number, index?: Int32Array | null): void {
  const typed = src instanceof Float32Array || src instanceof Float64Array;
  for (let r = 0; r < (index ? rows : 1); r++) {
    const from = (index ? index[r] : 0) * width,
      n = index ? width : rows * width;
    if (typed) dst.set(src.subarray(from, from + n), at + r * width);
    else for (let k = 0; k < n; k++) dst[at + r * width + k] = src[from + k];
  }
}
