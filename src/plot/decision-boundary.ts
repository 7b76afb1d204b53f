/**
 * Decision boundary of a 2-D classifier: the predictor evaluated on a grid over the data's
 * bounding box (in one batched call), each cell tinted by its predicted class with intensity by
 * confidence, the data points on top in their true class colours, axes and a legend.
 */
import { ConfigError, ValueError } from '../errors.js';
import { STYLE, drawAxes, drawLegend, drawTitle, plotArea, type LegendEntry } from './axes.js';
import { mix, paletteColor, parseColor } from './color.js';
import type { Chart } from './render.js';
import { formatTicks, makeScale, niceTicks } from './scale.js';

/** What a predictor may return: probabilities/logits per row, one value per row, or `{ data, shape }`. */
export type Prediction = ReadonlyArray<ReadonlyArray<number>> | ReadonlyArray<number> | { data: ArrayLike<number>; shape: readonly number[] };

/** Options of decisionBoundary. Give `predict` or `model`. */
export interface DecisionBoundaryOptions {
  /** Called once with every grid point (then the data points) as [x0, x1] rows. */
  predict?: (points: number[][]) => Prediction;
  /** A wasmlp model (or anything with predictProba): used when `predict` is absent. */
  model?: {
    /** Class probabilities of each row of points. */
    predictProba(x: number[][]): number[][];
  };
  /** The data points, n rows of 2 features. */
  x: ReadonlyArray<ReadonlyArray<number>>;
  /** True classes: indices, 0/1, or one-hot rows (a typed array of indices too). */
  y: ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>> | Int32Array | Uint8Array | Float32Array | Float64Array;
  /** Number of classes (default: inferred from y and the predictions). */
  classes?: number;
  /** Legend labels per class (default 'class 0', 'class 1', ...). */
  classNames?: string[];
  /** Grid cells per side (default 100, at most 1000). */
  gridSize?: number;
  /** Margin around the data's bounding box as a fraction of its extent (default 0.1). */
  padding?: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Show the predictor's accuracy on the points under the title (default true). */
  showAccuracy?: boolean;
  /** Default 640. */
  width?: number;
  /** Default 480. */
  height?: number;
}

/** Predicted class and confidence (0..1) per row. */
interface Decisions {
  cls: Int32Array;
  conf: Float64Array;
  width: number;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * Reads a prediction of `rows` rows: one column is p(class 1) (a logit when outside [0, 1], a class
 * index when every value is an integer > 1); several columns are probabilities or logits.
 */
function readDecisions(pred: Prediction, rows: number, who = 'decisionBoundary'): Decisions {
  let data: ArrayLike<number>, cols: number;
  if (pred && !Array.isArray(pred) && 'data' in (pred as object)) {
    const t = pred as { data: ArrayLike<number>; shape: readonly number[] };
    data = t.data;
    cols = t.shape.length > 1 ? t.shape[1] : 1;
  } else if (Array.isArray(pred) && Array.isArray(pred[0])) {
    const r = pred as ReadonlyArray<ReadonlyArray<number>>;
    cols = r[0].length;
    if (r.some((row) => !Array.isArray(row) || row.length !== cols)) throw new ValueError(`${who}: the predictor returned ragged rows`);
    data = r.flat();
  } else if (Array.isArray(pred)) {
    data = pred as ReadonlyArray<number>;
    cols = 1;
  } else throw new ValueError(`${who}: the predictor must return number[][], number[] or { data, shape }, got ${typeof pred}`);
  if (cols < 1 || data.length !== rows * cols)
    throw new ValueError(`${who}: the predictor returned ${data.length} values for ${rows} points; expected ${rows} rows`);
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) throw new ValueError(`${who}: the predictor returned ${data[i]} at value ${i}`);
  const cls = new Int32Array(rows),
    conf = new Float64Array(rows);
  if (cols === 1) {
    let isProb = true,
      isIndex = true;
    for (let i = 0; i < rows; i++) {
      const v = data[i];
      if (v < 0 || v > 1) isProb = false;
      if (!Number.isInteger(v) || v < 0) isIndex = false;
    }
    for (let i = 0; i < rows; i++) {
      if (!isProb && isIndex) {
        cls[i] = data[i];
        conf[i] = 1;
        continue;
      }
      const p = isProb ? data[i] : sigmoid(data[i]);
      cls[i] = p > 0.5 ? 1 : 0;
      conf[i] = Math.abs(p - 0.5) * 2;
    }
    return { cls, conf, width: isProb || !isIndex ? 2 : Math.max(...cls) + 1 };
  }
  let probs = true;
  for (let i = 0; i < data.length; i++)
    if (data[i] < 0 || data[i] > 1) {
      probs = false;
      break;
    }
  for (let r = 0; r < rows; r++) {
    let best = 0,
      max = -Infinity,
      sum = 0;
    for (let c = 0; c < cols; c++)
      if (data[r * cols + c] > max) {
        max = data[r * cols + c];
        best = c;
      }
    // Logits become probabilities through a softmax, so confidence means the same thing for both.
    for (let c = 0; c < cols; c++) sum += probs ? data[r * cols + c] : Math.exp(data[r * cols + c] - max);
    const p = probs ? max / (sum || 1) : 1 / sum;
    cls[r] = best;
    conf[r] = Math.max(0, Math.min(1, (p - 1 / cols) / (1 - 1 / cols)));
  }
  return { cls, conf, width: cols };
}

