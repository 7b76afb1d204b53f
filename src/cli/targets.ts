/**
 * What the target columns of a CSV become for `wasmlp train`: class indices (from integer labels
 * or from text labels, whose names the model keeps) or real-valued regression targets (one or
 * several trailing columns). `--task` decides; without it, non-integer numeric labels mean
 * regression and anything else classification.
 */
import { parseCSV, parseLabelledCSV } from '../io/csv.js';
import { UsageError } from './usage-error.js';

/** The tasks train knows. */
export const TASKS = ['classification', 'regression'] as const;
/** A task, or 'auto' to detect it from the targets. */
export type TaskFlag = (typeof TASKS)[number] | 'auto';

/** Features and targets of a CSV, with what the model must remember to print them back. */
export interface CSVTargets {
  x: number[][];
  /** Class indices (classification) or target rows (regression). */
  y: number[] | number[][];
  task: (typeof TASKS)[number];
  /** Classes (classification) or target columns (regression). */
  outputs: number;
  /** Class names in index order, when the labels were text. */
  labels?: string[];
  /** Feature column names from the header, when there is one. */
  featureNames?: string[];
  /** Target column names from the header (regression), when there is one. */
  targetNames?: string[];
}

/** Checks a --task value. */
export function taskFlag(value: string | undefined): TaskFlag {
  const v = value ?? 'auto';
  if (v !== 'auto' && !(TASKS as readonly string[]).includes(v)) throw new UsageError(`--task must be classification, regression or auto, got '${v}'`);
  return v as TaskFlag;
}

const isNumber = (s: string): boolean => s !== '' && Number.isFinite(Number(s));

/**
 * Parses CSV text into features and targets: the last `targets` columns are the targets (more
 * than one means regression). Throws UsageError for a task the labels cannot have, the CSV
 * reader's ShapeError / ValueError for bad cells.
 */
export function csvTargets(text: string, task: TaskFlag, targets: number): CSVTargets {
  if (targets > 1) {
    if (task === 'classification') throw new UsageError(`--targets ${targets}: several target columns are a regression; use --task regression`);
    const table = parseCSV(text);
    const width = table.rows[0].length;
    if (width <= targets) throw new UsageError(`--targets ${targets}: the CSV has only ${width} columns, leaving no features`);
    return {
      x: table.rows.map((r) => r.slice(0, width - targets)),
      y: table.rows.map((r) => r.slice(width - targets)),
      task: 'regression',
      outputs: targets,
      featureNames: table.header?.slice(0, width - targets),
      targetNames: table.header?.slice(width - targets),
    };
  }
  const t = parseLabelledCSV(text);
  const featureNames = t.header?.slice(0, -1);
  const numeric = t.labels.every(isNumber);
  const values = numeric ? t.labels.map(Number) : [];
  const integral = numeric && values.every((v) => Number.isInteger(v) && v >= 0);
  if (task === 'regression' || (task === 'auto' && numeric && !integral)) {
    const bad = t.labels.findIndex((l) => !isNumber(l));
    if (bad >= 0) throw new UsageError(`--task regression needs numeric targets, but row ${bad + 1}'s target is ${JSON.stringify(t.labels[bad].slice(0, 30))}`);
    return { x: t.x, y: values.map((v) => [v]), task: 'regression', outputs: 1, featureNames, targetNames: t.header?.slice(-1) };
  }
  if (numeric) {
    if (!integral)
      throw new UsageError('--task classification needs class labels, but the last column holds non-integer or negative numbers (drop --task for regression)');
    const classes = Math.max(...values) + 1;
    return { x: t.x, y: values, task: 'classification', outputs: classes, featureNames };
  }
  // Text labels: classes in sorted order (as scikit-learn's LabelEncoder), the names kept in the model.
  const labels = [...new Set(t.labels)].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  return { x: t.x, y: t.labels.map((l) => index.get(l)!), task: 'classification', outputs: labels.length, labels, featureNames };
}
