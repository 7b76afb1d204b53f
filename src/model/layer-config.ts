/**
 * Layers rebuilt from their `{ className, config }` form (Layer.toConfig), as the model
 * document stores them. Apart from layers.ts because only loading a saved model needs it
 * (model/persist.ts, which pages load on first use).
 */
import { ConfigError, describe } from '../errors.js';
import { Dense, Flatten, activationLayer, type Layer } from './layers.js';
import { BatchNorm } from './batchnorm.js';
import { Dropout } from './dropout.js';

/** Rebuilds a layer from `{ className, config }`; throws ConfigError for an unknown class. */
export function layerFromConfig(spec: unknown, index: number): Layer {
  if (typeof spec !== 'object' || spec === null) throw new ConfigError(`layers[${index}] must be an object, got ${describe(spec)}`);
  const { className, config } = spec as { className?: unknown; config?: Record<string, unknown> };
  const c = (typeof config === 'object' && config !== null ? config : {}) as Record<string, never>;
  switch (className) {
    case 'Dense':
      return new Dense(c.inputs, c.units, { useBias: c.useBias, init: c.init, biasInit: c.biasInit });
    case 'Activation':
      return activationLayer(c.activation, c.alpha);
    case 'Flatten':
      return new Flatten();
    case 'BatchNorm':
      return new BatchNorm(c.features, { momentum: c.momentum, eps: c.eps });
    case 'Dropout':
      return new Dropout(c.rate);
    default:
      throw new ConfigError(`layers[${index}]: unknown layer class ${describe(className)} (valid: Dense, Activation, Flatten, BatchNorm, Dropout)`);
  }
}
