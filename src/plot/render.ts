/**
 * A chart is a default size plus a function drawing onto any Surface. These helpers render one
 * to PNG bytes, an SVG string, a file (Node) or a browser canvas.
 */
import { ConfigError, ValueError } from '../errors.js';
import { CanvasSurface, type CanvasContextLike } from './canvas-surface.js';
import { RasterSurface } from './raster-surface.js';
import type { Surface } from './surface.js';
import { SvgSurface } from './svg-surface.js';

/** Something drawable: charts lay themselves out in whatever size the surface has. */
export interface Chart {
  /** Default width in pixels. */
  readonly width: number;
  /** Default height in pixels. */
  readonly height: number;
  /** Draws the whole chart onto the surface (mutates it; the chart itself is not changed). */
  draw(surface: Surface): void;
}

/** Output size and background for rendering. */
export interface RenderOptions {
  /** Pixels; default the chart's own width. */
  width?: number;
  /** Pixels; default the chart's own height. */
  height?: number;
  /** CSS hex colour; default '#ffffff'. */
  background?: string;
}

function size(chart: Chart, opts: RenderOptions): [number, number] {
  const w = opts.width ?? chart.width,
    h = opts.height ?? chart.height;
  for (const [k, v] of [
    ['width', w],
    ['height', h],
  ] as const) {
    if (!Number.isInteger(v) || v < 16 || v > 8192) throw new ValueError(`plot: ${k} must be an integer in [16, 8192], got ${v}`);
  }
  return [w, h];
}

/** Renders the chart with the built-in rasteriser and returns the PNG file bytes. */
export function toPNG(chart: Chart, opts: RenderOptions = {}): Uint8Array {
  const [w, h] = size(chart, opts);
  const s = new RasterSurface(w, h, opts.background);
  chart.draw(s);
  return s.toPNG();
}

/** Renders the chart as an SVG document string (heatmaps and digits as embedded PNG images). */
export function toSVG(chart: Chart, opts: RenderOptions = {}): string {
  const [w, h] = size(chart, opts);
  const s = new SvgSurface(w, h, opts.background);
  chart.draw(s);
  return s.toString();
}

/**
 * Draws the chart onto a browser canvas context, at the context's canvas size when it has one.
 * Clears nothing but paints a white background first. Mutates the canvas.
 */
export function drawOnCanvas(ctx: CanvasContextLike & { canvas?: { width: number; height: number } }, chart: Chart, opts: RenderOptions = {}): void {
  const [w, h] = size(chart, { width: opts.width ?? ctx.canvas?.width, height: opts.height ?? ctx.canvas?.height });
  const s = new CanvasSurface(ctx, w, h);
  s.fillRect(0, 0, w, h, opts.background ?? '#ffffff');
  chart.draw(s);
}

/**
 * The file contents of a chart for `path`, PNG or SVG by the path's extension (.png, .svg);
 * a ConfigError for any other extension. Mutates nothing.
 */
export function encodePlot(path: string, chart: Chart, opts: RenderOptions = {}): Uint8Array | string {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === 'png') return toPNG(chart, opts);
  if (ext === 'svg') return toSVG(chart, opts);
  throw new ConfigError(`savePlot: cannot tell the format of ${JSON.stringify(path)}; use a .png or .svg file name`);
}

/**
 * Writes the chart to a file, PNG or SVG by the path's extension (.png, .svg), whole or not at
 * all (temporary file, fsync, rename). Node only: the file system is imported on demand so
 * browser bundles never load it. A missing folder is a ValueError naming the path.
 */
export async function savePlot(path: string, chart: Chart, opts: RenderOptions = {}): Promise<void> {
  const data = encodePlot(path, chart, opts);
  const { writeFileAtomic } = await import('../io/atomic-file.js');
  await writeFileAtomic(path, data, { what: 'savePlot' });
}
