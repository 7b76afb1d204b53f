/**
 * Checks shared by the dataset generators and utilities: option objects, integers, finite
 * numbers, seeds. Each helper throws the library's named error with the caller's name, the field
 * and the offending value in the message; none of them mutates anything.
 */
import { ConfigError, ShapeError, ValueError, describe } from '../errors.js';
import { Random } from '../random.js';

/**
 * The most points a generator makes (10^6 rows: ~60 MB of nested arrays). Larger requests are
 * refused with a ValueError before anything is allocated, instead of exhausting the JS heap.
 */
export const MAX_POINTS = 1_000_000;

/** A classification dataset: x as rows, y as class indices (0, 1, …), one per row. */
export interface Dataset {
  x: number[][];
  y: number[];
}

/**
 * Returns `options` as a record after checking it is a plain object (or undefined, read as {})
 * whose keys are all in `allowed`. Throws ConfigError naming the unknown key and listing the valid
 * ones. Does not mutate `options`.
 */
export function readOptions(fn: string, options: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(`${fn}: options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(`${fn}: unknown option ${JSON.stringify(key)}; valid options: ${allowed.join(', ')}`);
    }
  }
  return options as Record<string, unknown>;
}

/** `value` if it is a safe integer in [min, max], else a ValueError naming `fn` and `field`. */
export function checkInteger(fn: string, field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new ValueError(`${fn}: ${field} must be an integer ${range}, got ${describe(value)}`);
  }
  return value;
}

/** `value` if it is a finite number >= min (and <= max, when given), else a ValueError. */
export function checkNumber(fn: string, field: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const bounds = [min > -Infinity ? `>= ${min}` : '', max < Infinity ? `<= ${max}` : ''].filter(Boolean).join(' and ');
    throw new ValueError(`${fn}: ${field} must be a finite number${bounds ? ' ' + bounds : ''}, got ${describe(value)}`);
  }
  return value;
}

/** A fresh Random for `seed` (a safe integer); a ValueError naming `fn` otherwise. */
export function seededRandom(fn: string, seed: unknown): Random {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new ValueError(`${fn}: seed must be a safe integer, got ${describe(seed)}`);
  }
  return new Random(seed);
}

/**
 * A Random for `seed`: the instance itself when a Random is passed (its state then advances as
 * it is used), else a fresh generator from the integer seed.
 */
export function randomFrom(fn: string, seed: unknown): Random {
  return seed instanceof Random ? seed : seededRandom(fn, seed);
}

/**
 * Checks that `x` is a non-empty array of rows of finite numbers, all of the same width, and
 * returns that width. Throws ValueError for non-arrays, empty data and non-finite values,
 * ShapeError for ragged rows. Does not mutate `x`.
 */
export function checkRows(fn: string, field: string, x: unknown): number {
  if (!Array.isArray(x)) throw new ValueError(`${fn}: ${field} must be an array of rows, got ${describe(x)}`);
  if (x.length === 0) throw new ValueError(`${fn}: ${field} must have at least one row`);
  const first = x[0];
  if (!Array.isArray(first)) throw new ValueError(`${fn}: ${field}[0] must be an array of numbers, got ${describe(first)}`);
  const width = first.length;
  for (let r = 0; r < x.length; r++) {
    const row = x[r];
    if (!Array.isArray(row)) throw new ValueError(`${fn}: ${field}[${r}] must be an array of numbers, got ${describe(row)}`);
    if (row.length !== width) throw new ShapeError(`${fn}: ${field}[${r}] has ${row.length} values but ${field}[0] has ${width}`);
    for (let c = 0; c < width; c++) {
      const v = row[c];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ValueError(`${fn}: ${field}[${r}][${c}] must be a finite number, got ${describe(v)}`);
      }
    }
  }
  return width;
}

/** Checks that every entry of `y` is an integer class index >= 0; returns the number of classes (max + 1). */
export function checkLabels(fn: string, field: string, y: ArrayLike<unknown>): number {
  let max = -1;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new ValueError(`${fn}: ${field}[${i}] must be an integer class index >= 0, got ${describe(v)}`);
    }
    if (v > max) max = v;
  }
  return max + 1;
}
