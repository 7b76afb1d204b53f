/** Seed 002's linearly separable toy: points on either side of the line x0 + x1 = 1. */
import type { Dataset } from './options.js';
import { MAX_POINTS, checkInteger, checkNumber, readOptions, seededRandom } from './options.js';

/**
 * Seed 002's four perceptron points and labels: label 1 below the line x0 + x1 = 1 (drawn in the
 * seed as the red line from (0,1) to (1,0)), label 0 above it.
 */
export const SEED002_PERCEPTRON: { readonly x: readonly (readonly number[])[]; readonly y: readonly number[] } = Object.freeze({
  x: Object.freeze(
    [
      [0.5, 0.25],
      [0.2, 0.5],
      [0.3, 1.1],
      [0.4, 1.1],
    ].map((p) => Object.freeze(p)),
  ),
  y: Object.freeze([1, 1, 0, 0]),
});

/** Options of linear(). */
export interface LinearOptions {
  /** Number of points, >= 2 (default 100). Labels alternate 1, 0, 1, 0, … so classes are balanced. */
  n?: number;
  /** Minimum distance of every point from the separating line (default 0.05, at most 0.3). */
  margin?: number;
  /** Seed (default 0). */
  seed?: number;
}

/** Side of the plane: 1 below x0 + x1 = 1 (seed 002's positive class), 0 on or above it. */
export function linearLabel(p: readonly number[]): number {
  return p[0] + p[1] < 1 ? 1 : 0;
}

/**
 * Seed 002's construction, generalised: points uniform in the square [0, 1.2]², labelled 1 when
 * x0 + x1 < 1 and 0 otherwise, keeping only points at least `margin` from that line so a
 * perceptron converges. Row i gets label 1 for even i and 0 for odd i (each point is redrawn until
 * it falls on its side). Seed 002's own four points (`SEED002_PERCEPTRON`) obey the same rule.
 * Same seed, same points. Returns new arrays.
 */
export function linear(options?: LinearOptions): Dataset {
  const o = readOptions('linear', options, ['n', 'margin', 'seed']);
  const n = checkInteger('linear', 'n', o.n ?? 100, 2, MAX_POINTS);
  // Points on the positive side lie within 1/√2 ≈ 0.707 of the line; capping the margin at 0.3
  // keeps both accepted regions a sizeable part of the square, so the redraws stay cheap.
  const margin = checkNumber('linear', 'margin', o.margin ?? 0.05, 0, 0.3);
  const random = seededRandom('linear', o.seed ?? 0);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2 === 0 ? 1 : 0;
    let p: number[];
    do p = [1.2 * random.next(), 1.2 * random.next()];
    while (linearLabel(p) !== label || Math.abs(p[0] + p[1] - 1) / Math.SQRT2 < margin);
    x.push(p);
    y.push(label);
  }
  return { x, y };
}
