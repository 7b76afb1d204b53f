import { describe, expect, it } from 'vitest';
import { decode } from 'fast-png';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  activationFunctions,
  activationPlots,
  decisionBoundary,
  digitGrid,
  lineChart,
  savePlot,
  toPNG,
  toSVG,
  trainingCurves,
  type Surface,
} from '../src/plot/index.js';
import { PALETTE, parseColor } from '../src/plot/color.js';
import { ConfigError, ValueError } from '../src/errors.js';

/** Checks that tags balance (ignoring self-closing ones). */
function checkBalanced(svg: string): void {
  const stack: string[] = [];
  for (const [, close, name, self] of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    if (self) continue;
    if (close) expect(stack.pop()).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
}

/** A Surface that records polylines and text instead of drawing. */
function recorder(width = 640, height = 400) {
  const lines: [number, number][][] = [],
    texts: string[] = [];
  const s: Surface = {
    width,
    height,
    fillRect() {},
    strokeRect() {},
    strokeLine() {},
    fillCircle() {},
    image() {},
    polyline: (pts) => {
      lines.push(pts.map((p) => [p[0], p[1]]));
    },
    text: (_x, _y, str) => {
      texts.push(str);
    },
    measureText: (str, size = 12) => str.length * 0.6 * size,
  };
  return { s, lines, texts };
}

const moons = () => {
  const x: number[][] = [],
    y: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t = (i / 40) * Math.PI;
    x.push(i % 2 ? [1 - Math.cos(t), 0.5 - Math.sin(t)] : [Math.cos(t), Math.sin(t)]);
    y.push(i % 2);
  }
  return { x, y };
};

describe('decisionBoundary', () => {
  const x = [
      [-1, -1],
      [-1, 1],
      [1, -1],
      [1, 1],
    ],
    y = [0, 0, 1, 1];

  it('colours the right half as class 1 and the left half as class 0 (one batched predict call)', () => {
    let calls = 0,
      rows = 0;
    const predict = (pts: number[][]) => {
      calls++;
      rows = pts.length;
      return pts.map(([a]) => (a > 0 ? 0.95 : 0.05));
    };
    const chart = decisionBoundary({ predict, x, y, gridSize: 40 });
    expect(calls).toBe(1);
    expect(rows).toBe(40 * 40 + 4);
    const png = decode(toPNG(chart));
    expect([png.width, png.height]).toEqual([640, 480]);
    const at = (px: number, py: number) => Array.from(png.data.slice((py * 640 + px) * 4, (py * 640 + px) * 4 + 3));
    const left = at(150, 260),
      right = at(520, 260);
    const [b, o] = [parseColor(PALETTE[0]), parseColor(PALETTE[1])];
    // Tints of blue (#1f77b4: blue channel highest) and orange (#ff7f0e: red highest).
    expect(left[2]).toBeGreaterThan(left[0] + 40);
    expect(right[0]).toBeGreaterThan(right[2] + 40);
    expect(b[2] > b[0] && o[0] > o[2]).toBe(true);
  });

  it('takes a model with predictProba, several output columns and logits', () => {
    const model = { predictProba: (pts: number[][]) => pts.map(([a, c]) => (a > 0 ? [0.1, 0.8, 0.1] : c > 0 ? [0.9, 0.05, 0.05] : [0.1, 0.1, 0.8])) };
    const svg = toSVG(decisionBoundary({ model, x, y: [2, 0, 1, 1], classNames: ['a', 'b', 'c'], title: 'Three <classes>' }));
    expect(svg.startsWith('<svg')).toBe(true);
    checkBalanced(svg);
    expect(svg).toContain('Three &lt;classes&gt;');
    expect(svg).toContain('accuracy on these points: 100.0%');
    const uri = /href="data:image\/png;base64,([^"]+)"/.exec(svg)![1];
    const png = decode(Uint8Array.from(atob(uri), (ch) => ch.charCodeAt(0)));
    expect([png.width, png.height]).toEqual([100, 100]);
    const logits = decisionBoundary({ predict: (pts) => pts.map(([a]) => [-3 * a, 3 * a]), x, y });
    expect(decode(toPNG(logits)).width).toBe(640);
  });

  it('rejects bad input with clear errors', () => {
    const predict = (pts: number[][]) => pts.map(() => 0.5);
    expect(() => decisionBoundary({ x, y } as never)).toThrow(ConfigError);
    expect(() => decisionBoundary({ predict, x: [], y: [] })).toThrow(/non-empty/);
    expect(() => decisionBoundary({ predict, x: [[0, NaN]], y: [0] })).toThrow(/not finite/);
    expect(() => decisionBoundary({ predict, x: [[0, 1, 2]], y: [0] })).toThrow(/2 features/);
    expect(() => decisionBoundary({ predict, x, y: [0, 1] })).toThrow(/one label per point/);
    expect(() => decisionBoundary({ predict, x, y, gridSize: 1 })).toThrow(/gridSize/);
    expect(() => decisionBoundary({ predict: () => [1, 2], x, y })).toThrow(ValueError);
    expect(() => decisionBoundary({ predict: (p) => p.map(() => NaN), x, y })).toThrow(/NaN/);
  });
});

