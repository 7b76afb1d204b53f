/**
 * Surface over a browser CanvasRenderingContext2D (or an OffscreenCanvas one), so the same chart
 * code draws in a page. The context is typed structurally: only what is used here is required,
 * which keeps Node typechecking free of DOM assumptions and lets tests pass a recording fake.
 */
import { DEFAULT_TEXT_COLOR, DEFAULT_TEXT_SIZE, baselineOffset, type StrokeStyle, type Surface, type TextStyle } from './surface.js';

/** The subset of CanvasRenderingContext2D that CanvasSurface calls. */
export interface CanvasContextLike {
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  lineJoin: string;
  lineCap: string;
  font: string;
  textAlign: string;
  textBaseline: string;
  imageSmoothingEnabled?: boolean;
  /** As CanvasRenderingContext2D.save. */
  save(): void;
  /** As CanvasRenderingContext2D.restore. */
  restore(): void;
  /** As CanvasRenderingContext2D.translate. */
  translate(x: number, y: number): void;
  /** As CanvasRenderingContext2D.rotate. */
  rotate(angle: number): void;
  /** As CanvasRenderingContext2D.fillRect. */
  fillRect(x: number, y: number, w: number, h: number): void;
  /** As CanvasRenderingContext2D.strokeRect. */
  strokeRect(x: number, y: number, w: number, h: number): void;
  /** As CanvasRenderingContext2D.beginPath. */
  beginPath(): void;
  /** As CanvasRenderingContext2D.moveTo. */
  moveTo(x: number, y: number): void;
  /** As CanvasRenderingContext2D.lineTo. */
  lineTo(x: number, y: number): void;
  /** As CanvasRenderingContext2D.arc. */
  arc(x: number, y: number, r: number, start: number, end: number): void;
  /** As CanvasRenderingContext2D.fill. */
  fill(): void;
  /** As CanvasRenderingContext2D.stroke. */
  stroke(): void;
  /** As CanvasRenderingContext2D.fillText. */
  fillText(text: string, x: number, y: number): void;
  /** As CanvasRenderingContext2D.measureText. */
  measureText(text: string): { width: number };
  /** As CanvasRenderingContext2D.drawImage. */
  drawImage?(image: unknown, dx: number, dy: number, dw: number, dh: number): void;
}

const FONT = '"DejaVu Sans Mono", Menlo, Consolas, monospace';

/** Draws onto a 2-D canvas context; each call mutates the canvas, and restores the context state it changed. */
export class CanvasSurface implements Surface {
  constructor(
    private readonly ctx: CanvasContextLike,
    readonly width: number,
    readonly height: number,
  ) {}

  /** @inheritdoc */
  fillRect(x: number, y: number, w: number, h: number, color: string): void {
    this.ctx.fillStyle = color;
    this.ctx.fillRect(x, y, w, h);
  }

  /** @inheritdoc */
  strokeRect(x: number, y: number, w: number, h: number, stroke: StrokeStyle): void {
    this.ctx.strokeStyle = stroke.color;
    this.ctx.lineWidth = stroke.width ?? 1;
    this.ctx.strokeRect(x, y, w, h);
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
    const c = this.ctx;
    c.strokeStyle = stroke.color;
    c.lineWidth = stroke.width ?? 1;
    c.lineJoin = 'round';
    c.lineCap = 'round';
    c.beginPath();
    c.moveTo(points[0][0], points[0][1]);
    for (let i = 1; i < points.length; i++) c.lineTo(points[i][0], points[i][1]);
    if (points.length === 1) c.lineTo(points[0][0], points[0][1]);
    c.stroke();
  }

  /** @inheritdoc */
  fillCircle(cx: number, cy: number, r: number, fill: string, stroke?: string, strokeWidth = 1): void {
    const c = this.ctx,
      rr = stroke ? r - strokeWidth / 2 : r;
    c.beginPath();
    c.arc(cx, cy, Math.max(0, rr), 0, 2 * Math.PI);
    c.fillStyle = fill;
    c.fill();
    if (stroke) {
      c.strokeStyle = stroke;
      c.lineWidth = strokeWidth;
      c.stroke();
    }
  }

  private font(size: number, bold?: boolean): string {
    return `${bold ? 'bold ' : ''}${size}px ${FONT}`;
  }

  /** @inheritdoc */
  measureText(str: string, size = DEFAULT_TEXT_SIZE, bold = false): number {
    this.ctx.font = this.font(size, bold);
    return this.ctx.measureText(str).width;
  }

  /** @inheritdoc */
  text(x: number, y: number, str: string, style: TextStyle = {}): void {
    const c = this.ctx,
      size = style.size ?? DEFAULT_TEXT_SIZE;
    c.save();
    c.font = this.font(size, style.bold);
    c.fillStyle = style.color ?? DEFAULT_TEXT_COLOR;
    c.textAlign = style.align ?? 'left';
    c.textBaseline = 'alphabetic'; // placed by our own offset, as on the other surfaces
    c.translate(x, y);
    if (style.rotate === -90) c.rotate(-Math.PI / 2);
    c.fillText(str, 0, baselineOffset(style.baseline ?? 'alphabetic', size));
    c.restore();
  }

  /**
   * Draws an srcW × srcH RGBA image into the rectangle, as Surface.image. Uses an OffscreenCanvas and drawImage where the platform has them; otherwise one fillRect per
   * source pixel (nearest-neighbour), which any context supports.
   */
  image(x: number, y: number, w: number, h: number, rgba: Uint8ClampedArray, srcW: number, srcH: number, smooth = true): void {
    const c = this.ctx;
    const Offscreen = (
      globalThis as { OffscreenCanvas?: new (w: number, h: number) => { getContext(k: '2d'): { putImageData(d: unknown, x: number, y: number): void } | null } }
    ).OffscreenCanvas;
    const Data = (globalThis as { ImageData?: new (d: Uint8ClampedArray, w: number, h: number) => unknown }).ImageData;
    if (Offscreen && Data && c.drawImage) {
      const off = new Offscreen(srcW, srcH);
      off.getContext('2d')?.putImageData(new Data(new Uint8ClampedArray(rgba), srcW, srcH), 0, 0);
      c.save();
      c.imageSmoothingEnabled = smooth;
      c.drawImage(off, x, y, w, h);
      c.restore();
      return;
    }
    const cw = w / srcW,
      ch = h / srcH;
    for (let j = 0; j < srcH; j++)
      for (let i = 0; i < srcW; i++) {
        const k = (j * srcW + i) * 4;
        c.fillStyle = `rgba(${rgba[k]},${rgba[k + 1]},${rgba[k + 2]},${rgba[k + 3] / 255})`;
        // Slight overlap hides hairline seams between neighbouring cells.
        c.fillRect(x + i * cw, y + j * ch, cw + 0.5, ch + 0.5);
      }
  }
}
