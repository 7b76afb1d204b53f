/**
 * The playground's regression data sets, as TensorFlow Playground offers them: a target that is a
 * real number over the plane. `plane` is a tilted plane, y = (x₁ + x₂) / RAW_EXTENT; `gaussians`
 * a sum of Gaussian bumps of height +1 and -1. Points are uniform over [-RAW_EXTENT, RAW_EXTENT]²
 * (scaled into the view afterwards, as every data set); the noise is added to the target.
 */
import { Random } from 'wasmlp';

/** Half the side of the square the raw points are drawn from. */
export const RAW_EXTENT = 6;

/** The bumps of the `gaussians` target: centre (raw units) and height. */
const BUMPS: readonly { cx: number; cy: number; h: number }[] = [
  { cx: -3.5, cy: 3, h: 1 },
  { cx: 2.5, cy: 3.5, h: -1 },
  { cx: 0, cy: 0, h: 1 },
  { cx: -3, cy: -3, h: -1 },
  { cx: 3.5, cy: -2.5, h: 1 },
];
/** Standard deviation of each bump (raw units). */
const BUMP_SD = 1.6;

/** The noiseless target of a regression data set at raw point (a, b). */
export function regressionTarget(name: 'plane' | 'gaussians', a: number, b: number): number {
  if (name === 'plane') return (a + b) / RAW_EXTENT;
  let y = 0;
  for (const { cx, cy, h } of BUMPS) y += h * Math.exp(-((a - cx) ** 2 + (b - cy) ** 2) / (2 * BUMP_SD * BUMP_SD));
  return y;
}

/** n seeded points and their targets plus N(0, noise²) (the noise slider's value, in target units). */
export function regressionPoints(name: 'plane' | 'gaussians', n: number, noise: number, seed: number): { x: number[][]; y: number[] } {
  const r = new Random(seed);
  // The noise has its own stream: the points stay where they are whatever the noise.
  const jitter = new Random((seed ^ 0x27d4eb2f) >>> 0);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = r.uniform(-RAW_EXTENT, RAW_EXTENT);
    const b = r.uniform(-RAW_EXTENT, RAW_EXTENT);
    x.push([a, b]);
    y.push(regressionTarget(name, a, b) + (noise > 0 ? noise * jitter.normal() : 0));
  }
  return { x, y };
}
