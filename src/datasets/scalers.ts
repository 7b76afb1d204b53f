/**
 * Feature scalers in scikit-learn's style: fit on the training rows, then apply the same
 * parameters to any rows (test, new data). Parameters serialise with toJSON and come back with
 * `scalerFromJSON`.
 */
import { ShapeError, StateError, ValueError, describe } from '../errors.js';
import { checkNumber, checkRows, readOptions } from './options.js';

/** Serialised standard scaler: per-column mean and the divisor used (1 for zero-variance columns). */
export interface StandardScalerJSON {
  type: 'standard';
  mean: number[];
  scale: number[];
}
/** Serialised min-max scaler: per-column minimum and maximum seen in fit, and the target range. */
export interface MinMaxScalerJSON {
  type: 'minmax';
  min: number[];
  max: number[];
  range: [number, number];
}
/** A fitted scaler's settings as toJSON() writes them and scalerFromJSON() reads them. */
export type ScalerJSON = StandardScalerJSON | MinMaxScalerJSON;

/** A fitted-or-not column scaler. transform / inverseTransform return new rows and never mutate their input. */
export interface Scaler {
  /** True once fit has run (or the scaler came from JSON). */
  readonly fitted: boolean;
  /** Learns the per-column parameters from `x` (replacing earlier ones); returns this scaler. */
  fit(x: readonly (readonly number[])[]): Scaler;
  /** Scales `x` with the fitted parameters. Throws StateError before fit, ShapeError for another width. */
  transform(x: readonly (readonly number[])[]): number[][];
  /** fit(x) then transform(x). */
  fitTransform(x: readonly (readonly number[])[]): number[][];
  /** Undoes transform. */
  inverseTransform(x: readonly (readonly number[])[]): number[][];
  /** The fitted parameters as plain JSON. Throws StateError before fit. */
  toJSON(): ScalerJSON;
}

/**
 * Builds a Scaler from per-column affine maps: transform is (v - shift[c]) · factor[c] + offset,
 * `learn` computes shift / factor from training rows.
 */
function makeScaler(
  name: string,
  learn: (x: readonly (readonly number[])[]) => void,
  params: () => { shift: number[]; factor: number[]; offset: number } | null,
  serialise: () => ScalerJSON,
): Scaler {
  const apply = (fn: string, x: readonly (readonly number[])[], inverse: boolean): number[][] => {
    const p = params();
    if (p === null) throw new StateError(`${name}.${fn}: call fit(x) first (the scaler has no parameters yet)`);
    const width = checkRows(`${name}.${fn}`, 'x', x);
    if (width !== p.shift.length) {
      throw new ShapeError(`${name}.${fn}: x has ${width} columns but the scaler was fitted on ${p.shift.length}`);
    }
    return x.map((row) => row.map((v, c) => (inverse ? (v - p.offset) / p.factor[c] + p.shift[c] : (v - p.shift[c]) * p.factor[c] + p.offset)));
  };
  const scaler: Scaler = {
    get fitted() {
      return params() !== null;
    },
    fit(x) {
      checkRows(`${name}.fit`, 'x', x);
      learn(x);
      return scaler;
    },
    transform: (x) => apply('transform', x, false),
    fitTransform: (x) => scaler.fit(x).transform(x),
    inverseTransform: (x) => apply('inverseTransform', x, true),
    toJSON() {
      if (params() === null) throw new StateError(`${name}.toJSON: call fit(x) first (the scaler has no parameters yet)`);
      return serialise();
    },
  };
  return scaler;
}

/**
 * Standardises each column to mean 0 and (population) standard deviation 1, as scikit-learn's
 * StandardScaler: (v - mean) / std. A column with zero variance is only centred (divisor 1), so
 * it becomes 0 instead of NaN. Holds its own state; mutates no input.
 */
export function standardScaler(): Scaler {
  return createStandardScaler(null);
}

