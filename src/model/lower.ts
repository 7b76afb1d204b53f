/**
 * Lowering a list of layers to a Plan (see src/plan.ts): checks that sizes chain, fuses each
 * Dense with the activation right after it, and records the loss and optimiser.
 */
import { ConfigError, ShapeError } from '../errors.js';
import { LOSSES, LOSS_ALIASES, INITIAL_ROWS, stageWidth, type LossName, type OptimizerConfig, type Plan, type Stage } from '../plan.js';
import { Activation, BatchNorm, Dense, Dropout, Flatten, type Layer } from './layers.js';
import { describe } from '../errors.js';
import { ownEntry } from '../own.js';

/**
 * The most values a model may hold (2^26 ≈ 67 M): its parameters, and with them the activation
 * buffers of INITIAL_ROWS rows (every stage's output). Larger models are refused before any allocation.
 */
export const MAX_PARAMETERS = 2 ** 26;

/** The most layers a Sequential may have: parameterless layers still cost a stage and its buffers each. */
export const MAX_LAYERS = 512;

/** Resolves a loss name or alias to its canonical name; throws ConfigError listing the valid ones. */
export function resolveLoss(name: unknown): LossName {
  if (typeof name === 'string') {
    const key = name.toLowerCase();
    if ((LOSSES as readonly string[]).includes(key)) return key as LossName;
    const alias = ownEntry(LOSS_ALIASES, key);
    if (alias !== undefined) return alias;
  }
  throw new ConfigError(`unknown loss ${describe(name)} (valid: ${LOSSES.join(', ')}; aliases: ${Object.keys(LOSS_ALIASES).join(', ')})`);
}

/** Describes layer i for messages, e.g. "layer 2 (Dense 64→32)". */
function layerLabel(layer: Layer, i: number): string {
  if (layer instanceof Dense) return `layer ${i} (Dense ${layer.inputs}→${layer.units})`;
  if (layer instanceof Activation) return `layer ${i} (${layer.activation})`;
  if (layer instanceof BatchNorm) return `layer ${i} (BatchNorm ${layer.features})`;
  return `layer ${i} (${layer.className})`;
}

/**
 * Builds the plan of `layers` with `loss` and `optimizer`. Throws ShapeError when a Dense's
 * inputs do not match the width before it, ConfigError for an empty or Dense-less model.
 */
export function lower(layers: readonly Layer[], loss: LossName, optimizer: OptimizerConfig): Plan {
  if (!Array.isArray(layers) || layers.length === 0) throw new ConfigError('a Sequential needs at least one layer');
  if (layers.length > MAX_LAYERS) throw new ShapeError(`a Sequential may have at most ${MAX_LAYERS} layers, got ${layers.length}`);
  const firstDense = layers.findIndex((l) => l instanceof Dense);
  if (firstDense < 0) throw new ConfigError('a Sequential needs at least one Dense layer');
  const inputSize = (layers[firstDense] as Dense).inputs;
  const stages: Stage[] = [];
  let width = inputSize;
  let parameters = 0;
  let previous = -1; // index of the layer that produced `width`
  let openDense = false; // the last stage is a Dense or BatchNorm whose activation slot is still free
  layers.forEach((layer, i) => {
    if (layer instanceof Dense) {
      if (layer.inputs !== width) {
        const from = previous < 0 ? 'the model input' : layerLabel(layers[previous], previous);
        throw new ShapeError(`${layerLabel(layer, i)} expects ${layer.inputs} inputs but ${from} gives ${width}`);
      }
      parameters += layer.inputs * layer.units + (layer.useBias ? layer.units : 0);
      if (parameters > MAX_PARAMETERS) {
        throw new ShapeError(`${layerLabel(layer, i)}: the model would have ${parameters} parameters, more than the limit of ${MAX_PARAMETERS}`);
      }
      stages.push({ kind: 'dense', inSize: layer.inputs, outSize: layer.units, useBias: layer.useBias, activation: 'identity', alpha: 0 });
      width = layer.units;
      previous = i;
      openDense = true;
    } else if (layer instanceof Activation) {
      const last = stages[stages.length - 1];
      if (openDense && (last.kind === 'dense' || last.kind === 'batchnorm')) {
        last.activation = layer.activation;
        last.alpha = layer.alpha;
      } else {
        stages.push({ kind: 'activation', size: width, activation: layer.activation, alpha: layer.alpha });
      }
      openDense = false;
    } else if (layer instanceof BatchNorm) {
      if (layer.features !== width) {
        const from = previous < 0 ? 'the model input' : layerLabel(layers[previous], previous);
        throw new ShapeError(`${layerLabel(layer, i)} expects ${layer.features} features but ${from} gives ${width}`);
      }
      parameters += 4 * layer.features;
      stages.push({ kind: 'batchnorm', size: width, eps: layer.eps, momentum: layer.momentum, activation: 'identity', alpha: 0 });
      previous = i;
      openDense = true;
    } else if (layer instanceof Dropout) {
      stages.push({ kind: 'dropout', size: width, rate: layer.rate, activation: 'identity', alpha: 0 });
      openDense = false;
    } else if (layer instanceof Flatten) {
      if (i > firstDense) throw new ConfigError(`${layerLabel(layer, i)}: Flatten must come before the first Dense layer`);
    } else {
      throw new ConfigError(`layers[${i}] is ${describe(layer)}, not a wasmlp layer`);
    }
  });
  // Activation buffers are what a deep stack of parameterless layers costs: count them too.
  const perRow = stages.reduce((sum, s) => sum + stageWidth(s), inputSize);
  const values = parameters + INITIAL_ROWS * perRow;
  if (values > MAX_PARAMETERS) {
    throw new ShapeError(
      `the model would hold ${values} values (${parameters} parameters + activation buffers of ${perRow} values per row × ${INITIAL_ROWS} rows), more than the limit of ${MAX_PARAMETERS}`,
    );
  }
  return { inputSize, outputSize: width, stages, loss, optimizer };
}
