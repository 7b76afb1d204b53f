/** The seed-001 style shorthand: a whole network from a list of layer widths. */
import { ConfigError, describe } from '../errors.js';
import type { InitializerSpec } from '../initializers.js';
import type { ActivationName } from '../plan.js';
import { activationLayer, Dense, type Layer } from './layers.js';
import { Sequential, type SequentialOptions } from './sequential.js';

/** Options of mlp(). */
export interface MLPOptions extends SequentialOptions {
  /** Activation after every hidden Dense: one name, or one per hidden layer (default 'relu'). */
  activation?: ActivationName | ActivationName[];
  /**
   * Activation after the last Dense (default none: a linear output, as Keras and tfjs, so a
   * regression can predict any value and logit losses get logits). Name one for a probability
   * output, e.g. 'sigmoid' with bce or 'softmax' with categorical_ce.
   */
  outputActivation?: ActivationName | null;
  /** Initialiser of every W (default glorot_uniform). */
  init?: InitializerSpec;
  /** Initialiser of every b (default zeros). */
  biasInit?: InitializerSpec;
}

/**
 * `mlp([2, 6, 2], { activation: 'sigmoid' })` builds Dense(2,6) sigmoid Dense(6,2) (a linear
 * output); `outputActivation: 'sigmoid'` adds a sigmoid after the last layer, as seed 001's
 * NN_Model(nodes=[2, 6, 2]) has. Returns a new model; throws ConfigError for fewer than two sizes.
 */
export function mlp(sizes: number[], options: MLPOptions = {}): Sequential {
  if (!Array.isArray(sizes) || sizes.length < 2) throw new ConfigError(`mlp needs at least two layer sizes, got ${describe(sizes)}`);
  const { activation = 'relu', outputActivation, init, biasInit, ...modelOptions } = options;
  const hidden = sizes.length - 2;
  const acts = Array.isArray(activation) ? activation : Array(hidden).fill(activation);
  if (acts.length !== hidden) throw new ConfigError(`mlp: ${hidden} hidden layers but ${acts.length} activations`);
  const out = outputActivation ?? null;
  const layers: Layer[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Dense(sizes[i], sizes[i + 1], { init, biasInit }));
    const act = i < hidden ? acts[i] : out;
    if (act !== null && act !== undefined) layers.push(activationLayer(act));
  }
  return new Sequential(layers, modelOptions);
}
