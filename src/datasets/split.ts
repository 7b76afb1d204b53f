/** Seeded train / test split, optionally stratified by class. */
import { ShapeError, ValueError, describe } from '../errors.js';
import type { Random } from '../random.js';
import { checkInteger, randomFrom, readOptions } from './options.js';

/** Options of trainTestSplit(). */
export interface SplitOptions {
  /** Test part: a fraction in (0, 1) of the rows (rounded up, as scikit-learn) or a row count >= 1 (default 0.25). */
  testSize?: number;
  /** Seed of the shuffle (default 0), or a Random whose state then advances. */
  seed?: number | Random;
  /** Keep each class's share the same in both parts (default false). Labels: class indices or one-hot rows. */
  stratify?: boolean;
}

/** What trainTestSplit() returns: the train and test rows and their labels. */
export interface Split<Row, Label> {
  xTrain: Row[];
  yTrain: Label[];
  xTest: Row[];
  yTest: Label[];
}

/** The class of a label: the index itself, or the argmax of a one-hot (or probability) row. */
function classOf(label: unknown, i: number): number {
  if (typeof label === 'number' && Number.isSafeInteger(label) && label >= 0) return label;
  if (Array.isArray(label) && label.length > 0) {
    let best = 0;
    for (let c = 1; c < label.length; c++) if (label[c] > label[best]) best = c;
    return best;
  }
  throw new ValueError(`trainTestSplit: stratify needs class indices or one-hot rows, but y[${i}] is ${describe(label)}`);
}

/**
 * Per-class test quotas that add up to `nTest`: each class gets ⌊share⌋ of its exact share
 * count·nTest/n, and the leftover rows go to the largest remainders (ties: lower class first).
 */
function stratifiedQuotas(counts: Map<number, number>, n: number, nTest: number): Map<number, number> {
  const entries = [...counts.entries()].sort((a, b) => a[0] - b[0]);
  const quotas = new Map<number, number>();
  let given = 0;
  for (const [c, count] of entries) {
    const q = Math.floor((count * nTest) / n);
    quotas.set(c, q);
    given += q;
  }
  const byRemainder = entries
    .map(([c, count]) => ({ c, rest: (count * nTest) / n - Math.floor((count * nTest) / n) }))
    .sort((a, b) => b.rest - a.rest || a.c - b.c);
  for (let i = 0; given < nTest; i++, given++) {
    const { c } = byRemainder[i % byRemainder.length];
    quotas.set(c, quotas.get(c)! + 1);
  }
  return quotas;
}

/**
 * Splits rows `x` and labels `y` into a shuffled train part and test part (seeded permutation,
 * as scikit-learn's train_test_split). With `stratify`, each class's rows are split in the same
 * proportion (largest-remainder rounding, so the test part has exactly the requested size).
 * Both parts keep at least one row. Array rows and labels are copied; nothing is mutated except
 * a Random passed as `seed`. Throws ShapeError when x and y differ in length, ValueError for a
 * bad testSize.
 */
export function trainTestSplit<Row, Label>(x: readonly Row[], y: ArrayLike<Label>, options?: SplitOptions): Split<Row, Label> {
  const o = readOptions('trainTestSplit', options, ['testSize', 'seed', 'stratify']);
  if (!Array.isArray(x)) throw new ValueError(`trainTestSplit: x must be an array of rows, got ${describe(x)}`);
  if (typeof y !== 'object' || y === null || typeof y.length !== 'number') {
    throw new ValueError(`trainTestSplit: y must be an array of labels, got ${describe(y)}`);
  }
  const n = x.length;
  if (y.length !== n) throw new ShapeError(`trainTestSplit: x has ${n} rows but y has ${y.length} labels`);
  if (n < 2) throw new ValueError(`trainTestSplit: need at least 2 rows to split, got ${n}`);
  const testSize = o.testSize ?? 0.25;
  if (typeof testSize !== 'number' || !Number.isFinite(testSize) || testSize <= 0) {
    throw new ValueError(`trainTestSplit: testSize must be a fraction in (0, 1) or a row count >= 1, got ${describe(testSize)}`);
  }
  let nTest: number;
  if (testSize < 1) nTest = Math.ceil(testSize * n - 1e-9);
  else nTest = checkInteger('trainTestSplit', 'testSize (a row count)', testSize, 1);
  if (nTest < 1 || nTest >= n) {
    throw new ValueError(`trainTestSplit: testSize ${testSize} leaves ${nTest} of ${n} rows for testing; both parts need at least one row`);
  }
  const stratify = o.stratify ?? false;
  if (typeof stratify !== 'boolean') throw new ValueError(`trainTestSplit: stratify must be true or false, got ${describe(stratify)}`);
  const random = randomFrom('trainTestSplit', o.seed ?? 0);
  const order = random.permutation(n);
  const isTest = new Uint8Array(n);
  if (stratify) {
    const classes = Array.from({ length: n }, (_, i) => classOf(y[i], i));
    const counts = new Map<number, number>();
    for (const c of classes) counts.set(c, (counts.get(c) ?? 0) + 1);
    const quotas = stratifiedQuotas(counts, n, nTest);
    for (const i of order) {
      const left = quotas.get(classes[i])!;
      if (left > 0) {
        isTest[i] = 1;
        quotas.set(classes[i], left - 1);
      }
    }
  } else {
    for (let k = 0; k < nTest; k++) isTest[order[k]] = 1;
  }
  const copy = <T>(v: T): T => (Array.isArray(v) ? (v.slice() as T) : v);
  const split: Split<Row, Label> = { xTrain: [], yTrain: [], xTest: [], yTest: [] };
  for (const i of order) {
    if (isTest[i]) {
      split.xTest.push(copy(x[i]));
      split.yTest.push(copy(y[i]));
    } else {
      split.xTrain.push(copy(x[i]));
      split.yTrain.push(copy(y[i]));
    }
  }
  return split;
}
