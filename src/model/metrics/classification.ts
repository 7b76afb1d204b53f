/**
 * Classification metrics over lists of class labels (integers): the confusion matrix, and
 * precision, recall and F1 for one positive class or macro-averaged over classes, plus top-k
 * accuracy over score rows. Pure functions; a class never predicted (or never present) scores
 * 0 where its ratio has no denominator (scikit-learn's zero_division=0).
 */
import { ShapeError, ValueError } from '../../errors.js';

function labels(v: ArrayLike<number>, what: string, side: string): ArrayLike<number> {
  if (v === null || typeof v !== 'object' || typeof v.length !== 'number') throw new ShapeError(`${what}: ${side} must be an array of class labels`);
  for (let i = 0; i < v.length; i++) if (!Number.isInteger(v[i])) throw new ValueError(`${what}: ${side}[${i}] is ${v[i]}, not an integer class label`);
  return v;
}

function checked(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, what: string): [ArrayLike<number>, ArrayLike<number>] {
  const t = labels(yTrue, what, 'yTrue'),
    p = labels(yPred, what, 'yPred');
  if (t.length !== p.length) throw new ShapeError(`${what}: yTrue has ${t.length} labels, yPred ${p.length}`);
  return [t, p];
}

/**
 * counts[i][j]: how many samples of true class classes[i] were predicted as classes[j] (rows
 * true, columns predicted, as scikit-learn). `classes`: the label order, or a class count n
 * for labels 0..n-1; by default every label seen, sorted. Samples whose labels are not in
 * `classes` are left out. Returns { classes, counts } (new arrays).
 */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  classes?: number | readonly number[],
): { classes: number[]; counts: number[][] } {
  const [t, p] = checked(yTrue, yPred, 'confusionMatrix');
  let order: number[];
  if (classes === undefined) order = [...new Set([...Array.from(t), ...Array.from(p)])].sort((a, b) => a - b);
  else if (typeof classes === 'number') {
    if (!Number.isSafeInteger(classes) || classes < 1)
      throw new ValueError(`confusionMatrix: classes must be a count >= 1 or a list of labels, got ${classes}`);
    order = Array.from({ length: classes }, (_, i) => i);
  } else {
    order = Array.from(labels(classes, 'confusionMatrix', 'classes'));
    if (new Set(order).size !== order.length) throw new ValueError('confusionMatrix: classes has a label twice');
  }
  const index = new Map(order.map((c, i) => [c, i]));
  const counts = order.map(() => order.map(() => 0));
  for (let i = 0; i < t.length; i++) {
    const a = index.get(t[i]),
      b = index.get(p[i]);
    if (a !== undefined && b !== undefined) counts[a][b]++;
  }
  return { classes: order, counts };
}

/** Precision, recall and F1 of one class from a confusion matrix. */
function scoresOf(counts: number[][], k: number): { precision: number; recall: number; f1: number } {
  const tp = counts[k][k];
  let predicted = 0,
    actual = 0;
  for (let i = 0; i < counts.length; i++) {
    predicted += counts[i][k];
    actual += counts[k][i];
  }
  const precision = predicted === 0 ? 0 : tp / predicted;
  const recall = actual === 0 ? 0 : tp / actual;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/** How precision / recall / F1 are averaged: one positive class (binary), or the mean over classes. */
export interface AverageOptions {
  /** 'binary' (default): the scores of class `positive`; 'macro': the unweighted mean over `classes`. */
  average?: 'binary' | 'macro';
  /** The positive class of 'binary' (default 1). */
  positive?: number;
  /** Classes of 'macro' (a count or labels; default every label seen). */
  classes?: number | readonly number[];
}

function score(which: 'precision' | 'recall' | 'f1', yTrue: ArrayLike<number>, yPred: ArrayLike<number>, o: AverageOptions): number {
  const average = o.average ?? 'binary';
  if (average === 'binary') {
    const positive = o.positive ?? 1;
    const t = Array.from(checked(yTrue, yPred, which)[0], (v) => (v === positive ? 1 : 0));
    const p = Array.from(yPred, (v) => (v === positive ? 1 : 0));
    return scoresOf(confusionMatrix(t, p, 2).counts, 1)[which];
  }
  if (average !== 'macro') throw new ValueError(`${which}: average must be 'binary' or 'macro', got ${String(average)}`);
  const { counts } = confusionMatrix(yTrue, yPred, o.classes);
  let s = 0;
  for (let k = 0; k < counts.length; k++) s += scoresOf(counts, k)[which];
  return counts.length === 0 ? 0 : s / counts.length;
}

/** tp / (tp + fp) of the positive class, or its macro mean over classes (see AverageOptions). */
export function precision(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: AverageOptions = {}): number {
  return score('precision', yTrue, yPred, options);
}

/** tp / (tp + fn) of the positive class, or its macro mean over classes. */
export function recall(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: AverageOptions = {}): number {
  return score('recall', yTrue, yPred, options);
}

/** 2·P·R / (P + R) of the positive class, or the macro mean of each class's F1 (scikit-learn's f1_score). */
export function f1(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: AverageOptions = {}): number {
  return score('f1', yTrue, yPred, options);
}

/**
 * Fraction of rows whose true class is among the k highest scores of that row (ties broken
 * towards the lower index). `scores`: rows of per-class scores; `yTrue`: class indices.
 */
export function topKAccuracy(yTrue: ArrayLike<number>, scores: readonly ArrayLike<number>[], k = 5): number {
  labels(yTrue, 'topKAccuracy', 'yTrue');
  if (!Number.isSafeInteger(k) || k < 1) throw new ValueError(`topKAccuracy: k must be an integer >= 1, got ${k}`);
  if (scores.length !== yTrue.length) throw new ShapeError(`topKAccuracy: ${yTrue.length} labels but ${scores.length} score rows`);
  if (scores.length === 0) return NaN;
  let hits = 0;
  for (let r = 0; r < scores.length; r++) {
    const row = scores[r],
      c = yTrue[r];
    // Rank of the true class: how many scores beat it (ties before it count as better).
    let better = 0;
    for (let j = 0; j < row.length; j++) if (row[j] > row[c] || (row[j] === row[c] && j < c)) better++;
    if (better < k) hits++;
  }
  return hits / scores.length;
}
