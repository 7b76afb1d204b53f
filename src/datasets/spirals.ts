/** Interleaved spiral arms, one class per arm (the classic "two spirals" problem, k arms). */
import type { Dataset } from './options.js';
import { MAX_POINTS, checkInteger, checkNumber, readOptions, seededRandom } from './options.js';

/** Options of spirals(). */
export interface SpiralsOptions {
  /** Number of points, >= k (default 200), shared as evenly as possible between the arms. */
  n?: number;
  /** Number of arms = classes, >= 2 (default 2). */
  k?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0). */
  noise?: number;
  /** Turns each arm makes from the centre to radius 1 (default 1). */
  turns?: number;
  /** Seed (default 0). */
  seed?: number;
}

/**
 * `k` spiral arms: arm c (label c) holds ⌊n/k⌋ points, one more for the first n mod k arms; its
 * i-th of `count` points has radius s = (i+1)/count and angle 2πc/k + 2π·turns·s, at
 * [s·cos θ, s·sin θ] plus N(0, noise²) per coordinate. Rows are grouped by arm. Points lie within
 * the unit disc up to the noise. Same seed, same points. Returns new arrays.
 */
export function spirals(options?: SpiralsOptions): Dataset {
  const o = readOptions('spirals', options, ['n', 'k', 'noise', 'turns', 'seed']);
  const k = checkInteger('spirals', 'k', o.k ?? 2, 2, 1000);
  const n = checkInteger('spirals', 'n', o.n ?? 200, k, MAX_POINTS);
  const noise = checkNumber('spirals', 'noise', o.noise ?? 0, 0);
  const turns = checkNumber('spirals', 'turns', o.turns ?? 1, 0);
  const random = seededRandom('spirals', o.seed ?? 0);
  const x: number[][] = [];
  const y: number[] = [];
  for (let c = 0; c < k; c++) {
    const count = Math.floor(n / k) + (c < n % k ? 1 : 0);
    for (let i = 0; i < count; i++) {
      const s = (i + 1) / count;
      const angle = (2 * Math.PI * c) / k + 2 * Math.PI * turns * s;
      x.push([s * Math.cos(angle), s * Math.sin(angle)]);
      y.push(c);
    }
  }
  if (noise > 0)
    for (const p of x) {
      p[0] += random.normal(0, noise);
      p[1] += random.normal(0, noise);
    }
  return { x, y };
}
