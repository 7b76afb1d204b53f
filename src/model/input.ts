/**
 * Turning what users pass (nested arrays, flat typed arrays with a shape) into one flat float64
 * matrix, with every check done up front: ragged rows, wrong widths, non-numbers, NaN/Infinity.
 */
import { ShapeError, ValueError, describe } from '../errors.js';

/** A flat array with an explicit shape, e.g. { data: Float32Array(n*784), shape: [n, 28, 28] }. */
export interface TensorLike {
  data: Float32Array | Float64Array | ArrayLike<number>;
  shape: readonly number[];
}

/** Inputs a model accepts: rows of numbers, image batches [n][h][w], or a flat array with a shape. */
export type Input = readonly (readonly number[])[] | readonly (readonly (readonly number[])[])[] | readonly number[] | TensorLike;

/** A dense row-major matrix (float64, or the caller's own float32 array used in place). */
export interface Matrix {
  /** Float32Array only when the caller's own typed array is used in place (never written). */
  data: Float64Array | Float32Array;
  rows: number;
  cols: number;
  /** True when toMatrix left a Float32Array's NaN / ±Infinity scan to the caller (see toMatrix's `deferFloat32Scan`). */
  unscanned?: boolean;
}

/** True for `{ data, shape }` objects. */
export function isTensorLike(v: unknown): v is TensorLike {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'data' in v && 'shape' in v;
}

function checkShape(shape: readonly number[], what: string): void {
  if (!Array.isArray(shape) || shape.length < 1) throw new ShapeError(`${what}: shape must be a non-empty array, got ${describe(shape)}`);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (!Number.isSafeInteger(d) || d < 0) throw new ShapeError(`${what}: shape entries must be non-negative integers, got [${shape.join(', ')}]`);
  }
}

/**
 * The largest magnitude accepted in data and weights: float32's largest finite value. The wasm
 * core computes in f32, where anything larger rounds to ±Infinity; both backends refuse it, so
 * they accept exactly the same inputs.
 */
export const MAX_MAGNITUDE = 3.4028234663852886e38;

function checkNumber(v: unknown, what: string, row: number, col: number): number {
  if (typeof v !== 'number') throw new ValueError(`${what}: row ${row}, column ${col} is ${describe(v)}, not a number`);
  if (!Number.isFinite(v)) throw new ValueError(`${what}: row ${row}, column ${col} is ${v}; inputs must be finite`);
  if (Math.abs(v) > MAX_MAGNITUDE) throw new ValueError(`${what}: row ${row}, column ${col} is ${v}, beyond the float32 range (|v| <= 3.4028234663852886e38)`);
  return v;
}

/**
 * Flattens `input` into rows of `width` values (trailing dimensions are multiplied together, as
 * Flatten does). Throws ShapeError / ValueError naming the row and column at fault. Copies,
 * except typed arrays (used in place). With `deferFloat32Scan`, a Float32Array's values are
 * not scanned here (the result says `unscanned`): the caller scans them faster elsewhere and
 * reports a bad one with `throwNonFinite` (no float32 value is beyond MAX_MAGNITUDE but ±Infinity).
 */
