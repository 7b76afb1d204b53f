/**
 * The Worker's three views, drawn on the canvases the page transferred: the large view (the
 * output — class regions or the regression's values — or the hovered neuron's heatmap), the
 * network diagram and the loss curves (redrawn only when an epoch was added). Keeps the run's
 * loss history for the curves; changes nothing else.
 */
import { drawBoundary, type Heat } from './boundary-view.js';
import { drawCurves } from './curves-view.js';
import { drawNetwork, type NetworkPicture } from './network-view.js';
import { GRID, NEURON_GRID, type NetConfig, type NeuronRef } from './protocol.js';
import { maxAbs } from './tensors.js';

/** The transferred canvases. */
export interface Canvases {
  network: OffscreenCanvas;
  boundary: OffscreenCanvas;
  curves: OffscreenCanvas;
}

/** Every epoch's train and test loss of the run (the page keeps its own copy for its readers). */
const curves = { train: [] as number[], test: [] as number[], drawn: -1 };

/** Forgets the run's losses (a new run or an imported model). */
export function resetCurves(): void {
  curves.train.length = 0;
  curves.test.length = 0;
  curves.drawn = -1;
}

/** Adds the losses of epochs just finished. */
export function addLosses(train: readonly number[], test: readonly number[]): void {
  curves.train.push(...train);
  curves.test.push(...test);
}

/**
 * What the large view paints: the hovered neuron's map (on its own ±max scale; a class output's
 * probabilities on [0, 1]) when one is hovered, else the output grid. `hoverScale` is the
 * neuron's scale, or null when the output is shown.
 */
export function largeView(
  config: NetConfig,
  grid: Float32Array,
  range: number | null,
  neurons: Float32Array[],
  hover: NeuronRef | null,
): { heat: Heat; hoverScale: number | null } {
  const regression = config.task === 'regression';
  const P = NEURON_GRID * NEURON_GRID;
  const column = hover ? neurons[hover.column] : undefined;
  if (hover && column && column.length >= (hover.unit + 1) * P) {
    const values = column.slice(hover.unit * P, (hover.unit + 1) * P);
    const scale = !regression && hover.column === neurons.length - 1 ? 1 : maxAbs(values);
    return { heat: { kind: 'values', values, side: NEURON_GRID, scale }, hoverScale: scale };
  }
  const heat: Heat = regression ? { kind: 'values', values: grid, side: GRID, scale: range ?? 1 } : { kind: 'classes', values: grid, classes: config.classes };
  return { heat, hoverScale: null };
}

/** The points of the run, as the page made them, and the regression's target scale (null: classes). */
export interface RunPoints {
  train: { x: number[][]; y: number[] };
  test: { x: number[][]; y: number[] };
  range: number | null;
}

/** Draws the large view, the diagram (links: `links`, the weights or the backprop view's dW) and, when they grew, the curves. */
export function drawViews(
  c: Canvases,
  config: NetConfig,
  heat: Heat,
  points: RunPoints,
  showTest: boolean,
  diagram: Pick<NetworkPicture, 'neurons' | 'weights' | 'deltas' | 'hover' | 'selected' | 'between'>,
): void {
  const regression = config.task === 'regression';
  drawBoundary(c.boundary, heat, { train: points.train, test: points.test, showTest, range: points.range });
  drawNetwork(c.network, {
    ...diagram,
    features: config.features,
    sizes: [config.features.length, ...config.layers.map((l) => l.units), config.classes],
    outputClasses: !regression,
    outputLabel: regression ? () => 'y' : undefined,
  });
  if (curves.drawn !== curves.train.length) {
    curves.drawn = curves.train.length;
    drawCurves(c.curves, curves.train, curves.test);
  }
}
