/**
 * Colours of the playground: class colours from wasmlp's plot palette, and the diverging
 * blue–white–orange scale of the neuron heatmaps and weights (negative blue, positive orange).
 */
import { plot } from 'wasmlp';

/** RGB of class c. */
export function classRGB(c: number): [number, number, number] {
  const hex = plot.PALETTE[c % plot.PALETTE.length];
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

/** CSS colour of class c. */
export function classColor(c: number): string {
  return plot.PALETTE[c % plot.PALETTE.length];
}

const NEG: [number, number, number] = [31, 119, 180];
const POS: [number, number, number] = [245, 130, 32];

/** A value in [-1, 1] on the diverging scale (0 is white). */
export function divergingRGB(t: number): [number, number, number] {
  const c = t < 0 ? NEG : POS;
  const a = Math.min(1, Math.abs(t));
  return [255 + (c[0] - 255) * a, 255 + (c[1] - 255) * a, 255 + (c[2] - 255) * a];
}

/** The diverging scale as CSS. */
export function divergingColor(t: number): string {
  const [r, g, b] = divergingRGB(t);
  return `rgb(${r | 0},${g | 0},${b | 0})`;
}
