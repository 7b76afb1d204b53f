/**
 * A pure-TypeScript RGBA rasteriser implementing Surface, with anti-aliasing by pixel coverage
 * and text from the built-in 5×7 bitmap font. `toPNG()` encodes through fast-png, so it runs
 * unchanged in Node and browsers.
 */
import { encode } from 'fast-png';
import { ValueError } from '../errors.js';
import { parseColor, type RGBA } from './color.js';
import { GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyphPixel } from './font5x7.js';
import { DEFAULT_TEXT_COLOR, DEFAULT_TEXT_SIZE, alignOffset, baselineOffset, type StrokeStyle, type Surface, type TextStyle } from './surface.js';

/**
 * Per-pixel coverage (0..1) over a bounding box, blended once at the end. Shapes made of parts
 * (a polyline's segments, a glyph's pixels) accumulate here first, so shared edges do not get
 * painted twice and show seams or dark joints.
 */
class Mask {
  readonly data: Float32Array;
  constructor(
    readonly x0: number,
    readonly y0: number,
    readonly w: number,
    readonly h: number,
  ) {
    this.data = new Float32Array(Math.max(0, w * h));
  }
  set(px: number, py: number, c: number, additive: boolean): void {
    const i = (py - this.y0) * this.w + (px - this.x0);
    this.data[i] = additive ? Math.min(1, this.data[i] + c) : Math.max(this.data[i], c);
  }
}

/** Overlap of the pixel span [p, p+1) with [a, b). */
function overlap(p: number, a: number, b: number): number {
  return Math.max(0, Math.min(p + 1, b) - Math.max(p, a));
}

/** A width×height RGBA canvas in memory, initialised to `background` (default opaque white). */
export class RasterSurface implements Surface {
  /** The pixels, row-major RGBA; mutated by every drawing call. */
  readonly pixels: Uint8ClampedArray;

