/**
 * The Dropout layer, in a module of its own (as BatchNorm) so that a page whose models have none
 * does not ship it.
 */
import { ValueError, describe } from '../errors.js';
import { Layer, type LayerConfig, type LayerStage } from './layers.js';

/**
 * Inverted dropout: while fit trains, each value is zeroed with probability `rate` and the
 * others are scaled by 1 / (1 - rate); predict, evaluate and gradients pass values through.
 * Masks come from the model's seeded stream: a run is reproducible from its seed.
 */
export class Dropout extends Layer {
  readonly className = 'Dropout';
  readonly rate: number;

  constructor(rate: number) {
    super();
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new ValueError(`Dropout rate must be a number in [0, 1), got ${describe(rate)}`);
    this.rate = rate;
  }

  stage(width: number): LayerStage {
    return { stage: { kind: 'dropout', size: width, rate: this.rate, activation: 'identity', alpha: 0 }, parameters: 0 };
  }

  toConfig(): LayerConfig {
    return { className: this.className, config: { rate: this.rate } };
  }
}
