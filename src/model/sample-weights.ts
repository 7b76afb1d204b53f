/**
 * fit's sampleWeight and classWeight, turned into one loss weight per training row before any
 * work starts (Keras multiplies the two when both are given). The engines apply them inside
 * the step (Engine.loadData's weights); unweighted fits pass none and do no extra work.
 */
import { ConfigError, ShapeError, ValueError, describe } from '../errors.js';
import type { Matrix } from './input.js';
import { classesOf } from './metrics.js';

/** Class weights: by class index, as an object ({ 0: 1, 1: 5 }) or an array. */
export type ClassWeight = Readonly<Record<number, number>> | readonly number[];

function checkWeight(v: unknown, what: string): number {
  if (typeof v !== 'number' || !(v >= 0 && v < Infinity)) throw new ValueError(`fit: ${what} must be a finite number >= 0, got ${describe(v)}`);
  return v;
}

/**
 * One weight per row of `targets` (all rows given to fit, before a validation split), or null
 * when neither option is set. Throws ShapeError for a sampleWeight of the wrong length,
 * ValueError for a negative or non-finite weight or a class without a class weight.
 */
export function rowWeights(sampleWeight: unknown, classWeight: unknown, targets: Matrix): Float64Array | null {
  if (sampleWeight === undefined && classWeight === undefined) return null;
  const w = new Float64Array(targets.rows).fill(1);
  if (sampleWeight !== undefined) {
    const s = sampleWeight as ArrayLike<number>;
    if (typeof s !== 'object' || s === null || typeof s.length !== 'number')
      throw new ConfigError(`fit: sampleWeight must be an array of numbers, got ${describe(sampleWeight)}`);
    if (s.length !== targets.rows) throw new ShapeError(`fit: sampleWeight has ${s.length} values for ${targets.rows} rows`);
    for (let i = 0; i < s.length; i++) w[i] = checkWeight(s[i], `sampleWeight[${i}]`);
  }
  if (classWeight !== undefined) {
    if (typeof classWeight !== 'object' || classWeight === null)
      throw new ConfigError(`fit: classWeight must be { class: weight } or an array, got ${describe(classWeight)}`);
    const table = classWeight as Record<string, unknown>;
    for (const k of Object.keys(table)) {
      if (!/^\d+$/.test(k)) throw new ConfigError(`fit: classWeight keys must be class indices, got '${k}'`);
      checkWeight(table[k], `classWeight[${k}]`);
    }
    classesOf(targets, 'mse').forEach((c, r) => {
      const cw = table[c];
      if (cw === undefined) throw new ValueError(`fit: classWeight has no weight for class ${c} (row ${r})`);
      w[r] *= cw as number;
    });
  }
  return w;
}
