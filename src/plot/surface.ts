/**
 * The drawing interface every chart draws onto. Three implementations share it: an SVG string
 * builder, a pure-TypeScript RGBA rasteriser (for PNG) and a browser canvas wrapper, so a chart
 * is one piece of code whatever the output.
 *
 * Coordinates are in pixels, origin top-left, y down. Colours are CSS hex strings
 * ('#rgb', '#rrggbb' or '#rrggbbaa').
 */

/** Horizontal anchor of a text run relative to its x. */
export type TextAlign = 'left' | 'center' | 'right';
/** Vertical anchor of a text run relative to its y ('alphabetic' is the baseline). */
export type TextBaseline = 'top' | 'middle' | 'bottom' | 'alphabetic';

/** How a text run is drawn. Sizes are in pixels (the em size; capitals are about 0.7 of it). */
export interface TextStyle {
  /** Em size in pixels (default 12). */
  size?: number;
  /** CSS hex colour (default '#222222'). */
  color?: string;
  /** Default 'left'. */
  align?: TextAlign;
  /** Default 'alphabetic'. */
  baseline?: TextBaseline;
  /** Bold weight (titles). */
  bold?: boolean;
  /** 0 (default) or -90: text reading bottom-to-top, as a y-axis label. */
  rotate?: 0 | -90;
}

/** Stroke options for lines and polylines. */
export interface StrokeStyle {
  /** CSS hex colour. */
  color: string;
  /** Line width in pixels (default 1). */
  width?: number;
}

/** A 2-D drawing target. Every method paints over what is already there (source-over). */
export interface Surface {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** Fills an axis-aligned rectangle. */
  fillRect(x: number, y: number, w: number, h: number, color: string): void;
  /** Strokes the outline of a rectangle, centred on its edges. */
  strokeRect(x: number, y: number, w: number, h: number, stroke: StrokeStyle): void;
  /** Strokes one straight segment. */
  strokeLine(x1: number, y1: number, x2: number, y2: number, stroke: StrokeStyle): void;
  /** Strokes a connected path through the points (round joins). */
  polyline(points: ReadonlyArray<readonly [number, number]>, stroke: StrokeStyle): void;
  /** Fills a disc, with an optional outline of `strokeWidth` (default 1) inside radius r. */
  fillCircle(cx: number, cy: number, r: number, fill: string, stroke?: string, strokeWidth?: number): void;
  /** Draws a text run anchored at (x, y). */
  text(x: number, y: number, str: string, style?: TextStyle): void;
  /** Advance width in pixels of a text run at this size (what text() would use to align it). */
  measureText(str: string, size?: number, bold?: boolean): number;
  /**
   * Draws an RGBA image of srcW×srcH pixels (row-major, 4 bytes per pixel) scaled onto the
   * rectangle (x, y, w, h): bilinear when smooth (default), nearest-neighbour otherwise.
   */
  image(x: number, y: number, w: number, h: number, rgba: Uint8ClampedArray, srcW: number, srcH: number, smooth?: boolean): void;
}

/** The default text size in pixels. */
export const DEFAULT_TEXT_SIZE = 12;
/** The default text colour. */
export const DEFAULT_TEXT_COLOR = '#222222';

/**
 * Where the baseline of a text run lies relative to the anchor y for a given vertical anchor,
 * using the cap height 0.7·size that the bitmap font has (so every surface places text alike).
 */
export function baselineOffset(baseline: TextBaseline, size: number): number {
  const cap = 0.7 * size;
  switch (baseline) {
    case 'top':
      return cap;
    case 'middle':
      return cap / 2;
    case 'bottom':
      return -0.2 * size; // leaves room for what would be descenders
    default:
      return 0;
  }
}

/** Offset of a run's left edge from the anchor x for its width and horizontal anchor. */
export function alignOffset(align: TextAlign, width: number): number {
  return align === 'center' ? -width / 2 : align === 'right' ? -width : 0;
}