describe('lineChart', () => {
  it('maps monotone values onto a polyline with monotone y inside the plot area', () => {
    const chart = lineChart({
      series: [
        { name: 'loss', values: [1, 0.8, 0.5, 0.3, 0.2, 0.1] },
        {
          name: 'acc',
          values: [
            [0, 0.1],
            [5, 0.9],
          ],
        },
      ],
      title: 'Curves',
    });
    const r = recorder();
    chart.draw(r.s);
    const [loss, acc] = r.lines;
    expect(loss).toHaveLength(6);
    for (let i = 1; i < loss.length; i++) {
      expect(loss[i][0]).toBeGreaterThan(loss[i - 1][0]);
      expect(loss[i][1]).toBeGreaterThan(loss[i - 1][1]); // falling values go down the screen
    }
    expect(acc[1][1]).toBeLessThan(acc[0][1]);
    for (const [px, py] of [...loss, ...acc]) {
      expect(px).toBeGreaterThan(0);
      expect(px).toBeLessThan(640);
      expect(py).toBeGreaterThan(20);
      expect(py).toBeLessThan(400);
    }
    expect(r.texts).toEqual(expect.arrayContaining(['Curves', 'loss', 'acc']));
  });

  it('log axis spaces decades evenly', () => {
    const r = recorder();
    lineChart({ series: [{ name: 'l', values: [100, 10, 1, 0.1] }], logY: true }).draw(r.s);
    const ys = r.lines[0].map((p) => p[1]);
    expect(ys[1] - ys[0]).toBeCloseTo(ys[3] - ys[2], 6);
    expect(r.texts).toEqual(expect.arrayContaining(['0.1', '1', '10', '100']));
  });

  it('rejects empty series, mismatched lengths, NaN and non-positive log values', () => {
    expect(() => lineChart({ series: [] })).toThrow(/non-empty/);
    expect(() => lineChart({ series: [{ name: 'a', values: [] }] })).toThrow(/series 0 \("a"\) has no values/);
    expect(() => lineChart({ series: [{ name: 'a', values: [1, 2, 3] }], x: [1, 2] })).toThrow(/must match/);
    expect(() => lineChart({ series: [{ name: 'a', values: [1, NaN] }] })).toThrow(/index 1 is NaN/);
    expect(() => lineChart({ series: [{ name: 'a', values: [[1, 2], [3] as never] }] })).toThrow(/\[x, y\] pair/);
    expect(() => lineChart({ series: [{ name: 'a', values: [1, 0] }], logY: true })).toThrow(/logY/);
  });

  it('trainingCurves draws loss and accuracy panels from a History', () => {
    const chart = trainingCurves({ loss: [0.9, 0.5, 0.3], valLoss: [1, 0.6, 0.4], accuracy: [0.5, 0.8, 0.9], valAccuracy: [0.5, 0.7, 0.85] });
    expect(chart.width).toBe(960);
    const r = recorder(960, 400);
    chart.draw(r.s);
    expect(r.lines).toHaveLength(4);
    expect(r.texts).toEqual(expect.arrayContaining(['Loss', 'Accuracy', 'train', 'validation']));
    expect(() => trainingCurves({ loss: [] })).toThrow(ValueError);
  });
});

