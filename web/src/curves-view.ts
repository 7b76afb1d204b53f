/**
 * Train and test loss per epoch, drawn by wasmlp's own plot code (lineChart + drawOnCanvas):
 * the same charts the library writes to PNG in Node, on a canvas here — in the training Worker,
 * on the canvas the page transferred (OffscreenCanvas).
 */
import { plot } from 'wasmlp';

/** Redraws the curves; nothing but a frame before the first epoch. */
export function drawCurves(canvas: HTMLCanvasElement | OffscreenCanvas, train: number[], test: number[]): void {
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  if (train.length < 2) {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#666';
    ctx.font = '13px system-ui, sans-serif';
    ctx.fillText('loss curves appear after two epochs', 12, canvas.height / 2);
    return;
  }
  // Long runs: keep about 400 points per curve (every k-th epoch), so a frame stays cheap.
  const k = Math.ceil(train.length / 400);
  const pick = (v: number[]) => v.flatMap((y, i) => (i % k === 0 || i === v.length - 1 ? [[i + 1, y] as [number, number]] : []));
  const chart = plot.lineChart({
    series: [
      { name: 'train loss', values: pick(train) },
      { name: 'test loss', values: pick(test) },
    ],
    xLabel: 'epoch',
    yLabel: 'loss',
    logY: train.every((v) => v > 0) && test.every((v) => v > 0),
  });
  plot.drawOnCanvas(ctx, chart, { width: canvas.width, height: canvas.height });
}
