/**
 * Every stage's values of a forward pass on the core (WasmEngine.forwardStages): the pass of
 * netForward, composed from the same exported kernels — gemmNN with the fused bias (Dense) or
 * bnEval with the running estimates (BatchNorm), then activationForward; a Dropout copies (it is
 * the identity outside training) — so that each stage's output is bit for bit what predict
 * computes (every element goes through the same code whatever the row count), and the value
 * before the fused activation, which netForward overwrites in place, is kept.
 */
import { parameterSlots, type StageOutputs } from '../engine.js';
import { keepsLinear, stageWidth, type Plan } from '../plan.js';
import type { Core } from './core.js';
import { isFloatArray } from './data.js';
import { allocOrThrow, LOWER_BATCH } from './memory.js';

/** Rows per pass at most: bounds the scratch blocks, whatever the number of rows asked for. */
const CHUNK_ROWS = 1024;

/** Float offsets of each stage's parameter tensors, in layout order (Dense: W then b; BatchNorm: gamma, beta, mean, var). */
function tensorOffsets(plan: Plan): number[][] {
  const offsets: number[][] = plan.stages.map(() => []);
  for (const s of parameterSlots(plan).slots) offsets[s.stage].push(s.offset);
  return offsets;
}

/**
 * Runs plan's stages on rows × inputSize values of x with the parameters at byte offset `params`
 * of core c, and returns every stage's values (see StageOutputs). Works in scratch blocks of the
 * arena, freed before it returns (allocating them may grow memory); writes nothing else.
 * The caller has checked x's size.
 */
export function forwardStages(c: Core, params: number, plan: Plan, x: ArrayLike<number>, rows: number): StageOutputs[] {
  const e = c.exports;
  const stages = plan.stages;
  const offsets = tensorOffsets(plan);
  const results: StageOutputs[] = stages.map((s) => {
    const n = rows * stageWidth(s);
    return { linear: keepsLinear(s) ? new Float64Array(n) : null, output: new Float64Array(n) };
  });
  if (rows === 0) return results;
  const chunk = Math.min(rows, CHUNK_ROWS);
  const blocks: number[] = [];
  const block = (floats: number): number => {
    const p = allocOrThrow(c, floats * 4, `layerOutputs' scratch for ${chunk} rows`, LOWER_BATCH);
    blocks.push(p);
    return p;
  };
  try {
    const input = block(chunk * plan.inputSize);
    const buffers = stages.map((s) => {
      const n = chunk * stageWidth(s);
      return { linear: keepsLinear(s) ? block(n) : 0, output: block(n) };
    });
    for (let r = 0; r < rows; r += chunk) {
      const n = Math.min(chunk, rows - r);
      const from = r * plan.inputSize,
        len = n * plan.inputSize;
      const f32 = c.f32();
      if (isFloatArray(x)) f32.set(x.subarray(from, from + len), input >>> 2);
      else for (let i = 0; i < len; i++) f32[(input >>> 2) + i] = x[from + i];
      let previous = input;
      stages.forEach((s, i) => {
        const act = c.abi.activation[s.activation];
        const { linear, output } = buffers[i];
        if (s.kind === 'dense') {
          const [w, b] = offsets[i];
          e.gemmNN(previous, params + w * 4, linear, n, s.outSize, s.inSize, b !== undefined ? params + b * 4 : 0, 0);
          e.activationForward(act, s.alpha, linear, output, n, s.outSize);
        } else if (s.kind === 'batchnorm') {
          const [gamma, beta, mean, variance] = offsets[i].map((o) => params + o * 4);
          e.bnEval(previous, linear, gamma, beta, mean, variance, s.eps, n, s.size);
          e.activationForward(act, s.alpha, linear, output, n, s.size);
        } else if (s.kind === 'dropout') {
          // Outside training a Dropout is the identity: a plain copy, as netForward's memory.copy.
          c.f32().copyWithin(output >>> 2, previous >>> 2, (previous >>> 2) + n * s.size);
        } else {
          e.activationForward(act, s.alpha, previous, output, n, s.size);
        }
        previous = output;
      });
      const view = c.f32();
      stages.forEach((s, i) => {
        const width = stageWidth(s),
          len = n * width;
        const { linear, output } = buffers[i];
        if (linear !== 0) results[i].linear!.set(view.subarray(linear >>> 2, (linear >>> 2) + len), r * width);
        results[i].output.set(view.subarray(output >>> 2, (output >>> 2) + len), r * width);
      });
    }
  } finally {
    for (const p of blocks) e.free(p);
  }
  return results;
}
