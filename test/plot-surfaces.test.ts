import { describe, expect, it } from 'vitest';
import { decode } from 'fast-png';
import { RasterSurface } from '../src/plot/raster-surface.js';
import { SvgSurface } from '../src/plot/svg-surface.js';
import { CanvasSurface, type CanvasContextLike } from '../src/plot/canvas-surface.js';
import { toBase64 as base64 } from '../src/io/tensor-codec.js';
import { parseColor } from '../src/plot/color.js';
import { ValueError } from '../src/errors.js';

const px = (s: RasterSurface, x: number, y: number) => Array.from(s.pixels.slice((y * s.width + x) * 4, (y * s.width + x) * 4 + 4));

/** Checks tags balance (ignoring self-closing ones) and returns the tag names seen. */
function checkBalanced(svg: string): string[] {
  const stack: string[] = [],
    seen: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    seen.push(name);
    if (self) continue;
    if (close) expect(stack.pop()).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
  return seen;
}

describe('RasterSurface', () => {
  it('encodes a PNG that decodes to the right size', () => {
    const s = new RasterSurface(50, 30);
    const png = decode(s.toPNG());
    expect([png.width, png.height, png.channels, png.depth]).toEqual([50, 30, 4, 8]);
    expect(Array.from(png.data.slice(0, 4))).toEqual([255, 255, 255, 255]);
  });

  it('fills a rectangle: red inside, white outside, partial coverage on a half-pixel edge', () => {
    const s = new RasterSurface(40, 40);
    s.fillRect(10, 10, 10.5, 10, '#ff0000');
    const png = decode(s.toPNG());
    const at = (x: number, y: number) => Array.from(png.data.slice((y * 40 + x) * 4, (y * 40 + x) * 4 + 4));
    expect(at(15, 15)).toEqual([255, 0, 0, 255]);
    expect(at(10, 19)).toEqual([255, 0, 0, 255]);
    expect(at(9, 15)).toEqual([255, 255, 255, 255]);
    expect(at(15, 20)).toEqual([255, 255, 255, 255]);
    const half = at(20, 15); // half covered: pink
    expect(half[0]).toBe(255);
    expect(half[1]).toBeGreaterThan(100);
    expect(half[1]).toBeLessThan(160);
  });

  it('blends translucent colours over what is there', () => {
    const s = new RasterSurface(4, 4, '#000000');
    s.fillRect(0, 0, 4, 4, '#ffffff80');
    expect(px(s, 1, 1)[0]).toBeGreaterThan(120);
    expect(px(s, 1, 1)[0]).toBeLessThan(136);
  });

  it('draws text: dark pixels inside the text box, none outside it', () => {
    const s = new RasterSurface(120, 40);
    s.text(10, 20, 'Hello 42', { size: 10, color: '#000000', baseline: 'alphabetic' });
    const w = s.measureText('Hello 42', 10);
    expect(w).toBe(8 * 6 - 1);
    let inside = 0,
      outside = 0;
    for (let y = 0; y < 40; y++)
      for (let x = 0; x < 120; x++) {
        const dark = px(s, x, y)[0] < 128;
        const inBox = x >= 10 && x < 10 + w && y >= 13 && y < 20;
        if (dark && inBox) inside++;
        if (dark && !inBox) outside++;
      }
    expect(inside).toBeGreaterThan(40);
    expect(outside).toBe(0);
  });

  it('aligns and rotates text', () => {
    const s = new RasterSurface(60, 60);
    s.text(30, 50, 'ABC', { size: 10, color: '#000000', rotate: -90, align: 'center', baseline: 'top' });
    // Rotated: ink lies in a column to the right of x=30, spanning y around 50 ± width/2.
    let minX = 99,
      maxX = -1,
      minY = 99,
      maxY = -1;
    for (let y = 0; y < 60; y++)
      for (let x = 0; x < 60; x++)
        if (px(s, x, y)[0] < 128) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
    expect([minX, maxX]).toEqual([30, 36]);
    expect(maxY - minY + 1).toBe(17);
    expect(Math.abs((minY + maxY + 1) / 2 - 50)).toBeLessThanOrEqual(1);
  });

  it('strokes crisp 1px lines on half-pixel centres and anti-aliases diagonals', () => {
    const s = new RasterSurface(20, 20);
    s.strokeLine(2, 5.5, 18, 5.5, { color: '#0000ff' });
    expect(px(s, 10, 5)).toEqual([0, 0, 255, 255]);
    expect(px(s, 10, 4)).toEqual([255, 255, 255, 255]);
    s.strokeLine(0, 10, 20, 20, { color: '#000000', width: 2 });
    const partial = [...Array(20).keys()].map((y) => px(s, 10, y)[0]).filter((v) => v > 0 && v < 255);
    expect(partial.length).toBeGreaterThan(0);
  });

  it('fills circles with an outline', () => {
    const s = new RasterSurface(30, 30);
    s.fillCircle(15, 15, 8, '#00ff00', '#000000', 2);
    expect(px(s, 15, 15)).toEqual([0, 255, 0, 255]);
    expect(px(s, 15, 8)).toEqual([0, 0, 0, 255]);
    expect(px(s, 15, 3)).toEqual([255, 255, 255, 255]);
  });

  it('scales images nearest-neighbour and bilinear', () => {
    const img = new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 255, 255]); // 2×1: red, blue
    const s = new RasterSurface(20, 10);
    s.image(0, 0, 20, 10, img, 2, 1, false);
    expect(px(s, 9, 5)).toEqual([255, 0, 0, 255]);
    expect(px(s, 10, 5)).toEqual([0, 0, 255, 255]);
    s.image(0, 0, 20, 10, img, 2, 1, true);
    expect(px(s, 2, 5)).toEqual([255, 0, 0, 255]);
    const mid = px(s, 10, 5);
    expect(mid[0]).toBeGreaterThan(80);
    expect(mid[2]).toBeGreaterThan(80);
    expect(() => s.image(0, 0, 5, 5, img, 3, 3)).toThrow(ValueError);
  });

  it('rejects bad sizes and colours with clear errors', () => {
    expect(() => new RasterSurface(0, 10)).toThrow(/positive integers/);
    expect(() => new RasterSurface(10, 10).fillRect(0, 0, 1, 1, 'red')).toThrow(/hex string/);
    expect(parseColor('#abc')).toEqual([0xaa, 0xbb, 0xcc, 255]);
  });
});

