/**
 * Line charts: loss and accuracy curves (train and validation), or any named series of values.
 */
import { ValueError } from '../errors.js';
import { drawAxes, drawGrid, drawLegend, plotArea, type LegendEntry, type Rect } from './axes.js';
import { paletteColor } from './color.js';
import type { Chart } from './render.js';
import { formatLogTicks, formatTicks, logTicks, makeScale, niceTicks } from './scale.js';
import type { Surface } from './surface.js';

/** One named curve: y values (x = xStart, xStart+1, ...) or [x, y] pairs. */
export interface Series {
  name: string;
  values: ReadonlyArray<number> | ReadonlyArray<readonly [number, number]>;
  /** CSS hex colour; default the palette colour of the series' position. */
  color?: string;
}

/** Options of lineChart. */
export interface LineChartOptions {
  series: Series[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Log10 y axis (every y must be > 0). */
  logY?: boolean;
  /** Shared x values for series given as plain y lists (same length as each). */
  x?: ReadonlyArray<number>;
  /** First x for plain y lists without `x` (default 1: epochs count from 1). */
  xStart?: number;
  /** Default 640. */
  width?: number;
  /** Default 400. */
  height?: number;
}

/** A validated series: parallel x and y arrays. */
export interface Curve {
  name: string;
  color: string;
  xs: number[];
  ys: number[];
}

/** Checks series and turns them into parallel x/y arrays; throws ValueError naming the bad value. */
export function toCurves(opts: Pick<LineChartOptions, 'series' | 'x' | 'xStart' | 'logY'>, who = 'lineChart'): Curve[] {
  if (!Array.isArray(opts.series) || opts.series.length === 0) throw new ValueError(`${who}: series must be a non-empty array of { name, values }`);
  const xStart = opts.xStart ?? 1;
  if (!Number.isFinite(xStart)) throw new ValueError(`${who}: xStart must be a finite number, got ${xStart}`);
  return opts.series.map((s, k) => {
    const label = `series ${k}${typeof s?.name === 'string' ? ` (${JSON.stringify(s.name)})` : ''}`;
    if (!s || typeof s.name !== 'string') throw new ValueError(`${who}: ${label} needs a string name`);
    const values = s.values as ReadonlyArray<unknown>;
    if (!Array.isArray(values) || values.length === 0) throw new ValueError(`${who}: ${label} has no values`);
    const xs: number[] = [],
      ys: number[] = [];
    const pairs = Array.isArray(values[0]);
    if (!pairs && opts.x && opts.x.length !== values.length) {
      throw new ValueError(`${who}: x has ${opts.x.length} values but ${label} has ${values.length}; they must match`);
    }
    values.forEach((v, i) => {
      let px: unknown, py: unknown;
      if (pairs) {
        if (!Array.isArray(v) || v.length !== 2) throw new ValueError(`${who}: ${label} value ${i} must be an [x, y] pair like the first one`);
        [px, py] = v;
      } else {
        px = opts.x ? opts.x[i] : xStart + i;
        py = v;
      }
      if (typeof px !== 'number' || !Number.isFinite(px)) throw new ValueError(`${who}: ${label} x at index ${i} is ${String(px)}, not a finite number`);
      if (typeof py !== 'number' || !Number.isFinite(py)) throw new ValueError(`${who}: ${label} value at index ${i} is ${String(py)}, not a finite number`);
      if (opts.logY && py <= 0) throw new ValueError(`${who}: logY needs values > 0, but ${label} has ${py} at index ${i}`);
      xs.push(px);
      ys.push(py);
    });
    return { name: s.name, color: s.color ?? paletteColor(k), xs, ys };
  });
}

/** Options of one line panel (the chart-level ones minus size). */
export interface LinePanelOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  logY?: boolean;
  yDomain?: [number, number];
}

