/** Seed 000's planar "flower": two classes of petals of the rose r = a·sin(4t). */
import { ValueError } from '../errors.js';
import type { Dataset } from './options.js';
import { MAX_POINTS, checkInteger, checkNumber, readOptions, seededRandom } from './options.js';

/** Options of flower(). */
export interface FlowerOptions {
  /** Number of points, an even integer >= 4 (default 400): m/2 per class. */
  m?: number;
  /** Petal length a (default 4). */
  a?: number;
  /** Seed (default 0). */
  seed?: number;
}

/**
 * Seed 000's `load_planar_dataset` (WORKLOADS.md): N = m/2; for class j in {0, 1},
 * t = linspace(j·3.12, (j+1)·3.12, N) + N(0, 0.2²), r = a·sin(4t) + N(0, 0.2²),
 * x = [r·sin t, r·cos t], y = j. Rows 0..N-1 are class 0, then class 1. Normals are drawn in
 * numpy's order (the N angle jitters of a class, then its N radius jitters) but from wasmlp's
 * generator, so the points differ from numpy's; the seed's exact points (np seed 1) are in
 * ../shared/fixtures/data_flower400_seed1.json (`loadDataset`). Same seed, same points.
 */
export function flower(options?: FlowerOptions): Dataset {
  const o = readOptions('flower', options, ['m', 'a', 'seed']);
  const m = checkInteger('flower', 'm', o.m ?? 400, 4, MAX_POINTS);
  if (m % 2 !== 0) throw new ValueError(`flower: m must be even (m/2 points per class), got ${m}`);
  const a = checkNumber('flower', 'a', o.a ?? 4, 0);
  const random = seededRandom('flower', o.seed ?? 0);
  const perClass = m / 2;
  const x: number[][] = [];
  const y: number[] = [];
  for (let j = 0; j < 2; j++) {
    const t: number[] = [];
    for (let i = 0; i < perClass; i++) t.push(j * 3.12 + (3.12 * i) / (perClass - 1) + random.normal(0, 0.2));
    const r: number[] = [];
    for (let i = 0; i < perClass; i++) r.push(a * Math.sin(4 * t[i]) + random.normal(0, 0.2));
    for (let i = 0; i < perClass; i++) {
      x.push([r[i] * Math.sin(t[i]), r[i] * Math.cos(t[i])]);
      y.push(j);
    }
  }
  return { x, y };
}
