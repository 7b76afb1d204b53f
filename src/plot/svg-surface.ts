/**
 * Surface that records drawing calls as SVG elements. Text uses a monospace font whose advance
 * (0.6 em) matches the bitmap font, so layouts measured here match the PNG ones. Images (heatmaps,
 * digits) are embedded as PNG data URIs.
 */
import { parseColor, toHex } from './color.js';
import { toBase64 as base64 } from '../io/tensor-codec.js';
import { encodePNG } from './raster-surface.js';
import { DEFAULT_TEXT_COLOR, DEFAULT_TEXT_SIZE, baselineOffset, type StrokeStyle, type Surface, type TextStyle } from './surface.js';

/** Escapes text for XML content and attribute values. */
function escapeXML(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Numbers short enough for compact output, exact enough for 1/100 pixel. */
function n(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** Fill/stroke attributes: SVG 1.1 renderers do not all read #rrggbbaa, so alpha goes separately. */
function paint(kind: 'fill' | 'stroke', color: string): string {
  const [r, g, b, a] = parseColor(color);
  return `${kind}="${toHex(r, g, b)}"` + (a < 255 ? ` ${kind}-opacity="${n(a / 255)}"` : '');
}

/** An SVG document being built; `toString()` gives the finished markup. */
export class SvgSurface implements Surface {
  private readonly parts: string[] = [];

  constructor(
    readonly width: number,
    readonly height: number,
    background = '#ffffff',
  ) {
    this.parts.push(`<rect x="0" y="0" width="${width}" height="${height}" ${paint('fill', background)}/>`);
  }

  /** @inheritdoc */
  fillRect(x: number, y: number, w: number, h: number, color: string): void {
    if (!(w > 0 && h > 0)) return;
    this.parts.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" ${paint('fill', color)}/>`);
  }

  /** @inheritdoc */
  strokeRect(x: number, y: number, w: number, h: number, stroke: StrokeStyle): void {
    this.parts.push(
      `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="none" ${paint('stroke', stroke.color)} stroke-width="${n(stroke.width ?? 1)}"/>`,
    );
  }

  /** @inheritdoc */
  strokeLine(x1: number, y1: number, x2: number, y2: number, stroke: StrokeStyle): void {
    this.parts.push(
      `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" ${paint('stroke', stroke.color)} stroke-width="${n(stroke.width ?? 1)}" stroke-linecap="round"/>`,
    );
  }

  /** @inheritdoc */
  polyline(points: ReadonlyArray<readonly [number, number]>, stroke: StrokeStyle): void {
    if (points.length === 0) return;
    const pts = points.map(([x, y]) => `${n(x)},${n(y)}`).join(' ');
    this.parts.push(
      `<polyline points="${pts}" fill="none" ${paint('stroke', stroke.color)} stroke-width="${n(stroke.width ?? 1)}" stroke-linejoin="round" stroke-linecap="round"/>`,
    );
  }

  /** @inheritdoc */
  fillCircle(cx: number, cy: number, r: number, fill: string, stroke?: string, strokeWidth = 1): void {
    // The outline lies inside r, as on the raster surface: the circle's radius shrinks by half the stroke.
    const rr = stroke ? r - strokeWidth / 2 : r;
    const s = stroke ? ` ${paint('stroke', stroke)} stroke-width="${n(strokeWidth)}"` : '';
    this.parts.push(`<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(Math.max(0, rr))}" ${paint('fill', fill)}${s}/>`);
  }

  /** @inheritdoc */
  measureText(str: string, size = DEFAULT_TEXT_SIZE, bold = false): number {
    return str.length === 0 ? 0 : (str.length * 0.6 - 0.1) * size + (bold ? 0.06 * size : 0);
  }

  /** @inheritdoc */
  text(x: number, y: number, str: string, style: TextStyle = {}): void {
    const size = style.size ?? DEFAULT_TEXT_SIZE;
    const anchor = { left: 'start', center: 'middle', right: 'end' }[style.align ?? 'left'];
    // Baseline placed by our own offset rather than dominant-baseline, which renderers disagree on.
    const dy = baselineOffset(style.baseline ?? 'alphabetic', size);
    const pos = style.rotate === -90 ? `x="${n(x + dy)}" y="${n(y)}" transform="rotate(-90 ${n(x + dy)} ${n(y)})"` : `x="${n(x)}" y="${n(y + dy)}"`;
    this.parts.push(
      `<text ${pos} font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="${n(size)}"` +
        `${style.bold ? ' font-weight="bold"' : ''} text-anchor="${anchor}" ${paint('fill', style.color ?? DEFAULT_TEXT_COLOR)}>${escapeXML(str)}</text>`,
    );
  }

  /** @inheritdoc */
  image(x: number, y: number, w: number, h: number, rgba: Uint8ClampedArray, srcW: number, srcH: number, smooth = true): void {
    const uri = 'data:image/png;base64,' + base64(encodePNG(rgba, srcW, srcH));
    const rendering = smooth ? '' : ' image-rendering="pixelated" style="image-rendering:pixelated;image-rendering:crisp-edges"';
    this.parts.push(
      `<image x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" preserveAspectRatio="none"${rendering} href="${uri}" xlink:href="${uri}"/>`,
    );
  }

  /** The finished SVG document. Does not change the surface; more drawing may follow. */
  toString(): string {
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${this.width}" height="${this.height}" viewBox="0 0 ${this.width} ${this.height}">\n` +
      this.parts.join('\n') +
      '\n</svg>\n'
    );
  }
}
