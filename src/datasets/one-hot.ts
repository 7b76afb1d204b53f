/** One-hot encoding of class indices. */
import { ValueError, describe } from '../errors.js';
import { checkInteger, checkLabels } from './options.js';

/**
 * Turns class indices into one-hot rows: label c becomes a row of `classes` zeros with a 1 at c.
 * `classes` defaults to the largest label + 1. Throws ValueError for non-integer or negative
 * labels and for a label >= `classes`. Returns new arrays; `labels` is not mutated.
 */
export function oneHot(labels: ArrayLike<number>, classes?: number): number[][] {
  if (typeof labels !== 'object' || labels === null || typeof labels.length !== 'number') {
    throw new ValueError(`oneHot: labels must be an array of class indices, got ${describe(labels)}`);
  }
  const seen = checkLabels('oneHot', 'labels', labels);
  const width = classes === undefined ? Math.max(seen, 1) : checkInteger('oneHot', 'classes', classes, 1, 1 << 24);
  const rows: number[][] = [];
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (c >= width) throw new ValueError(`oneHot: labels[${i}] is ${c} but classes is ${width} (labels must be < classes)`);
    const row = new Array<number>(width).fill(0);
    row[c] = 1;
    rows.push(row);
  }
  return rows;
}
