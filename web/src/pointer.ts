/**
 * The pointer on the network diagram, on the page: which neuron is under it and which link was
 * clicked, hit-tested on the same layout the Worker draws with (networkLayout), in the canvas's
 * own pixels whatever its CSS size. It reports hover changes and clicks; it changes nothing itself.
 */
import { linkEnds, networkLayout, type NetworkLayout } from './network-view.js';
import type { EdgeRef, NeuronRef } from './protocol.js';

/** How near (canvas pixels) a click must come to a link to pick it. */
export const LINK_PICK_PX = 4;

/** The neuron whose square holds (x, y), or null. */
export function neuronAt(layout: NetworkLayout, x: number, y: number): NeuronRef | null {
  for (let c = 0; c < layout.columns.length; c++) {
    const col = layout.columns[c];
    if (x < col.x - 1 || x > col.x + col.size + 1) continue;
    for (let k = 0; k < col.y.length; k++) if (y >= col.y[k] - 1 && y <= col.y[k] + col.size + 1) return { column: c, unit: k };
  }
  return null;
}

/** Distance from p to the segment a-b. */
function segmentDistance(px: number, py: number, x0: number, y0: number, x1: number, y1: number): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len));
  return Math.hypot(px - (x0 + t * dx), py - (y0 + t * dy));
}

/** The link nearest (x, y) within LINK_PICK_PX, or null (only between the columns it joins). */
export function linkAt(layout: NetworkLayout, sizes: readonly number[], x: number, y: number): EdgeRef | null {
  let best: EdgeRef | null = null;
  let bestD = LINK_PICK_PX;
  for (let li = 0; li + 1 < sizes.length; li++) {
    const a = layout.columns[li];
    const b = layout.columns[li + 1];
    if (x < a.x + a.size || x > b.x) continue;
    for (let i = 0; i < sizes[li]; i++) {
      for (let j = 0; j < sizes[li + 1]; j++) {
        const d = segmentDistance(x, y, ...linkEnds(layout, li, i, j));
        if (d <= bestD) {
          bestD = d;
          best = { layer: li, i, j };
        }
      }
    }
  }
  return best;
}

/**
 * Wires the diagram canvas: `onHover` with the neuron under the pointer (null when it leaves
 * every neuron or the canvas), `onLink` with a clicked link. `sizes` gives the current columns.
 */
export function watchDiagram(canvas: HTMLCanvasElement, sizes: () => number[], onHover: (n: NeuronRef | null) => void, onLink: (e: EdgeRef) => void): void {
  let current: NeuronRef | null = null;
  const at = (e: MouseEvent) => {
    const r = canvas.getBoundingClientRect();
    // The canvas keeps its width / height attributes after it was transferred to the Worker.
    const x = ((e.clientX - r.left) * canvas.width) / r.width;
    const y = ((e.clientY - r.top) * canvas.height) / r.height;
    return { x, y, layout: networkLayout(sizes(), canvas.width, canvas.height) };
  };
  const report = (n: NeuronRef | null) => {
    if (n?.column === current?.column && n?.unit === current?.unit) return;
    current = n;
    onHover(n);
  };
  canvas.addEventListener('pointermove', (e) => {
    const p = at(e);
    report(neuronAt(p.layout, p.x, p.y));
  });
  canvas.addEventListener('pointerleave', () => report(null));
  canvas.addEventListener('click', (e) => {
    const p = at(e);
    if (neuronAt(p.layout, p.x, p.y)) return;
    const link = linkAt(p.layout, sizes(), p.x, p.y);
    if (link) onLink(link);
  });
}
