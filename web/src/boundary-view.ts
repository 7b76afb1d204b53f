/**
 * The large view: for a classification each cell of the 100×100 grid tinted by its predicted
 * class, stronger where the model is confident; for a regression, or a hovered neuron's
 * heatmap, a continuous diverging scale (blue negative, white 0, orange positive) over
 * [-scale, scale]. The train (filled) and test (ringed) points on top, coloured by class or by
 * target value. Drawn in the training Worker on the canvas the page transferred (OffscreenCanvas).
 */
import { DOMAIN, type Points } from './data.js';
import { classRGB, classColor, divergingColor, divergingRGB } from './colors.js';
import { GRID } from './protocol.js';

/** What the view paints under the points. */
export type Heat =
  /** GRID² × classes probabilities. */
  | { kind: 'classes'; values: Float32Array; classes: number }
  /** side² real values, row-major from the top-left, shown over [-scale, scale]. */
  | { kind: 'values'; values: Float32Array; side: number; scale: number };

/** The points and how to colour them: by class, or by target over [-range, range]. */
export interface Dots {
  train: Pick<Points, 'x' | 'y'> | null;
  test: Pick<Points, 'x' | 'y'> | null;
  showTest: boolean;
  /** null: class colours; a number: the regression targets' scale. */
  range: number | null;
}

const images = new Map<number, { image: ImageData; canvas: OffscreenCanvas }>();

/** A reusable side×side image and its small canvas. */
function scratch(side: number): { image: ImageData; canvas: OffscreenCanvas } {
  let s = images.get(side);
  if (!s) images.set(side, (s = { image: new ImageData(side, side), canvas: new OffscreenCanvas(side, side) }));
  return s;
}

function paint(heat: Heat): { canvas: OffscreenCanvas } | null {
  const side = heat.kind === 'classes' ? GRID : heat.side;
  const n = side * side;
  if (heat.values.length !== n * (heat.kind === 'classes' ? heat.classes : 1)) return null;
  const s = scratch(side);
  const px = s.image.data;
  for (let p = 0; p < n; p++) {
    let rgb: [number, number, number];
    if (heat.kind === 'values') {
      rgb = divergingRGB(heat.values[p] / heat.scale);
    } else {
      const k = heat.classes;
      const g = heat.values;
      let best = 0;
      for (let c = 1; c < k; c++) if (g[p * k + c] > g[p * k + best]) best = c;
      // Confidence 0 at a uniform guess, 1 at certainty.
      const conf = Math.max(0, (g[p * k + best] - 1 / k) / (1 - 1 / k));
      const [r, gr, b] = classRGB(best);
      const a = 0.15 + 0.55 * conf;
      rgb = [255 + (r - 255) * a, 255 + (gr - 255) * a, 255 + (b - 255) * a];
    }
    px[p * 4] = rgb[0];
    px[p * 4 + 1] = rgb[1];
    px[p * 4 + 2] = rgb[2];
    px[p * 4 + 3] = 255;
  }
  s.canvas.getContext('2d')!.putImageData(s.image, 0, 0);
  return s;
}

/** Paints the heat (when its size is right) into the canvas, then the points and the axis ticks. */
export function drawBoundary(canvas: HTMLCanvasElement | OffscreenCanvas, heat: Heat | null, dots: Dots): void {
  const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;
  const W = canvas.width;
  const H = canvas.height;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const painted = heat ? paint(heat) : null;
  if (painted) {
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(painted.canvas, 0, 0, W, H);
  }
  const toX = (v: number) => ((v + DOMAIN) / (2 * DOMAIN)) * W;
  const toY = (v: number) => ((DOMAIN - v) / (2 * DOMAIN)) * H;
  const r = Math.max(2, W / 130);
  const colour = (y: number) => (dots.range === null ? classColor(y) : divergingColor(y / dots.range));
  const draw = (pts: Pick<Points, 'x' | 'y'>, ring: boolean) => {
    pts.x.forEach(([a, b], i) => {
      ctx.beginPath();
      ctx.arc(toX(a), toY(b), r, 0, 2 * Math.PI);
      ctx.fillStyle = colour(pts.y[i]);
      ctx.fill();
      ctx.lineWidth = ring ? 1.2 : 0.8;
      // Value-coloured points are pale near 0: a dark rim keeps them visible on the heatmap.
      ctx.strokeStyle = ring ? '#222' : dots.range === null ? '#fff' : '#555';
      ctx.stroke();
    });
  };
  if (dots.train) draw(dots.train, false);
  if (dots.test && dots.showTest) draw(dots.test, true);
  // Axis ticks at the integers of the view.
  ctx.fillStyle = '#444';
  ctx.font = `${Math.round(W / 40)}px system-ui, sans-serif`;
  for (let v = -DOMAIN + 1; v < DOMAIN; v++) {
    ctx.fillText(String(v), toX(v) - 3, H - 4);
    ctx.fillText(String(v), 3, toY(v) + 4);
  }
}
