/**
 * The decision boundary: each cell of the 100×100 grid tinted by its predicted class, stronger
 * where the model is confident, with the train (filled) and test (ringed) points on top. Drawn
 * in the training Worker on the canvas the page transferred (OffscreenCanvas).
 */
import { DOMAIN, type Points } from './data.js';
import { classRGB, classColor } from './colors.js';
import { GRID } from './protocol.js';

const image = new ImageData(GRID, GRID);
const offscreen = new OffscreenCanvas(GRID, GRID);

/** Paints the grid probabilities (GRID² × classes) into the canvas, then the points. */
export function drawBoundary(canvas: HTMLCanvasElement | OffscreenCanvas, grid: Float32Array | null, classes: number, train: Pick<Points, 'x' | 'y'> | null, test: Pick<Points, 'x' | 'y'> | null, showTest: boolean): void {
  const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;
  const W = canvas.width;
  const H = canvas.height;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  if (grid && grid.length === GRID * GRID * classes) {
    const px = image.data;
    for (let p = 0; p < GRID * GRID; p++) {
      let best = 0;
      for (let c = 1; c < classes; c++) if (grid[p * classes + c] > grid[p * classes + best]) best = c;
      // Confidence 0 at a uniform guess, 1 at certainty.
      const conf = Math.max(0, (grid[p * classes + best] - 1 / classes) / (1 - 1 / classes));
      const [r, g, b] = classRGB(best);
      const a = 0.15 + 0.55 * conf;
      px[p * 4] = 255 + (r - 255) * a;
      px[p * 4 + 1] = 255 + (g - 255) * a;
      px[p * 4 + 2] = 255 + (b - 255) * a;
      px[p * 4 + 3] = 255;
    }
    offscreen.getContext('2d')!.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(offscreen, 0, 0, W, H);
  }
  const toX = (v: number) => ((v + DOMAIN) / (2 * DOMAIN)) * W;
  const toY = (v: number) => ((DOMAIN - v) / (2 * DOMAIN)) * H;
  const r = Math.max(2, W / 130);
  const dots = (pts: Pick<Points, 'x' | 'y'>, ring: boolean) => {
    pts.x.forEach(([a, b], i) => {
      ctx.beginPath();
      ctx.arc(toX(a), toY(b), r, 0, 2 * Math.PI);
      ctx.fillStyle = classColor(pts.y[i]);
      ctx.fill();
      ctx.lineWidth = ring ? 1.2 : 0.8;
      ctx.strokeStyle = ring ? '#222' : '#fff';
      ctx.stroke();
    });
  };
  if (train) dots(train, false);
  if (test && showTest) dots(test, true);
  // Axis ticks at the integers of the view.
  ctx.fillStyle = '#444';
  ctx.font = `${Math.round(W / 40)}px system-ui, sans-serif`;
  for (let v = -DOMAIN + 1; v < DOMAIN; v++) {
    ctx.fillText(String(v), toX(v) - 3, H - 4);
    ctx.fillText(String(v), 3, toY(v) + 4);
  }
}
