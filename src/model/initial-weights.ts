/**
 * A new model's initial parameters, drawn in Keras order from one random stream: each Dense's W
 * then b from its initialisers; a BatchNorm starts at gamma 1, beta 0, running mean 0, running
 * variance 1 (drawing nothing).
 */
import { DEFAULT_BIAS_INITIALIZER, DEFAULT_KERNEL_INITIALIZER, initialize } from '../initializers.js';
import type { Random } from '../random.js';
import { BatchNorm, Dense, type Layer } from './layers.js';

/** The initial parameters of `layers` in Keras order; advances `random`, mutates nothing else. */
export function initialParameters(layers: readonly Layer[], random: Random): Float64Array[] {
  const params: Float64Array[] = [];
  for (const layer of layers) {
    if (layer instanceof BatchNorm) {
      const f = layer.features;
      params.push(new Float64Array(f).fill(1), new Float64Array(f), new Float64Array(f), new Float64Array(f).fill(1));
    }
    if (!(layer instanceof Dense)) continue;
    params.push(initialize(layer.init ?? DEFAULT_KERNEL_INITIALIZER, [layer.inputs, layer.units], random));
    if (layer.useBias) params.push(initialize(layer.biasInit ?? DEFAULT_BIAS_INITIALIZER, [layer.units], random));
  }
  return params;
}
