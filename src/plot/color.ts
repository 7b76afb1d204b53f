/**
 * Colour parsing and the palette the charts share (matplotlib's 'tab10', so figures look familiar).
 */
import { ValueError } from '../errors.js';

/** An RGBA colour with channels in 0..255 (alpha too). */
export type RGBA = [number, number, number, number];

/** Class and series colours, in order (matplotlib tab10). */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'] as const;

/** The i-th palette colour, cycling past the end. */
export function paletteColor(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** Parses '#rgb', '#rgba', '#rrggbb' or '#rrggbbaa'; anything else is a ValueError. */
export function parseColor(color: string): RGBA {
  const m = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(color);
  if (!m) throw new ValueError(`plot: colour must be a hex string like '#1f77b4', got ${JSON.stringify(color)}`);
  let hex = m[1];
  if (hex.length <= 4) hex = [...hex].map((c) => c + c).join('');
  const n = (i: number) => parseInt(hex.slice(i, i + 2), 16);
  return [n(0), n(2), n(4), hex.length === 8 ? n(6) : 255];
}

/** Formats channels (0..255) as '#rrggbb', or '#rrggbbaa' when alpha < 255. */
export function toHex(r: number, g: number, b: number, a = 255): string {
  const h = (v: number) =>
    Math.round(Math.min(255, Math.max(0, v)))
      .toString(16)
      .padStart(2, '0');
  return '#' + h(r) + h(g) + h(b) + (a < 255 ? h(a) : '');
}

/** Linear mix of two opaque colours: t = 0 gives a, t = 1 gives b. */
export function mix(a: string, b: string, t: number): string {
  const ca = parseColor(a),
    cb = parseColor(b);
  return toHex(ca[0] + (cb[0] - ca[0]) * t, ca[1] + (cb[1] - ca[1]) * t, ca[2] + (cb[2] - ca[2]) * t);
}
