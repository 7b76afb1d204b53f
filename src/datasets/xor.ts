/** The XOR problem: the four corners of the unit square, labelled by x0 XOR x1. */
import type { Dataset } from './options.js';
import { MAX_POINTS, checkInteger, checkNumber, readOptions, seededRandom } from './options.js';

/** The XOR corners in order and their labels: (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0. */
export const XOR_CORNERS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const XOR_LABELS = [0, 1, 1, 0];

/** Options of xor(). */
export interface XorOptions {
  /** Number of points, >= 4 (default 4). Point i sits on corner i mod 4, so classes stay balanced. */
  n?: number;
  /** Standard deviation of the Gaussian jitter added to each coordinate (default 0 for n = 4, else 0.1). */
  noise?: number;
  /** Seed of the jitter (default 0). */
  seed?: number;
}

/**
 * XOR data. With the defaults, exactly the four corners [[0,0],[0,1],[1,0],[1,1]] with labels
 * [0,1,1,0] — the problem seed 002 shows a single perceptron cannot solve (the seed draws it as
 * ±1 corners with the complementary labels: the same problem up to an affine map). With n > 4,
 * corner i mod 4 plus N(0, noise²) per coordinate. Same seed, same points. Returns new arrays.
 */
export function xor(options?: XorOptions): Dataset {
  const o = readOptions('xor', options, ['n', 'noise', 'seed']);
  const n = checkInteger('xor', 'n', o.n ?? 4, 4, MAX_POINTS);
  const noise = checkNumber('xor', 'noise', o.noise ?? (n > 4 ? 0.1 : 0), 0);
  const random = seededRandom('xor', o.seed ?? 0);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = XOR_CORNERS[i % 4];
    x.push(noise > 0 ? [a + random.normal(0, noise), b + random.normal(0, noise)] : [a, b]);
    y.push(XOR_LABELS[i % 4]);
  }
  return { x, y };
}