export function toMatrix(input: unknown, width: number, what = 'x', deferFloat32Scan = false): Matrix {
  if (isTensorLike(input)) {
    const { data, shape } = input;
    checkShape(shape, what);
    if (typeof data !== 'object' || data === null || typeof (data as ArrayLike<number>).length !== 'number') {
      throw new ValueError(`${what}.data must be an array or typed array, got ${describe(data)}`);
    }
    const rows = shape[0];
    let cols = 1;
    for (let i = 1; i < shape.length; i++) cols *= shape[i];
    if (rows * cols !== data.length) {
      throw new ShapeError(`${what}: shape [${shape.join(', ')}] needs ${rows * cols} values but data has ${data.length}`);
    }
    if (cols !== width) throw new ShapeError(`${what}: each sample has ${cols} values (shape [${shape.join(', ')}]) but the model expects ${width}`);
    if (data instanceof Float32Array || data instanceof Float64Array) {
      if (deferFloat32Scan && data instanceof Float32Array) return { data, rows, cols, unscanned: true };
      // Typed arrays are used in place (nothing here writes to them): one scan finds the first
      // value out of range, and only then does the slow path name it.
      const bad = firstOutOfRange(data);
      if (bad >= 0) checkNumber(data[bad], what, Math.floor(bad / cols), bad % cols);
      return { data, rows, cols };
    }
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < out.length; i++) {
      const v = data[i];
      out[i] = checkNumber(v, what, Math.floor(i / cols), i % cols);
    }
    return { data: out, rows, cols };
  }
  if (!Array.isArray(input)) throw new ValueError(`${what} must be an array of rows or { data, shape }, got ${describe(input)}`);
  if (input.length > 0 && !Array.isArray(input[0])) {
    // A single sample given as one flat row.
    return toMatrix([input], width, what);
  }
  const rows = input.length;
  const out = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const row = input[r];
    if (!Array.isArray(row)) throw new ShapeError(`${what}: row ${r} is ${describe(row)}, not an array`);
    const flat = flattenSample(row, what, r);
    if (flat.length !== width) {
      throw new ShapeError(`${what}: row ${r} has ${flat.length} values but the model expects ${width}` + (r > 0 ? ' (ragged rows?)' : ''));
    }
    for (let c = 0; c < width; c++) out[r * width + c] = checkNumber(flat[c], what, r, c);
  }
  return { data: out, rows, cols: width };
}

/** Throws the ValueError toMatrix gives for the bad value at flat index `index` of `m` (found by a deferred scan). */
export function throwNonFinite(m: Matrix, index: number, what = 'x'): never {
  checkNumber(m.data[index], what, Math.floor(index / m.cols), index % m.cols);
  throw new ValueError(`${what}: value ${index} is not finite`);
}

/** The scan toMatrix deferred, done here in JavaScript (engines without a faster one): throws ValueError on a bad value. */
export function scanDeferred(m: Matrix, what = 'x'): void {
  const bad = firstOutOfRange(m.data);
  if (bad >= 0) throwNonFinite(m, bad, what);
}

/** A float32's exponent field, all ones only in NaN and ±Infinity. */
const FLOAT32_EXPONENT = 0x7f800000;

/**
 * Index of the first NaN or ±Infinity in `data`, or -1: for float32 data the only values out of
 * range. Tests the exponent bits of each value as an integer, about twice as fast as comparing
 * its magnitude (a 47 M-value Fashion-MNIST scan).
 */
function firstNonFiniteFloat32(data: Float32Array): number {
  const bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
  for (let i = 0; i < bits.length; i++) {
    if ((bits[i] & FLOAT32_EXPONENT) === FLOAT32_EXPONENT) return i;
  }
  return -1;
}

/** Index of the first NaN, ±Infinity or |v| > MAX_MAGNITUDE in `data`, or -1. */
function firstOutOfRange(data: Float32Array | Float64Array): number {
  if (data instanceof Float32Array) return firstNonFiniteFloat32(data);
  for (let i = 0; i < data.length; i++) {
    if (!(Math.abs(data[i]) <= MAX_MAGNITUDE)) return i;
  }
  return -1;
}

/** One sample as a flat list: [a, b] stays, [[a, b], [c, d]] (an image) becomes [a, b, c, d]. */
function flattenSample(sample: readonly unknown[], what: string, r: number): readonly unknown[] {
  if (sample.length === 0 || !Array.isArray(sample[0])) return sample;
  const width = (sample[0] as unknown[]).length;
  const flat: unknown[] = [];
  for (const line of sample) {
    if (!Array.isArray(line) || line.length !== width) throw new ShapeError(`${what}: sample ${r} is ragged (its rows differ in length)`);
    for (const v of line) flat.push(v);
  }
  return flat;
}

/** Rows of a matrix as nested arrays (for results returned to users). */
export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < m.rows; r++) out.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return out;
}
