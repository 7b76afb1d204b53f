/**
 * The network diagram: one column per layer (inputs, hidden layers, outputs), each neuron drawn
 * as a small heatmap of its output over the view, and every link a line whose thickness is
 * |w| and colour its sign (blue negative, orange positive). Drawn in the training Worker on the
 * canvas the page transferred (OffscreenCanvas), so its thousands of strokes never block the page.
 */
import { FEATURE_LABELS, type FeatureName } from './state.js';
import { NEURON_GRID, type EdgeRef, type NeuronRef } from './protocol.js';
import { classRGB, divergingRGB } from './colors.js';

const P = NEURON_GRID * NEURON_GRID;
const cell = new ImageData(NEURON_GRID, NEURON_GRID);
const offscreen = new OffscreenCanvas(NEURON_GRID, NEURON_GRID);

type Context = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;
/** Room kept beside the input and output columns for their labels, so none is clipped at any layer count. */
const LABEL_ROOM = 46;
/** Strength levels of the links' thickness and opacity (per sign). */
const LINK_LEVELS = 8;

/** What the diagram shows. */
export interface NetworkPicture {
  features: FeatureName[];
  /** Units per column: inputs, hidden layers, outputs. */
  sizes: number[];
  /** Per column, units × NEURON_GRID² outputs (null before the first frame). */
  neurons: Float32Array[] | null;
  /** Per Dense layer, W [in][out] row-major. */
  weights: Float32Array[] | null;
  /** Per column after the inputs, each unit's mean |δ| (the backprop view; null otherwise): drawn as a red ring. */
  deltas?: Float32Array[] | null;
  /** The output units' captions (default `class k`). */
  outputLabel?: (k: number) => string;
  /** Whether the output units are class probabilities (their class's colour) or real values (the diverging scale). */
  outputClasses?: boolean;
  /** The neuron under the pointer (outlined) and the link picked for editing (drawn on top). */
  hover?: NeuronRef | null;
  selected?: EdgeRef | null;
  /** Called between the drawing's pieces (link groups, columns): the Worker looks at its Pause flag there. */
  between?: () => void;
}

/** Where everything sits: per column its nodes' left x, their side, and each node's top y. */
export interface NetworkLayout {
  columns: { x: number; size: number; y: number[] }[];
}

/** x of column i's centre when the canvas is split into `columns` equal parts (the layer controls use the same split). */
export function columnCenter(i: number, columns: number, width: number): number {
  return ((i + 0.5) * width) / columns;
}

function nodeLayout(count: number, H: number): { size: number; y: (k: number) => number } {
  const size = Math.max(4, Math.min(34, Math.floor((H - 16) / count) - 3));
  const gap = Math.min(10, Math.max(1, (H - 16 - count * size) / Math.max(1, count)));
  const total = count * size + (count - 1) * gap;
  const top = (H - total) / 2;
  return { size, y: (k) => top + k * (size + gap) };
}

