/**
 * Each layer's output for some input rows (Sequential.layerOutputs): the engine's forward pass
 * kept stage by stage (Engine.forwardStages), mapped back onto the layers the plan was lowered
 * from (lower.ts): a Dense gives its stage's product x·W + b and a BatchNorm its normalised
 * gamma · x̂ + beta (running estimates), the activation right after either (fused into that
 * stage) the stage's output, any other activation or a Dropout its own stage's output, and
 * Flatten the rows it was given, flattened.
 */
import type { Engine, StageOutputs } from '../engine.js';
import { stageWidth } from '../plan.js';
import { isTensorLike, toMatrix, toRows, type Input } from './input.js';
import { Activation, Dense, type Layer } from './layers.js';
import { BatchNorm } from './batchnorm.js';
import { Dropout } from './dropout.js';

/** One layer's output in the `{ data, shape }` form: rows × the layer's width. */
export interface LayerOutput {
  data: Float64Array;
  shape: [number, number];
}

/** Throws when stage k is not of the kind lowering gives this layer (with or without a pre-activation value): the layers and the plan disagree. */
function stageOf(stages: readonly StageOutputs[], k: number, linear: boolean): StageOutputs {
  const s = stages[k];
  if (s === undefined || (s.linear !== null) !== linear) throw new Error(`layerOutputs: layer and plan disagree at stage ${k}`);
  return s;
}

/**
 * The output of every layer of `layers` (as the model holds them, lowered to engine.plan) for
 * the rows of x, in the input's form: `{ data, shape }` entries for a TensorLike, nested rows
 * otherwise. Throws ShapeError / ValueError for bad input before any work; changes nothing
 * but the engine's scratch memory.
 */
export function layerOutputs(engine: Engine, layers: readonly Layer[], x: Input): LayerOutput[] | number[][][] {
  const plan = engine.plan;
  const m = toMatrix(x, plan.inputSize);
  const stages = engine.forwardStages(m.data, m.rows);
  const outputs: LayerOutput[] = [];
  // What the next layer receives: the model's input until a stage has run.
  let current: LayerOutput = { data: Float64Array.from(m.data), shape: [m.rows, plan.inputSize] };
  let k = -1;
  let open = false; // the last layer was a Dense or BatchNorm, whose stage fuses the next activation
  for (const layer of layers) {
    let data: Float64Array;
    if (layer instanceof Dense || layer instanceof BatchNorm) {
      data = stageOf(stages, ++k, true).linear!;
    } else if (layer instanceof Activation) {
      // Lowering fuses an activation into the Dense or BatchNorm right before it; any other is a stage of its own.
      data = stageOf(stages, open ? k : ++k, open).output;
    } else if (layer instanceof Dropout) {
      data = stageOf(stages, ++k, false).output;
    } else {
      data = current.data.slice();
    }
    open = layer instanceof Dense || layer instanceof BatchNorm;
    current = { data, shape: [m.rows, k >= 0 ? stageWidth(plan.stages[k]) : plan.inputSize] };
    outputs.push(current);
  }
  if (isTensorLike(x)) return outputs;
  return outputs.map((o) => toRows({ data: o.data, rows: o.shape[0], cols: o.shape[1] }));
}