/** True class indices from indices, 0/1 values or one-hot rows. */
function trueClasses(yIn: DecisionBoundaryOptions['y'], n: number): number[] {
  const y = ArrayBuffer.isView(yIn) ? Array.from(yIn as unknown as ArrayLike<number>) : yIn;
  if (!Array.isArray(y) || y.length !== n)
    throw new ValueError(`decisionBoundary: y must have one label per point (${n}), got ${Array.isArray(y) ? y.length : typeof y}`);
  return (y as ReadonlyArray<unknown>).map((v, i) => {
    if (Array.isArray(v)) {
      let best = 0;
      v.forEach((p: number, c: number) => {
        if (p > v[best]) best = c;
      });
      return best;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      throw new ValueError(`decisionBoundary: y[${i}] must be a class index (integer >= 0) or a one-hot row, got ${String(v)}`);
    return v;
  });
}

/**
 * Builds the decision-boundary chart. Calls the predictor once, now, with gridSize² grid points
 * followed by the n data points; throws ValueError/ConfigError for bad input before calling it.
 */
export function decisionBoundary(opts: DecisionBoundaryOptions): Chart {
  const predict = opts.predict ?? (opts.model ? (p: number[][]) => opts.model!.predictProba(p) : undefined);
  if (typeof predict !== 'function') throw new ConfigError('decisionBoundary: pass predict: (points) => predictions, or model (with predictProba)');
  const { x } = opts;
  if (!Array.isArray(x) || x.length === 0) throw new ValueError('decisionBoundary: x must be a non-empty array of [x0, x1] points');
  x.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 2)
      throw new ValueError(`decisionBoundary: x[${i}] must be a point of 2 features, got ${Array.isArray(p) ? p.length : typeof p}`);
    if (!p.every(Number.isFinite)) throw new ValueError(`decisionBoundary: x[${i}] = [${p.join(', ')}] is not finite`);
  });
  const labels = trueClasses(opts.y, x.length);
  const g = opts.gridSize ?? 100;
  if (!Number.isInteger(g) || g < 2 || g > 1000) throw new ValueError(`decisionBoundary: gridSize must be an integer in [2, 1000], got ${g}`);
  const pad = opts.padding ?? 0.1;
  if (!Number.isFinite(pad) || pad < 0) throw new ValueError(`decisionBoundary: padding must be a finite number >= 0, got ${pad}`);

  const ext = (k: 0 | 1): [number, number] => {
    let lo = Math.min(...x.map((p) => p[k])),
      hi = Math.max(...x.map((p) => p[k]));
    const span = hi - lo || Math.abs(lo) || 1;
    lo -= span * pad;
    hi += span * pad;
    return hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5];
  };
  const [xd, yd] = [ext(0), ext(1)];
  // Cell centres, row by row from the top (largest x1) so the image needs no flipping.
  const points: number[][] = [];
  for (let j = 0; j < g; j++)
    for (let i = 0; i < g; i++) {
      points.push([xd[0] + ((i + 0.5) / g) * (xd[1] - xd[0]), yd[1] - ((j + 0.5) / g) * (yd[1] - yd[0])]);
    }
  for (const p of x) points.push([p[0], p[1]]);
  const dec = readDecisions(predict(points), points.length);
  const k = Math.max(2, opts.classes ?? 0, dec.width, Math.max(...labels) + 1, Math.max(...dec.cls) + 1);
  const names = opts.classNames ?? Array.from({ length: k }, (_, c) => `class ${c}`);
  if (names.length < k) throw new ValueError(`decisionBoundary: classNames has ${names.length} names for ${k} classes`);

  // Background tints: near white at the boundary, a clear pastel where the model is sure.
  const rgba = new Uint8ClampedArray(g * g * 4);
  for (let q = 0; q < g * g; q++) {
    const [r, gg, b] = parseColor(mix('#ffffff', paletteColor(dec.cls[q]), 0.12 + 0.43 * dec.conf[q]));
    rgba.set([r, gg, b, 255], q * 4);
  }
  let right = 0;
  labels.forEach((l, i) => {
    if (dec.cls[g * g + i] === l) right++;
  });
  const accuracy = right / labels.length;

  return {
    width: opts.width ?? 640,
    height: opts.height ?? 480,
    draw(s) {
      const xv = niceTicks(xd[0], xd[1], 6),
        yv = niceTicks(yd[0], yd[1], 6);
      const xt = { values: xv, labels: formatTicks(xv) },
        yt = { values: yv, labels: formatTicks(yv) };
      const text = { xLabel: opts.xLabel ?? 'x[0]', yLabel: opts.yLabel ?? 'x[1]', yTickLabels: yt.labels };
      const showAcc = opts.showAccuracy !== false,
        top = showAcc ? 46 : 32;
      drawTitle(s, s.width / 2, 24, opts.title ?? 'Decision boundary');
      if (showAcc) s.text(s.width / 2, 40, `accuracy on these points: ${(accuracy * 100).toFixed(1)}%`, { size: 11, align: 'center', color: STYLE.muted });
      const area = plotArea(s, { x: 0, y: top - 14, w: s.width, h: s.height - top + 14 }, text);
      const sx = makeScale(xd, [area.x, area.x + area.w]),
        sy = makeScale(yd, [area.y + area.h, area.y]);
      s.image(area.x, area.y, area.w, area.h, rgba, g, g, true);
      const r = x.length > 2000 ? 2.5 : x.length > 500 ? 3.5 : 4.5;
      const pix = x.map((p) => [sx(p[0]), sy(p[1])] as [number, number]);
      pix.forEach(([px, py], i) => s.fillCircle(px, py, r, paletteColor(labels[i]), '#222222', 1));
      drawAxes(s, area, sx, sy, xt, yt, text);
      const used = new Set([...labels, ...dec.cls]);
      const entries: LegendEntry[] = names
        .slice(0, k)
        .map((name, c) => ({ label: name, color: paletteColor(c), kind: 'marker' as const }))
        .filter((_, c) => used.has(c));
      drawLegend(s, area, entries, pix);
    },
  };
}
