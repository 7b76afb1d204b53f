/**
 * A grid of greyscale images (MNIST digits) with their labels: the prediction in green when it
 * matches the true label, in red (with the truth) when it does not.
 */
import { ValueError } from '../errors.js';
import { STYLE, drawTitle } from './axes.js';
import type { Chart } from './render.js';

/** Options of digitGrid. */
export interface DigitGridOptions {
  /** n images: a flat array (with shape or width/height), n flat rows, or n 2-D images. */
  images: Float32Array | Float64Array | ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>> | ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>;
  /** [n, height, width] for flat data. */
  shape?: [number, number, number];
  /** Image width when not given by shape or 2-D images (default 28). */
  width?: number;
  /** Image height (default: width, or the row length / width). */
  height?: number;
  /** True classes. */
  labels?: ArrayLike<number>;
  /** Predicted classes (e.g. model.predictClasses(images)). */
  predicted?: ArrayLike<number>;
  /** Images per row (default min(10, n)). */
  cols?: number;
  /** Show at most this many (default 100). */
  max?: number;
  /** Pixels per image pixel (default 2). */
  scale?: number;
  title?: string;
}

/** Flat pixel arrays, one per image, plus the image size. */
function toImages(o: DigitGridOptions): { imgs: ArrayLike<number>[]; w: number; h: number } {
  const src = o.images as unknown;
  if (!src || typeof src !== 'object') throw new ValueError('digitGrid: images must be an array or typed array');
  const list = src as ArrayLike<unknown>;
  if (list.length === 0) throw new ValueError('digitGrid: images is empty');
  if (Array.isArray(list[0]) && Array.isArray((list[0] as unknown[])[0])) {
    const h = (list[0] as unknown[]).length,
      w = (list[0] as unknown[][])[0].length;
    const imgs = (list as unknown as number[][][]).map((im, i) => {
      if (!Array.isArray(im) || im.length !== h || im.some((r) => !Array.isArray(r) || r.length !== w))
        throw new ValueError(`digitGrid: image ${i} is not ${h}×${w} like image 0`);
      return im.flat();
    });
    return { imgs, w, h };
  }
  const w = o.shape?.[2] ?? o.width ?? 28;
  if (Array.isArray(list[0])) {
    const rows = list as unknown as number[][],
      len = rows[0].length;
    const h = o.shape?.[1] ?? o.height ?? len / w;
    if (!Number.isInteger(h) || w * h !== len) throw new ValueError(`digitGrid: rows of ${len} values are not ${w}-wide images; pass width/height`);
    rows.forEach((r, i) => {
      if (r.length !== len) throw new ValueError(`digitGrid: row ${i} has ${r.length} values, row 0 has ${len}`);
    });
    return { imgs: rows, w, h };
  }
  const flat = list as ArrayLike<number>;
  const h = o.shape?.[1] ?? o.height ?? w;
  const n = o.shape?.[0] ?? flat.length / (w * h);
  if (!Number.isInteger(n) || n * w * h !== flat.length) throw new ValueError(`digitGrid: ${flat.length} values do not make whole ${h}×${w} images`);
  const imgs: ArrayLike<number>[] = [];
  for (let i = 0; i < n; i++) imgs.push(Array.prototype.slice.call(flat, i * w * h, (i + 1) * w * h) as number[]);
  return { imgs, w, h };
}

/**
 * Builds the grid chart (dark ink on white, as matplotlib's gray_r). Values in [0, 1] or [0, 255]
 * are both accepted. Validates eagerly: ValueError for ragged images, non-finite pixels, or
 * labels/predictions that do not match the image count.
 */
export function digitGrid(o: DigitGridOptions): Chart {
  const { imgs: all, w, h } = toImages(o);
  const max = o.max ?? 100;
  const imgs = all.slice(0, max),
    n = imgs.length;
  for (const [k, arr] of [
    ['labels', o.labels],
    ['predicted', o.predicted],
  ] as const) {
    if (arr && (typeof arr.length !== 'number' || arr.length < n))
      throw new ValueError(`digitGrid: ${k} must have one entry per image (${all.length}), got ${typeof arr.length === 'number' ? arr.length : typeof arr}`);
  }
  let hi = 0;
  imgs.forEach((im, i) => {
    for (let p = 0; p < im.length; p++) {
      if (!Number.isFinite(im[p])) throw new ValueError(`digitGrid: image ${i} pixel ${p} is ${im[p]}`);
      hi = Math.max(hi, im[p]);
    }
  });
  const div = hi > 1 ? 255 : 1;
  const rgba = imgs.map((im) => {
    const out = new Uint8ClampedArray(w * h * 4);
    for (let p = 0; p < w * h; p++) {
      const v = 255 - (255 * im[p]) / div;
      out[p * 4] = v;
      out[p * 4 + 1] = v;
      out[p * 4 + 2] = v;
      out[p * 4 + 3] = 255;
    }
    return out;
  });
  const cols = Math.max(1, Math.min(o.cols ?? 10, n)),
    rows = Math.ceil(n / cols);
  const scale = o.scale ?? 2,
    gap = 10,
    caption = o.labels || o.predicted ? 18 : 4;
  const cw = Math.max(w * scale, 64) + gap,
    ch = h * scale + caption + gap;
  const top = o.title === '' ? 10 : 40;
  const title = o.title ?? (o.predicted ? 'Predictions' : 'Digits');
  return {
    width: Math.max(240, cols * cw + gap),
    height: top + rows * ch + gap,
    draw(s) {
      if (title) drawTitle(s, s.width / 2, 26, title);
      const cwS = (s.width - gap) / cols,
        chS = (s.height - top - gap) / rows;
      const iw = Math.min(cwS - gap, (chS - caption - gap) * (w / h)),
        ih = iw * (h / w);
      imgs.forEach((_, i) => {
        const cx = gap / 2 + (i % cols) * cwS + cwS / 2,
          y = top + Math.floor(i / cols) * chS;
        const x = Math.round(cx - iw / 2);
        s.image(x, Math.round(y), iw, ih, rgba[i], w, h, false);
        s.strokeRect(x - 0.5, Math.round(y) - 0.5, iw + 1, ih + 1, { color: '#cccccc', width: 1 });
        const label = o.labels?.[i],
          pred = o.predicted?.[i];
        let str = '',
          color: string = STYLE.ink;
        if (pred !== undefined && label !== undefined) {
          const ok = pred === label;
          str = ok ? `${pred}` : `${pred} (true ${label})`;
          color = ok ? '#1a7f37' : '#d62728';
        } else if (pred !== undefined) str = `pred ${pred}`;
        else if (label !== undefined) str = `${label}`;
        if (str)
          s.text(cx, y + ih + 5, str, { size: 12, align: 'center', baseline: 'top', color, bold: pred !== undefined && label !== undefined && pred !== label });
      });
    },
  };
}