describe('activations and digits', () => {
  it('uses wasmlp activation definitions for f and its derivative', () => {
    const [sig, relu, leaky, soft] = activationFunctions(['sigmoid', 'relu', 'leaky_relu', 'softmax'], 0.2);
    expect(sig.f(0)).toBeCloseTo(0.5, 12);
    expect(sig.df(0)).toBeCloseTo(0.25, 12);
    expect([relu.f(-2), relu.f(3), relu.df(-2), relu.df(3)]).toEqual([0, 3, 0, 1]);
    expect(leaky.f(-1)).toBeCloseTo(-0.2, 12);
    expect(leaky.df(-1)).toBeCloseTo(0.2, 12);
    expect(soft.f(1)).toBeCloseTo(sig.f(1), 12);
    expect(soft.df(1)).toBeCloseTo(sig.df(1), 12);
    expect(() => activationFunctions(['gelu' as never])).toThrow(ConfigError);
    const png = decode(toPNG(activationPlots(['tanh', 'relu'])));
    expect([png.width, png.height]).toEqual([640, 304]);
  });

  it('draws a digit grid with green right and red wrong predictions', () => {
    const img = Array.from({ length: 28 }, (_, r) => Array.from({ length: 28 }, (_, c) => (Math.abs(r - 14) < 8 && Math.abs(c - 14) < 3 ? 255 : 0)));
    const chart = digitGrid({ images: [img, img, img], labels: [1, 1, 7], predicted: [1, 1, 1], cols: 3 });
    const png = decode(toPNG(chart));
    let green = 0,
      red = 0,
      ink = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
      if (g > 100 && r < 60 && b < 90) green++;
      if (r > 180 && g < 80 && b < 80) red++;
      if (r < 10 && g < 10 && b < 10) ink++;
    }
    expect(green).toBeGreaterThan(5);
    expect(red).toBeGreaterThan(5);
    expect(ink).toBeGreaterThanOrEqual(3 * 15 * 5 * 4); // three bars of 15×5 image pixels at scale 2
    const flat = new Float32Array(2 * 4 * 4).fill(0.5);
    expect(decode(toPNG(digitGrid({ images: flat, shape: [2, 4, 4] }))).width).toBeGreaterThan(0);
    expect(() => digitGrid({ images: [] })).toThrow(/empty/);
    expect(() => digitGrid({ images: new Float32Array(10), width: 3 })).toThrow(/whole/);
    expect(() => digitGrid({ images: [img], labels: [] })).toThrow(/one entry per image/);
  });
});

describe('savePlot', () => {
  it('writes PNG or SVG by extension and refuses others', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wasmlp-plot-'));
    const { x, y } = moons();
    const chart = decisionBoundary({ predict: (p) => p.map(([a, b]) => (b > 0.25 - 0.3 * a ? 0.1 : 0.9)), x, y, gridSize: 30 });
    await savePlot(join(dir, 'db.png'), chart);
    await savePlot(join(dir, 'db.svg'), chart);
    expect(decode(await readFile(join(dir, 'db.png'))).width).toBe(640);
    expect((await readFile(join(dir, 'db.svg'), 'utf8')).startsWith('<svg')).toBe(true);
    await expect(savePlot(join(dir, 'db.jpg'), chart)).rejects.toThrow(ConfigError);
  });
});

describe('barChart', () => {
  it('draws one bar per value, leaves null slots empty, and renders to PNG and SVG', async () => {
    const { barChart } = await import('../src/plot/index.js');
    const chart = barChart({
      categories: ['a', 'b'],
      series: [
        { name: 's1', values: [2, null] },
        { name: 's2', values: [10, 100] },
      ],
      logY: true,
      referenceLine: 1,
      title: 'Ratios',
    });
    const rects: number[][] = [];
    const texts: string[] = [];
    const s: Surface = {
      width: 800,
      height: 420,
      fillRect: (x, y, w, h) => {
        rects.push([x, y, w, h]);
      },
      strokeRect() {},
      strokeLine() {},
      fillCircle() {},
      image() {},
      polyline() {},
      text: (_x, _y, str) => {
        texts.push(str);
      },
      measureText: (str) => str.length * 6,
    };
    chart.draw(s);
    // 3 bars + the legend's background box.
    expect(rects.filter(([, , w, h]) => h > 0 && w < 200)).toHaveLength(4);
    expect(texts).toEqual(expect.arrayContaining(['a', 'b', 's1', 's2', 'Ratios']));
    expect(toPNG(chart).subarray(1, 4)).toEqual(new Uint8Array([80, 78, 71]));
    checkBalanced(toSVG(chart));
  });

  it('refuses bad input eagerly', async () => {
    const { barChart } = await import('../src/plot/index.js');
    expect(() => barChart({ categories: [], series: [{ name: 'x', values: [] }] })).toThrow(/categories/);
    expect(() => barChart({ categories: ['a'], series: [{ name: 'x', values: [1, 2] }] })).toThrow(/one value per category/);
    expect(() => barChart({ categories: ['a'], series: [{ name: 'x', values: [0] }], logY: true })).toThrow(/logY needs values > 0/);
    expect(() => barChart({ categories: ['a'], series: [{ name: 'x', values: [Infinity] }] })).toThrow(/not a finite number/);
  });
});