/** A standard scaler holding `initial` as its fitted parameters (null: unfitted). */
function createStandardScaler(initial: { mean: number[]; scale: number[] } | null): Scaler {
  let mean: number[] | null = initial ? initial.mean.slice() : null;
  let scale: number[] | null = initial ? initial.scale.slice() : null;
  return makeScaler(
    'standardScaler',
    (x) => {
      const width = x[0].length;
      const m = new Array<number>(width).fill(0);
      for (const row of x) for (let c = 0; c < width; c++) m[c] += row[c];
      for (let c = 0; c < width; c++) m[c] /= x.length;
      const s = new Array<number>(width).fill(0);
      for (const row of x) for (let c = 0; c < width; c++) s[c] += (row[c] - m[c]) ** 2;
      // A column is constant when its spread is at rounding level relative to its values.
      scale = s.map((sum, c) => {
        const std = Math.sqrt(sum / x.length);
        return std > 1e-12 * Math.max(1, Math.abs(m[c])) ? std : 1;
      });
      mean = m;
    },
    () => (mean && scale ? { shift: mean, factor: scale.map((v) => 1 / v), offset: 0 } : null),
    () => ({ type: 'standard', mean: mean!.slice(), scale: scale!.slice() }),
  );
}

/**
 * Maps each column's training [min, max] linearly onto `range` (default [0, 1]), as
 * scikit-learn's MinMaxScaler. Values outside the training range map outside `range` (no
 * clipping). A constant column maps to range[0]. Holds its own state; mutates no input.
 */
export function minMaxScaler(options?: { range?: [number, number] }): Scaler {
  const o = readOptions('minMaxScaler', options, ['range']);
  const range = o.range ?? [0, 1];
  if (!Array.isArray(range) || range.length !== 2) throw new ValueError(`minMaxScaler: range must be [lo, hi], got ${describe(range)}`);
  const lo = checkNumber('minMaxScaler', 'range[0]', range[0]);
  const hi = checkNumber('minMaxScaler', 'range[1]', range[1]);
  if (!(hi > lo)) throw new ValueError(`minMaxScaler: range must have lo < hi, got [${lo}, ${hi}]`);
  let min: number[] | null = null;
  let max: number[] | null = null;
  return makeScaler(
    'minMaxScaler',
    (x) => {
      const width = x[0].length;
      const mn = x[0].slice();
      const mx = x[0].slice();
      for (const row of x)
        for (let c = 0; c < width; c++) {
          if (row[c] < mn[c]) mn[c] = row[c];
          if (row[c] > mx[c]) mx[c] = row[c];
        }
      min = mn;
      max = mx;
    },
    () => (min && max ? { shift: min, factor: min.map((m, c) => (max![c] > m ? (hi - lo) / (max![c] - m) : 1)), offset: lo } : null),
    () => ({ type: 'minmax', min: min!.slice(), max: max!.slice(), range: [lo, hi] }),
  );
}

/** Rebuilds a fitted scaler from its toJSON() output (an object or JSON text). Throws ValueError when malformed. */
export function scalerFromJSON(json: ScalerJSON | string): Scaler {
  let j: unknown = json;
  if (typeof json === 'string') {
    try {
      j = JSON.parse(json);
    } catch (error) {
      throw new ValueError(`scalerFromJSON: not valid JSON (${(error as Error).message})`);
    }
  }
  const p = j as Record<string, unknown>;
  const column = (field: string): number[] => {
    const v = p[field];
    if (!Array.isArray(v) || v.length === 0 || v.some((e) => typeof e !== 'number' || !Number.isFinite(e))) {
      throw new ValueError(`scalerFromJSON: ${field} must be a non-empty array of finite numbers, got ${describe(v)}`);
    }
    return v as number[];
  };
  if (typeof p !== 'object' || p === null) throw new ValueError(`scalerFromJSON: expected an object, got ${describe(p)}`);
  if (p.type === 'standard') {
    const mean = column('mean');
    const scale = column('scale');
    if (scale.length !== mean.length || scale.some((s) => !(s > 0))) throw new ValueError('scalerFromJSON: scale must hold one positive number per mean');
    return createStandardScaler({ mean, scale });
  }
  if (p.type === 'minmax') {
    const min = column('min');
    const max = column('max');
    if (max.length !== min.length || max.some((m, c) => m < min[c])) throw new ValueError('scalerFromJSON: max must hold one number >= min per column');
    return minMaxScaler({ range: p.range as [number, number] }).fit([min, max]);
  }
  throw new ValueError(`scalerFromJSON: type must be "standard" or "minmax", got ${describe(p.type)}`);
}