  constructor(
    readonly width: number,
    readonly height: number,
    background = '#ffffff',
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width * height > 1 << 26) {
      throw new ValueError(`RasterSurface: width and height must be positive integers (at most 2^26 pixels), got ${width}×${height}`);
    }
    this.pixels = new Uint8ClampedArray(width * height * 4);
    const [r, g, b, a] = parseColor(background);
    for (let i = 0; i < this.pixels.length; i += 4) {
      this.pixels[i] = r;
      this.pixels[i + 1] = g;
      this.pixels[i + 2] = b;
      this.pixels[i + 3] = a;
    }
  }

  /** Source-over blend of one pixel with colour c at coverage `cov`. */
  private blend(px: number, py: number, c: RGBA, cov: number): void {
    if (px < 0 || py < 0 || px >= this.width || py >= this.height || cov <= 0) return;
    const a = (c[3] / 255) * Math.min(1, cov);
    const i = (py * this.width + px) * 4,
      p = this.pixels;
    const da = p[i + 3] / 255,
      oa = a + da * (1 - a);
    if (oa <= 0) return;
    for (let k = 0; k < 3; k++) p[i + k] = (c[k] * a + p[i + k] * da * (1 - a)) / oa;
    p[i + 3] = oa * 255;
  }

  /** A mask over the given box clipped to the surface. */
  private mask(x0: number, y0: number, x1: number, y1: number): Mask {
    const a = Math.max(0, Math.floor(x0)),
      b = Math.max(0, Math.floor(y0));
    const c = Math.min(this.width, Math.ceil(x1)),
      d = Math.min(this.height, Math.ceil(y1));
    return new Mask(a, b, Math.max(0, c - a), Math.max(0, d - b));
  }

  private blendMask(m: Mask, color: string): void {
    const c = parseColor(color);
    for (let j = 0; j < m.h; j++)
      for (let i = 0; i < m.w; i++) {
        const v = m.data[j * m.w + i];
        if (v > 0) this.blend(m.x0 + i, m.y0 + j, c, v);
      }
  }

  /** Adds an axis-aligned rectangle's area coverage to a mask. */
  private addRect(m: Mask, x: number, y: number, w: number, h: number): void {
    const xa = Math.max(m.x0, Math.floor(x)),
      xb = Math.min(m.x0 + m.w, Math.ceil(x + w));
    const ya = Math.max(m.y0, Math.floor(y)),
      yb = Math.min(m.y0 + m.h, Math.ceil(y + h));
    for (let py = ya; py < yb; py++) {
      const cy = overlap(py, y, y + h);
      for (let px = xa; px < xb; px++) m.set(px, py, cy * overlap(px, x, x + w), true);
    }
  }

  /** Adds a round-capped segment of width `lw` to a mask (coverage from distance to the axis). */
  private addSegment(m: Mask, x1: number, y1: number, x2: number, y2: number, lw: number): void {
    const hw = lw / 2,
      dx = x2 - x1,
      dy = y2 - y1,
      len2 = dx * dx + dy * dy;
    const xa = Math.max(m.x0, Math.floor(Math.min(x1, x2) - hw - 1)),
      xb = Math.min(m.x0 + m.w, Math.ceil(Math.max(x1, x2) + hw + 1));
    const ya = Math.max(m.y0, Math.floor(Math.min(y1, y2) - hw - 1)),
      yb = Math.min(m.y0 + m.h, Math.ceil(Math.max(y1, y2) + hw + 1));
    for (let py = ya; py < yb; py++)
      for (let px = xa; px < xb; px++) {
        const cx = px + 0.5,
          cy = py + 0.5;
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((cx - x1) * dx + (cy - y1) * dy) / len2));
        const d = Math.hypot(cx - (x1 + t * dx), cy - (y1 + t * dy));
        const cov = Math.min(1, hw + 0.5 - d, lw); // thin lines never cover more than their width
        if (cov > 0) m.set(px, py, cov, false);
      }
  }

  /** @inheritdoc */
  fillRect(x: number, y: number, w: number, h: number, color: string): void {
    if (!(w > 0 && h > 0)) return;
    const m = this.mask(x, y, x + w, y + h);
    this.addRect(m, x, y, w, h);
    this.blendMask(m, color);
  }

  /** @inheritdoc */
  strokeRect(x: number, y: number, w: number, h: number, stroke: StrokeStyle): void {
    this.polyline(
      [
        [x, y],
        [x + w, y],
        [x + w, y + h],
        [x, y + h],
        [x, y],
      ],
      stroke,
    );
  }

  /** @inheritdoc */
  strokeLine(x1: number, y1: number, x2: number, y2: number, stroke: StrokeStyle): void {
    this.polyline(
      [
        [x1, y1],
        [x2, y2],
      ],
      stroke,
    );
  }

  /** @inheritdoc */
  polyline(points: ReadonlyArray<readonly [number, number]>, stroke: StrokeStyle): void {
    if (points.length === 0) return;
    const lw = stroke.width ?? 1,
      pad = lw / 2 + 1;
    let x0 = Infinity,
      y0 = Infinity,
      x1 = -Infinity,
      y1 = -Infinity;
    for (const [px, py] of points) {
      x0 = Math.min(x0, px);
      y0 = Math.min(y0, py);
      x1 = Math.max(x1, px);
      y1 = Math.max(y1, py);
    }
    const m = this.mask(x0 - pad, y0 - pad, x1 + pad, y1 + pad);
    if (points.length === 1) this.addSegment(m, points[0][0], points[0][1], points[0][0], points[0][1], lw);
    for (let i = 1; i < points.length; i++) this.addSegment(m, points[i - 1][0], points[i - 1][1], points[i][0], points[i][1], lw);
    this.blendMask(m, stroke.color);
  }

  private disc(cx: number, cy: number, r: number, color: string): void {
    if (!(r > 0)) return;
    const m = this.mask(cx - r - 1, cy - r - 1, cx + r + 1, cy + r + 1);
    for (let j = 0; j < m.h; j++)
      for (let i = 0; i < m.w; i++) {
        const d = Math.hypot(m.x0 + i + 0.5 - cx, m.y0 + j + 0.5 - cy);
        m.data[j * m.w + i] = Math.max(0, Math.min(1, r + 0.5 - d));
      }
    this.blendMask(m, color);
  }

  /** @inheritdoc */
  fillCircle(cx: number, cy: number, r: number, fill: string, stroke?: string, strokeWidth = 1): void {
    if (stroke) {
      this.disc(cx, cy, r, stroke);
      this.disc(cx, cy, r - strokeWidth, fill);
    } else this.disc(cx, cy, r, fill);
  }

  /** Font pixel size for an em size: integer when close, so small text stays crisp. */
  private static scaleFor(size: number): number {
    const s = size / 10;
    return Math.abs(s - Math.round(s)) < 0.25 ? Math.max(1, Math.round(s)) : s;
  }

  /** @inheritdoc */
  measureText(str: string, size = DEFAULT_TEXT_SIZE, bold = false): number {
    const s = RasterSurface.scaleFor(size);
    return str.length === 0 ? 0 : (str.length * GLYPH_ADVANCE - 1) * s + (bold ? s * 0.6 : 0);
  }

  /** @inheritdoc */
  text(x: number, y: number, str: string, style: TextStyle = {}): void {
    const size = style.size ?? DEFAULT_TEXT_SIZE,
      s = RasterSurface.scaleFor(size);
    const width = this.measureText(str, size, style.bold);
    // Layout in the text's own frame: u along the run, v down from the anchor.
    const u0 = alignOffset(style.align ?? 'left', width);
    const v0 = baselineOffset(style.baseline ?? 'alphabetic', size) - GLYPH_HEIGHT * s;
    const rotated = style.rotate === -90;
    // The run's origin snapped to whole pixels, so integer-scaled glyphs stay crisp when centred.
    const ox = Math.round(rotated ? x + v0 : x + u0),
      oy = Math.round(rotated ? y - u0 : y + v0);
    const len = width,
      thick = GLYPH_HEIGHT * s;
    const m = rotated ? this.mask(ox - 1, oy - len - 1, ox + thick + 1, oy + 1) : this.mask(ox - 1, oy - 1, ox + len + 1, oy + thick + 1);
    const bw = style.bold ? s * 0.6 : 0; // bold: each ink pixel widened along the run
    for (let k = 0; k < str.length; k++) {
      for (let col = 0; col < GLYPH_WIDTH; col++)
        for (let row = 0; row < GLYPH_HEIGHT; row++) {
          if (!glyphPixel(str[k], col, row)) continue;
          const du = (k * GLYPH_ADVANCE + col) * s,
            dv = row * s;
          if (rotated) this.addRect(m, ox + dv, oy - du - s - bw, s, s + bw);
          else this.addRect(m, ox + du, oy + dv, s + bw, s);
        }
    }
    // Additive coverage saturates where bold pixels overlap; clamp is in Mask.set.
    this.blendMask(m, style.color ?? DEFAULT_TEXT_COLOR);
  }

  /** @inheritdoc */
  image(x: number, y: number, w: number, h: number, rgba: Uint8ClampedArray, srcW: number, srcH: number, smooth = true): void {
    if (rgba.length !== srcW * srcH * 4) throw new ValueError(`image: expected ${srcW}×${srcH}×4 = ${srcW * srcH * 4} bytes, got ${rgba.length}`);
    const xa = Math.max(0, Math.round(x)),
      xb = Math.min(this.width, Math.round(x + w));
    const ya = Math.max(0, Math.round(y)),
      yb = Math.min(this.height, Math.round(y + h));
    const c: RGBA = [0, 0, 0, 0];
    for (let py = ya; py < yb; py++)
      for (let px = xa; px < xb; px++) {
        // Source coordinates of this pixel's centre, in source-pixel units.
        const sx = ((px + 0.5 - x) / w) * srcW,
          sy = ((py + 0.5 - y) / h) * srcH;
        if (!smooth) {
          const i = (Math.min(srcH - 1, Math.floor(sy)) * srcW + Math.min(srcW - 1, Math.floor(sx))) * 4;
          for (let k = 0; k < 4; k++) c[k] = rgba[i + k];
        } else {
          const fx = Math.max(0, Math.min(srcW - 1, sx - 0.5)),
            fy = Math.max(0, Math.min(srcH - 1, sy - 0.5));
          const i0 = Math.floor(fx),
            j0 = Math.floor(fy),
            i1 = Math.min(srcW - 1, i0 + 1),
            j1 = Math.min(srcH - 1, j0 + 1);
          const tx = fx - i0,
            ty = fy - j0;
          for (let k = 0; k < 4; k++) {
            const top = rgba[(j0 * srcW + i0) * 4 + k] * (1 - tx) + rgba[(j0 * srcW + i1) * 4 + k] * tx;
            const bot = rgba[(j1 * srcW + i0) * 4 + k] * (1 - tx) + rgba[(j1 * srcW + i1) * 4 + k] * tx;
            c[k] = top * (1 - ty) + bot * ty;
          }
        }
        this.blend(px, py, c, 1);
      }
  }

  /** The pixels as a PNG file (8-bit RGBA). Does not change the surface. */
  toPNG(): Uint8Array {
    return encodePNG(this.pixels, this.width, this.height);
  }
}

/** Encodes row-major RGBA pixels as a PNG file through fast-png. */
export function encodePNG(rgba: Uint8ClampedArray, width: number, height: number): Uint8Array {
  const data = new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return encode({ width, height, data, channels: 4, depth: 8 });
}
