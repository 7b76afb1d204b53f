/**
 * The wasm engine's check of a plan's stages before the core sees them: the core trusts these
 * sizes and settings for every buffer it touches.
 */
import { ShapeError, ValueError } from '../errors.js';
import { stageInputWidth, stageWidth, type Plan, type Stage } from '../plan.js';

/**
 * Throws unless the stage sizes chain (each stage takes the previous width, the first the
 * input, the last gives the output): the core trusts these sizes for every buffer it touches.
 */
export function checkPlan(plan: Plan, stages: readonly Stage[]): void {
  const dims = [plan.inputSize, plan.outputSize];
  for (const s of stages) dims.push(stageInputWidth(s), stageWidth(s));
  if (!dims.every((d) => Number.isInteger(d) && d >= 1)) throw new ShapeError('wasm engine: every size in the plan must be an integer >= 1');
  let width = plan.inputSize;
  stages.forEach((s, i) => {
    const inSize = stageInputWidth(s);
    if (inSize !== width) throw new ShapeError(`wasm engine: stage ${i} takes ${inSize} values but receives ${width}`);
    width = stageWidth(s);
    if (s.kind === 'dropout' && !(s.rate >= 0 && s.rate < 1)) throw new ValueError(`wasm engine: stage ${i} has dropout rate ${s.rate}; the core needs [0, 1)`);
    if (s.kind === 'batchnorm' && !(s.eps > 0 && s.momentum >= 0 && s.momentum <= 1))
      throw new ValueError(`wasm engine: stage ${i} has BatchNorm eps ${s.eps}, momentum ${s.momentum}`);
    if (!(s.alpha >= 0)) throw new ValueError(`wasm engine: stage ${i} has alpha ${s.alpha}; the core needs alpha >= 0`);
  });
  if (width !== plan.outputSize) throw new ShapeError(`wasm engine: the last stage gives ${width} values, the plan's output is ${plan.outputSize}`);
}
