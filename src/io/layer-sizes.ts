/** The input and output widths of a layer list, read from its Dense and BatchNorm layers (plain records). */
import type { LayerConfig } from './model-record.js';

/** The width the first sized layer takes and the width the last one gives (0 when there is none). */
export function layerSizes(layers: readonly LayerConfig[]): { inputSize: number; outputSize: number } {
  let inputSize = 0,
    outputSize = 0;
  for (const l of layers) {
    const c = l.config as Record<string, number>;
    const [i, o] = l.className === 'Dense' ? [c.inputs, c.units] : l.className === 'BatchNorm' ? [c.features, c.features] : [0, 0];
    if (i > 0 && inputSize === 0) inputSize = i;
    if (o > 0) outputSize = o;
  }
  return { inputSize, outputSize };
}
