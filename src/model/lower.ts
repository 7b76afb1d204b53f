/**
 * Lowering a list of layers to a Plan (see src/plan.ts): checks that sizes chain, fuses each
 * Dense with the activation right after it, and records the loss and optimiser.
 */
import { ConfigError, ShapeError } from '../errors.js';
import { LOSSES, LOSS_ALIASES, INITIAL_ROWS, stageWidth, type LossName, type OptimizerConfig, type Plan, type Stage } from '../plan.js';
import { Activation, Dense, Layer } from './layers.js';
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
  return `layer ${i} (${layer.label()})`;
}

/**
 * Builds the plan of `layers` with `loss` and `optimizer`. Throws ShapeError when a layer's
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
    if (!(layer instanceof Layer)) throw new ConfigError(`layers[${i}] is ${describe(layer)}, not a wasmlp layer`);
    const last = stages[stages.length - 1];
    if (layer instanceof Activation && openDense && (last.kind === 'dense' || last.kind === 'batchnorm')) {
      last.activation = layer.activation;
      last.alpha = layer.alpha;
      openDense = false;
      return;
    }
    const lowered = layer.stage(width, i);
    if (lowered === null) {
      // Flatten: a reshape of the input rows, meaningless after the first Dense.
      if (i > firstDense) throw new ConfigError(`${layerLabel(layer, i)}: Flatten must come before the first Dense layer`);
      return;
    }
    const { stage, takes } = lowered;
    if (takes !== undefined) {
      if (takes.width !== width) {
        const from = previous < 0 ? 'the model input' : layerLabel(layers[previous], previous);
        throw new ShapeError(`${layerLabel(layer, i)} expects ${takes.width} ${takes.what} but ${from} gives ${width}`);
      }
      previous = i;
    }
    parameters += lowered.parameters;
    if (lowered.parameters > 0 && parameters > MAX_PARAMETERS) {
      throw new ShapeError(`${layerLabel(layer, i)}: the model would have ${parameters} parameters, more than the limit of ${MAX_PARAMETERS}`);
    }
    stages.push(stage);
    width = stageWidth(stage);
    openDense = stage.kind === 'dense' || stage.kind === 'batchnorm';
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
