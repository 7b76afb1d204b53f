/**
 * A new model's initial parameters, drawn in Keras order from one random stream: each layer
 * gives its own (Layer.initialParameters): a Dense its W then b from its initialisers, a
 * BatchNorm gamma 1, beta 0, running mean 0, running variance 1 (drawing nothing).
 */
import type { Random } from '../random.js';
import type { Layer } from './layers.js';

/** The initial parameters of `layers` in Keras order; advances `random`, mutates nothing else. */
export function initialParameters(layers: readonly Layer[], random: Random): Float64Array[] {
  return layers.flatMap((layer) => layer.initialParameters(random));
}