/**
 * Draws validated curves in the rectangle `outer` of the surface: grid, curves (markers too when
 * short), axes and a legend. Mutates the surface; returns the plot area used.
 */
export function drawLinePanel(s: Surface, outer: Rect, curves: Curve[], o: LinePanelOptions): Rect {
  const allX = curves.flatMap((c) => c.xs),
    allY = curves.flatMap((c) => c.ys);
  let x0 = Math.min(...allX),
    x1 = Math.max(...allX);
  if (x0 === x1) {
    x0 -= 1;
    x1 += 1;
  }
  const mx = (x1 - x0) * 0.04;
  let [y0, y1] = o.yDomain ?? [Math.min(...allY), Math.max(...allY)];
  // Matplotlib's 5% margins, in log space for a log axis.
  if (o.logY) {
    let l0 = Math.log10(y0),
      l1 = Math.log10(y1);
    if (l0 === l1) {
      l0 -= 0.5;
      l1 += 0.5;
    }
    const m = (l1 - l0) * 0.05;
    [y0, y1] = [10 ** (l0 - m), 10 ** (l1 + m)];
  } else if (!o.yDomain) {
    if (y0 === y1) {
      const d = y0 === 0 ? 1 : Math.abs(y0) * 0.1;
      y0 -= d;
      y1 += d;
    }
    const m = (y1 - y0) * 0.05;
    y0 -= m;
    y1 += m;
  }
  const yv = o.logY ? logTicks(y0, y1) : niceTicks(y0, y1, 6);
  const yt = { values: yv, labels: o.logY ? formatLogTicks(yv) : formatTicks(yv) };
  const area = plotArea(s, outer, { title: o.title, xLabel: o.xLabel, yLabel: o.yLabel, yTickLabels: yt.labels });
  const x = makeScale([x0 - mx, x1 + mx], [area.x, area.x + area.w]);
  const y = makeScale([y0, y1], [area.y + area.h, area.y], o.logY);
  const allInt = allX.every(Number.isInteger);
  const xv = niceTicks(x0 - mx, x1 + mx, Math.max(2, Math.min(8, Math.floor(area.w / 70)))).filter((v) => !allInt || Number.isInteger(v));
  const xt = { values: xv, labels: formatTicks(xv) };

  drawGrid(s, area, x, y, xt, yt);
  const avoid: [number, number][] = [];
  for (const c of curves) {
    const pts = c.xs.map((v, i) => [x(v), y(c.ys[i])] as [number, number]);
    s.polyline(pts, { color: c.color, width: 2 });
    if (pts.length <= 30) for (const [px, py] of pts) s.fillCircle(px, py, 3, c.color);
    // Sample the curve densely enough that the legend avoids lines, not just their vertices.
    for (let i = 0; i < pts.length; i++) {
      avoid.push(pts[i]);
      if (i > 0)
        for (let t = 0.25; t < 1; t += 0.25) avoid.push([pts[i - 1][0] + (pts[i][0] - pts[i - 1][0]) * t, pts[i - 1][1] + (pts[i][1] - pts[i - 1][1]) * t]);
    }
  }
  drawAxes(s, area, x, y, xt, yt, { title: o.title, xLabel: o.xLabel, yLabel: o.yLabel, yTickLabels: yt.labels });
  const entries: LegendEntry[] = curves.map((c) => ({ label: c.name, color: c.color, kind: 'line' }));
  drawLegend(s, area, entries, avoid);
  return area;
}

/**
 * A chart of named curves with nice ticks and a legend, e.g. train and validation loss per epoch.
 * Validates eagerly (ValueError for empty series, mismatched lengths, non-finite values).
 */
export function lineChart(opts: LineChartOptions): Chart {
  const curves = toCurves(opts);
  return {
    width: opts.width ?? 640,
    height: opts.height ?? 400,
    draw(s) {
      drawLinePanel(s, { x: 0, y: 0, w: s.width, h: s.height }, curves, opts);
    },
  };
}