describe('SvgSurface', () => {
  it('builds well-formed SVG with escaped text and an embedded PNG image', () => {
    const s = new SvgSurface(100, 80);
    s.fillRect(1, 2, 3, 4, '#ff000080');
    s.polyline(
      [
        [0, 0],
        [10, 10],
      ],
      { color: '#123456', width: 2 },
    );
    s.fillCircle(5, 5, 3, '#00ff00', '#000000');
    s.text(5, 5, 'a < b & "c"', { rotate: -90 });
    s.image(0, 0, 10, 10, new Uint8ClampedArray(4 * 4).fill(200), 2, 2);
    const svg = s.toString();
    expect(svg.startsWith('<svg')).toBe(true);
    expect(checkBalanced(svg)).toEqual(expect.arrayContaining(['svg', 'rect', 'polyline', 'circle', 'text', 'image']));
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;');
    expect(svg).toContain('fill-opacity="0.5"');
    const uri = /href="data:image\/png;base64,([^"]+)"/.exec(svg)![1];
    const png = decode(Uint8Array.from(atob(uri), (c) => c.charCodeAt(0)));
    expect([png.width, png.height]).toEqual([2, 2]);
  });

  it('base64 matches Node', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 100]) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
      expect(base64(b)).toBe(Buffer.from(b).toString('base64'));
    }
  });
});

describe('CanvasSurface', () => {
  it('drives a 2-D context (recorded by a fake)', () => {
    const calls: string[] = [];
    const ctx: CanvasContextLike = {
      fillStyle: '',
      strokeStyle: '',
      lineWidth: 1,
      lineJoin: '',
      lineCap: '',
      font: '',
      textAlign: '',
      textBaseline: '',
      save: () => calls.push('save'),
      restore: () => calls.push('restore'),
      translate: (x, y) => calls.push(`translate ${x} ${y}`),
      rotate: (a) => calls.push(`rotate ${a.toFixed(3)}`),
      fillRect: (x, y, w, h) => calls.push(`fillRect ${x} ${y} ${w} ${h} ${String(ctx.fillStyle)}`),
      strokeRect: () => calls.push('strokeRect'),
      beginPath: () => calls.push('beginPath'),
      moveTo: (x, y) => calls.push(`moveTo ${x} ${y}`),
      lineTo: (x, y) => calls.push(`lineTo ${x} ${y}`),
      arc: () => calls.push('arc'),
      fill: () => calls.push('fill'),
      stroke: () => calls.push(`stroke ${String(ctx.strokeStyle)}`),
      fillText: (t) => calls.push(`fillText ${t} ${ctx.font}`),
      measureText: (t) => ({ width: t.length * 7 }),
    };
    const s = new CanvasSurface(ctx, 100, 100);
    s.fillRect(1, 2, 3, 4, '#ff0000');
    s.polyline(
      [
        [0, 0],
        [5, 5],
        [9, 1],
      ],
      { color: '#0000ff', width: 2 },
    );
    s.text(10, 10, 'hi', { size: 14, rotate: -90, bold: true });
    s.image(0, 0, 4, 2, new Uint8ClampedArray(2 * 1 * 4).fill(255), 2, 1);
    expect(s.measureText('abc', 12)).toBe(21);
    expect(calls).toContain('fillRect 1 2 3 4 #ff0000');
    expect(calls).toEqual(expect.arrayContaining(['moveTo 0 0', 'lineTo 5 5', 'lineTo 9 1', 'stroke #0000ff', 'rotate -1.571']));
    expect(calls.find((c) => c.startsWith('fillText'))).toMatch(/^fillText hi bold 14px/);
    expect(calls.filter((c) => c.startsWith('fillRect')).length).toBe(3); // the rect plus one per image pixel
  });
});
