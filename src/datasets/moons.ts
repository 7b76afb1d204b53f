/** Two interleaving half circles (scikit-learn's make_moons), drawn from wasmlp's seeded generator. */
import { ValueError, describe } from '../errors.js';
import { MAX_POINTS, checkInteger, readOptions, seededRandom } from './options.js';

/** A 2-D classification dataset: x as [n][2] rows, y as 0/1 labels. */
export interface Dataset2D {
  x: number[][];
  y: number[];
}

/**
 * `n` points: the first ⌊n/2⌋ on the upper half circle (label 0), the rest on the lower,
 * shifted one (label 1), each coordinate plus N(0, noise²). Same seed, same points.
 * (Not numpy's stream: the tutorials' exact points are in ../shared/fixtures/data_*.json.)
 */
export function moons(options: { n?: number; noise?: number; seed?: number } = {}): Dataset2D {
  const { n = 100, noise = 0, seed = 0 } = readOptions('moons', options, ['n', 'noise', 'seed']) as { n?: number; noise?: number; seed?: number };
  checkInteger('moons', 'n', n, 2, MAX_POINTS);
  if (typeof noise !== 'number' || !(noise >= 0) || !Number.isFinite(noise))
    throw new ValueError(`moons: noise must be a finite number >= 0, got ${describe(noise)}`);
  const random = seededRandom('moons', seed);
  const outer = Math.floor(n / 2);
  const inner = n - outer;
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < outer; i++) {
    const t = outer > 1 ? (Math.PI * i) / (outer - 1) : 0;
    x.push([Math.cos(t), Math.sin(t)]);
    y.push(0);
  }
  for (let i = 0; i < inner; i++) {
    const t = inner > 1 ? (Math.PI * i) / (inner - 1) : 0;
    x.push([1 - Math.cos(t), 1 - Math.sin(t) - 0.5]);
    y.push(1);
  }
  if (noise > 0)
    for (const p of x) {
      p[0] += random.normal(0, noise);
      p[1] += random.normal(0, noise);
    }
  return { x, y };
}