function paintNeuron(ctx: Context, values: Float32Array, offset: number, scale: number, outputClass: number | null, x: number, y: number, size: number): void {
  const px = cell.data;
  for (let p = 0; p < P; p++) {
    const v = values[offset + p];
    let rgb: [number, number, number];
    if (outputClass === null) {
      rgb = divergingRGB(v / scale);
    } else {
      // Output units are probabilities: their class's colour, as strong as p.
      const [r, g, b] = classRGB(outputClass);
      rgb = [255 + (r - 255) * v, 255 + (g - 255) * v, 255 + (b - 255) * v];
    }
    px[p * 4] = rgb[0];
    px[p * 4 + 1] = rgb[1];
    px[p * 4 + 2] = rgb[2];
    px[p * 4 + 3] = 255;
  }
  offscreen.getContext('2d')!.putImageData(cell, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(offscreen, x, y, size, size);
}

/**
 * The diagram's geometry on a W×H canvas: each column's nodes centred on its share of the width
 * (the layer controls use the same split), the first and last moved inwards when their labels
 * would not fit. The page hit-tests the pointer with it; the Worker draws with it.
 */
export function networkLayout(sizes: readonly number[], W: number, H: number): NetworkLayout {
  const columns = sizes.length;
  return {
    columns: sizes.map((n, i) => {
      const { size, y } = nodeLayout(n, H);
      let x = columnCenter(i, columns, W) - size / 2;
      if (i === 0) x = Math.max(x, LABEL_ROOM);
      else if (i === columns - 1) x = Math.min(x, W - size - LABEL_ROOM);
      return { x, size, y: Array.from({ length: n }, (_, k) => y(k)) };
    }),
  };
}

/** The two ends of the link from unit i of column li to unit j of column li + 1. */
export function linkEnds(layout: NetworkLayout, li: number, i: number, j: number): [number, number, number, number] {
  const a = layout.columns[li];
  const b = layout.columns[li + 1];
  return [a.x + a.size, a.y[i] + a.size / 2, b.x, b.y[j] + b.size / 2];
}

/** Draws the diagram at the canvas's size. */
export function drawNetwork(canvas: HTMLCanvasElement | OffscreenCanvas, pic: NetworkPicture): void {
  const ctx = canvas.getContext('2d') as Context;
  const W = canvas.width;
  const H = canvas.height;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const columns = pic.sizes.length;
  const layout = networkLayout(pic.sizes, W, H);

  // Links first, under the nodes; widths relative to the largest |w| of the whole network.
  // Links are grouped by sign and by one of LINK_LEVELS strengths, one path per group: a 6×64
  // network has 20,000 links, and one stroke each would take the Worker hundreds of ms a frame.
  if (pic.weights) {
    let maxAbs = 1e-9;
    for (const w of pic.weights) for (const v of w) maxAbs = Math.max(maxAbs, Math.abs(v));
    const groups = Array.from({ length: 2 * LINK_LEVELS }, () => [] as number[]);
    pic.weights.forEach((w, li) => {
      const rows = pic.sizes[li];
      const cols = pic.sizes[li + 1];
      if (w.length !== rows * cols) return;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const v = w[i * cols + j] / maxAbs;
          const level = Math.min(LINK_LEVELS - 1, Math.floor(Math.abs(v) * LINK_LEVELS));
          groups[(v < 0 ? 0 : LINK_LEVELS) + level].push(...linkEnds(layout, li, i, j));
        }
      }
    });
    groups.forEach((g, k) => {
      if (g.length === 0) return;
      const strength = ((k % LINK_LEVELS) + 0.5) / LINK_LEVELS;
      const [r, gr, bl] = divergingRGB(k < LINK_LEVELS ? -1 : 1);
      ctx.strokeStyle = `rgba(${r | 0},${gr | 0},${bl | 0},${0.25 + 0.6 * strength})`;
      ctx.lineWidth = Math.max(0.3, 4 * strength);
      ctx.beginPath();
      for (let q = 0; q < g.length; q += 4) {
        ctx.moveTo(g[q], g[q + 1]);
        ctx.lineTo(g[q + 2], g[q + 3]);
      }
      ctx.stroke();
      pic.between?.();
    });
  }

  const sel = pic.selected;
  if (sel && pic.sizes[sel.layer + 1] !== undefined && sel.i < pic.sizes[sel.layer] && sel.j < pic.sizes[sel.layer + 1]) {
    const [x0, y0, x1, y1] = linkEnds(layout, sel.layer, sel.i, sel.j);
    ctx.strokeStyle = '#111';
    ctx.lineWidth = 3;
    ctx.setLineDash([6, 3]);
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  pic.sizes.forEach((n, ci) => {
    const { size, x } = layout.columns[ci];
    const y = (k: number) => layout.columns[ci].y[k];
    const values = pic.neurons?.[ci];
    const isOutput = ci === columns - 1;
    let scale = 1e-9;
    if (values) for (const v of values) scale = Math.max(scale, Math.abs(v));
    for (let k = 0; k < n; k++) {
      if (k % 16 === 15) pic.between?.();
      if (values && values.length === n * P) paintNeuron(ctx, values, k * P, scale, isOutput && pic.outputClasses !== false ? k : null, x, y(k), size);
      else {
        ctx.fillStyle = '#eee';
        ctx.fillRect(x, y(k), size, size);
      }
      const hovered = pic.hover?.column === ci && pic.hover.unit === k;
      ctx.strokeStyle = hovered ? '#111' : '#555';
      ctx.lineWidth = hovered ? 3 : 1;
      ctx.strokeRect(x + 0.5, y(k) + 0.5, size - 1, size - 1);
      const d = ci > 0 ? pic.deltas?.[ci - 1] : undefined;
      if (d && d.length === n) {
        let maxD = 1e-12;
        for (const v of d) maxD = Math.max(maxD, v);
        ctx.strokeStyle = 'rgba(220, 38, 38, 0.9)';
        ctx.lineWidth = Math.max(0.5, 4 * (d[k] / maxD));
        ctx.strokeRect(x - 2, y(k) - 2, size + 4, size + 4);
      }
    }
    ctx.fillStyle = '#333';
    ctx.font = '11px system-ui, sans-serif';
    if (ci === 0 && size >= 10) {
      ctx.textAlign = 'right';
      pic.features.forEach((f, k) => ctx.fillText(FEATURE_LABELS[f], x - 4, y(k) + size / 2 + 4));
    }
    if (isOutput && size >= 10) {
      ctx.textAlign = 'left';
      for (let k = 0; k < n; k++) ctx.fillText(pic.outputLabel?.(k) ?? `class ${k}`, x + size + 4, y(k) + size / 2 + 4);
    }
    ctx.textAlign = 'left';
  });
}
