/** Two concentric circles (scikit-learn's make_circles), drawn from wasmlp's seeded generator. */
import { ValueError } from '../errors.js';
import type { Dataset } from './options.js';
import { MAX_POINTS, checkInteger, checkNumber, readOptions, seededRandom } from './options.js';

/** Options of circles(). */
export interface CirclesOptions {
  /** Number of points, >= 2 (default 100): ⌊n/2⌋ on the outer circle, the rest on the inner. */
  n?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0). */
  noise?: number;
  /** Radius of the inner circle relative to the outer one, in [0, 1) (default 0.5). */
  factor?: number;
  /** Seed (default 0). */
  seed?: number;
}

/**
 * make_circles without the final shuffle: ⌊n/2⌋ points at angles 2πi/⌊n/2⌋ on the unit circle
 * (label 0), then the other points likewise on the circle of radius `factor` (label 1), each
 * coordinate plus N(0, noise²). Same seed, same points. Returns new arrays.
 */
export function circles(options?: CirclesOptions): Dataset {
  const o = readOptions('circles', options, ['n', 'noise', 'factor', 'seed']);
  const n = checkInteger('circles', 'n', o.n ?? 100, 2, MAX_POINTS);
  const noise = checkNumber('circles', 'noise', o.noise ?? 0, 0);
  const factor = checkNumber('circles', 'factor', o.factor ?? 0.5, 0);
  if (factor >= 1) throw new ValueError(`circles: factor must be in [0, 1), got ${factor}`);
  const random = seededRandom('circles', o.seed ?? 0);
  const outer = Math.floor(n / 2);
  const x: number[][] = [];
  const y: number[] = [];
  for (const [count, radius, label] of [
    [outer, 1, 0],
    [n - outer, factor, 1],
  ]) {
    for (let i = 0; i < count; i++) {
      const angle = (2 * Math.PI * i) / count;
      x.push([radius * Math.cos(angle), radius * Math.sin(angle)]);
      y.push(label);
    }
  }
  if (noise > 0)
    for (const p of x) {
      p[0] += random.normal(0, noise);
      p[1] += random.normal(0, noise);
    }
  return { x, y };
}
