/**
 * Matplotlib-style axes: a framed plot area with outward ticks, tick labels, light grid lines,
 * axis labels and a title; plus the legend box. Layout is computed from the surface's own text
 * measurements, so labels do not collide whichever surface draws them.
 */
import type { Scale } from './scale.js';
import type { Surface } from './surface.js';

/** An axis-aligned rectangle in pixels. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Font sizes and colours shared by every chart. */
export const STYLE = {
  title: 16,
  label: 12,
  tick: 11,
  legend: 11,
  ink: '#222222',
  frame: '#333333',
  grid: '#e5e5e5',
  muted: '#555555',
} as const;

/** Text and tick labels around a plot area. */
export interface AxesText {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** The y tick labels, to size the left margin. */
  yTickLabels: string[];
}

/** The plot area left inside `outer` once title, labels and tick labels have their room. */
export function plotArea(s: Surface, outer: Rect, t: AxesText): Rect {
  const tickW = Math.max(0, ...t.yTickLabels.map((l) => s.measureText(l, STYLE.tick)));
  const left = 10 + (t.yLabel ? STYLE.label + 10 : 0) + tickW + 8;
  const top = t.title ? STYLE.title + 20 : 14;
  const bottom = 8 + STYLE.tick + 8 + (t.xLabel ? STYLE.label + 10 : 0);
  const right = 18;
  return {
    x: Math.round(outer.x + left) + 0.5,
    y: Math.round(outer.y + top) + 0.5,
    w: Math.round(outer.w - left - right),
    h: Math.round(outer.h - top - bottom),
  };
}

/** Ticks and their labels on one axis. */
export interface AxisTicks {
  values: number[];
  labels: string[];
}

/** Grid lines behind the data (draw before the data). Mutates the surface. */
export function drawGrid(s: Surface, area: Rect, x: Scale, y: Scale, xt: AxisTicks, yt: AxisTicks): void {
  const g = { color: STYLE.grid, width: 1 };
  for (const v of xt.values) {
    const px = Math.round(x(v)) + 0.5;
    s.strokeLine(px, area.y, px, area.y + area.h, g);
  }
  for (const v of yt.values) {
    const py = Math.round(y(v)) + 0.5;
    s.strokeLine(area.x, py, area.x + area.w, py, g);
  }
}

/** The frame, ticks, tick labels, axis labels and title (draw after the data). Mutates the surface. */
export function drawAxes(s: Surface, area: Rect, x: Scale, y: Scale, xt: AxisTicks, yt: AxisTicks, t: AxesText): void {
  const line = { color: STYLE.frame, width: 1 };
  s.strokeRect(area.x, area.y, area.w, area.h, line);
  const bottom = area.y + area.h;
  xt.values.forEach((v, i) => {
    const px = Math.round(x(v)) + 0.5;
    s.strokeLine(px, bottom, px, bottom + 4, line);
    s.text(px, bottom + 7, xt.labels[i], { size: STYLE.tick, align: 'center', baseline: 'top', color: STYLE.ink });
  });
  yt.values.forEach((v, i) => {
    const py = Math.round(y(v)) + 0.5;
    s.strokeLine(area.x - 4, py, area.x, py, line);
    s.text(area.x - 7, py, yt.labels[i], { size: STYLE.tick, align: 'right', baseline: 'middle', color: STYLE.ink });
  });
  if (t.xLabel) {
    s.text(area.x + area.w / 2, bottom + 7 + STYLE.tick + 8, t.xLabel, { size: STYLE.label, align: 'center', baseline: 'top' });
  }
  if (t.yLabel) {
    const tickW = Math.max(0, ...yt.labels.map((l) => s.measureText(l, STYLE.tick)));
    s.text(area.x - 7 - tickW - 8 - STYLE.label * 0.7, area.y + area.h / 2, t.yLabel, { size: STYLE.label, align: 'center', baseline: 'top', rotate: -90 });
  }
  if (t.title) drawTitle(s, area.x + area.w / 2, area.y - 12, t.title);
}

/** A bold title centred at x with its baseline at y, shortened with '…' to fit the surface. Mutates the surface. */
export function drawTitle(s: Surface, x: number, y: number, title: string, size: number = STYLE.title): void {
  let str = title;
  while (str.length > 3 && s.measureText(str, size, true) > s.width - 16) str = str.slice(0, -2) + '…';
  const w = s.measureText(str, size, true);
  const cx = Math.min(Math.max(x, 8 + w / 2), s.width - 8 - w / 2);
  s.text(cx, y, str, { size, align: 'center', baseline: 'alphabetic', bold: true });
}

/** One legend row: a line swatch or a marker. */
export interface LegendEntry {
  label: string;
  color: string;
  kind: 'line' | 'marker';
}

/**
 * Draws a legend box in the corner of `area` that hides the fewest of `avoid` (pixel points),
 * like matplotlib's loc='best'. Mutates the surface; returns the box drawn.
 */
export function drawLegend(s: Surface, area: Rect, entries: LegendEntry[], avoid: ReadonlyArray<readonly [number, number]> = []): Rect {
  const row = STYLE.legend + 7,
    pad = 7,
    swatch = 22;
  const w = pad * 2 + swatch + 6 + Math.max(...entries.map((e) => s.measureText(e.label, STYLE.legend)));
  const h = pad * 2 + row * (entries.length - 1) + STYLE.legend * 0.7 + 1;
  const inset = 8;
  const corners: Rect[] = [
    { x: area.x + area.w - w - inset, y: area.y + inset, w, h },
    { x: area.x + inset, y: area.y + inset, w, h },
    { x: area.x + area.w - w - inset, y: area.y + area.h - h - inset, w, h },
    { x: area.x + inset, y: area.y + area.h - h - inset, w, h },
  ];
  let box = corners[0],
    best = Infinity;
  for (const c of corners) {
    let hits = 0;
    for (const [px, py] of avoid) if (px >= c.x - 4 && px <= c.x + c.w + 4 && py >= c.y - 4 && py <= c.y + c.h + 4) hits++;
    if (hits < best) {
      best = hits;
      box = c;
    }
  }
  box = { ...box, x: Math.round(box.x) + 0.5, y: Math.round(box.y) + 0.5 };
  s.fillRect(box.x, box.y, box.w, box.h, '#ffffffe0');
  s.strokeRect(box.x, box.y, box.w, box.h, { color: '#bbbbbb', width: 1 });
  entries.forEach((e, i) => {
    const cy = box.y + pad + i * row + STYLE.legend * 0.35;
    const sx = box.x + pad;
    if (e.kind === 'line') s.strokeLine(sx, cy, sx + swatch, cy, { color: e.color, width: 2.5 });
    else s.fillCircle(sx + swatch / 2, cy, 5, e.color, '#222222', 1);
    s.text(sx + swatch + 6, cy, e.label, { size: STYLE.legend, baseline: 'middle', color: STYLE.ink });
  });
  return box;
}
