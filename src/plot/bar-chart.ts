/**
 * Grouped bar charts: one group of bars per category (e.g. a workload), one bar per series
 * (e.g. a system) in each group, on a linear or log10 value axis, with an optional horizontal
 * reference line (e.g. "1x"). A missing value (null / NaN) leaves its slot empty.
 */
import { ValueError } from '../errors.js';
import { drawAxes, drawGrid, drawLegend, plotArea, STYLE, type LegendEntry } from './axes.js';
import { paletteColor } from './color.js';
import type { Chart } from './render.js';
import { formatLogTicks, formatTicks, logTicks, makeScale, niceTicks } from './scale.js';

/** One series: a value per category (null for none). */
export interface BarSeries {
  name: string;
  values: ReadonlyArray<number | null>;
  /** CSS hex colour; default the palette colour of the series' position. */
  color?: string;
}

/** Options of barChart. */
export interface BarChartOptions {
  /** Category labels along the x axis. */
  categories: readonly string[];
  series: BarSeries[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Log10 value axis (every value must be > 0). */
  logY?: boolean;
  /** Draws a dashed horizontal line at this value, e.g. 1 for ratios. */
  referenceLine?: number;
  /** Default 800. */
  width?: number;
  /** Default 420. */
  height?: number;
}

/** Checks the options eagerly; throws ValueError naming the bad value. */
function check(o: BarChartOptions): void {
  if (!Array.isArray(o.categories) || o.categories.length === 0) throw new ValueError('barChart: categories must be a non-empty array of labels');
  if (!Array.isArray(o.series) || o.series.length === 0) throw new ValueError('barChart: series must be a non-empty array of { name, values }');
  o.series.forEach((s, k) => {
    if (!s || typeof s.name !== 'string') throw new ValueError(`barChart: series ${k} needs a string name`);
    if (!Array.isArray(s.values) || s.values.length !== o.categories.length) {
      throw new ValueError(`barChart: series ${k} (${JSON.stringify(s.name)}) must have one value per category (${o.categories.length})`);
    }
    s.values.forEach((v, i) => {
      if (v === null || Number.isNaN(v)) return;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`barChart: series ${k} value ${i} is ${String(v)}, not a finite number or null`);
      if (o.logY && v <= 0) throw new ValueError(`barChart: logY needs values > 0, but series ${k} has ${v} at index ${i}`);
    });
  });
}

/** A grouped bar chart (see the module comment). Validates eagerly. */
export function barChart(o: BarChartOptions): Chart {
  check(o);
  const values = o.series.flatMap((s) => s.values.filter((v): v is number => v !== null && !Number.isNaN(v)));
  if (o.referenceLine !== undefined) values.push(o.referenceLine);
  if (values.length === 0) values.push(o.logY ? 1 : 0);
  return {
    width: o.width ?? 800,
    height: o.height ?? 420,
    draw(s) {
      let lo = Math.min(...values),
        hi = Math.max(...values);
      let base: number;
      if (o.logY) {
        const l0 = Math.floor(Math.log10(lo)),
          l1 = Math.ceil(Math.log10(hi));
        [lo, hi] = [10 ** l0, 10 ** (l1 === l0 ? l0 + 1 : l1)];
        base = lo;
      } else {
        lo = Math.min(0, lo);
        hi = hi === lo ? lo + 1 : hi * 1.05;
        base = 0;
      }
      const yv = o.logY ? logTicks(lo, hi) : niceTicks(lo, hi, 6);
      const yt = { values: yv, labels: o.logY ? formatLogTicks(yv) : formatTicks(yv) };
      const area = plotArea(s, { x: 0, y: 0, w: s.width, h: s.height }, { title: o.title, xLabel: o.xLabel, yLabel: o.yLabel, yTickLabels: yt.labels });
      const y = makeScale([lo, hi], [area.y + area.h, area.y], o.logY);
      const x = makeScale([0, o.categories.length], [area.x, area.x + area.w]);
      const none = { values: [], labels: [] };
      drawGrid(s, area, x, y, none, yt);
      const group = area.w / o.categories.length;
      const bar = (group * 0.8) / o.series.length;
      const avoid: [number, number][] = [];
      o.series.forEach((ser, k) => {
        const color = ser.color ?? paletteColor(k);
        ser.values.forEach((v, i) => {
          if (v === null || Number.isNaN(v)) return;
          const x0 = area.x + i * group + group * 0.1 + k * bar;
          const top = y(Math.max(v, lo)),
            bottom = y(base);
          s.fillRect(x0, Math.min(top, bottom), Math.max(1, bar - 1), Math.abs(bottom - top), color);
          for (let py = Math.min(top, bottom); py <= Math.max(top, bottom); py += 8) avoid.push([x0 + bar / 2, py]);
        });
      });
      if (o.referenceLine !== undefined) {
        const py = Math.round(y(o.referenceLine)) + 0.5;
        for (let px = area.x; px < area.x + area.w; px += 10) s.strokeLine(px, py, Math.min(px + 6, area.x + area.w), py, { color: '#222222', width: 1.5 });
      }
      drawAxes(s, area, x, y, none, yt, { title: o.title, xLabel: undefined, yLabel: o.yLabel, yTickLabels: yt.labels });
      o.categories.forEach((c, i) => {
        s.text(area.x + (i + 0.5) * group, area.y + area.h + 7, c, { size: STYLE.tick, align: 'center', baseline: 'top', color: STYLE.ink });
      });
      if (o.xLabel) s.text(area.x + area.w / 2, area.y + area.h + 7 + STYLE.tick + 8, o.xLabel, { size: STYLE.label, align: 'center', baseline: 'top' });
      const entries: LegendEntry[] = o.series.map((ser, k) => ({ label: ser.name, color: ser.color ?? paletteColor(k), kind: 'marker' }));
      drawLegend(s, area, entries, avoid);
    },
  };
}
