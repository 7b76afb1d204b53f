/**
 * What a model should hold in the WebAssembly arena while it trains, computed from its plan:
 * parameters + gradients (two buffers: the accepted gradient and the pending one) + optimiser
 * state + one batch of activations (a stage output per stage, the gathered input and target
 * rows, two ping-pong gradient buffers of the widest layer) + the training data + the small
 * descriptors. Every block is counted as the arena hands it out (16-byte header, 16-byte
 * rounding, 32 bytes at least: assembly/arena.ts), so the sum can be compared byte for byte
 * with `arenaBytesInUse()` measured during training.
 */
import type { Plan } from '../plan.js';

/** One arena block for a payload of `bytes`: header + 16-byte rounding, at least 32 (assembly/arena.ts). */
export function blockBytes(bytes: number): number {
  return Math.max(32, Math.ceil(bytes / 16) * 16 + 16);
}

/** Byte sizes of the core's descriptors (assembly/network.ts Net and Stage, assembly/optimizers.ts Optimizer; wasm32). */
const NET_DESCRIPTOR = 120;
const STAGE_DESCRIPTOR = 36;
const OPTIMIZER_DESCRIPTOR = 92;

/** The expected arena bytes by part. */
export interface ArenaBudget {
  parameters: number;
  gradients: number;
  optimizerState: number;
  activations: number;
  data: number;
  descriptors: number;
  total: number;
}

/** Number of optimiser state buffers (each the size of the parameters) of the plan's optimiser. */
function stateBuffers(plan: Plan): number {
  const o = plan.optimizer;
  switch (o.type) {
    case 'sgd': return o.momentum !== 0 ? 1 : 0;
    case 'adam':
    case 'adamw': return o.amsgrad ? 3 : 2;
    case 'rmsprop': return 1 + (o.centered ? 1 : 0) + (o.momentum > 0 ? 1 : 0);
  }
}

/**
 * The arena bytes a model with `plan` should hold while fit trains on `rows` rows with batch
 * buffers for `capacity` rows (no shuffle order; add one Int32 per row with shuffling).
 */
export function expectedArenaBytes(plan: Plan, capacity: number, rows: number, shuffle = false): ArenaBudget {
  let params = 0;
  let width = plan.inputSize;
  const outs: number[] = [];
  for (const s of plan.stages) {
    if (s.kind === 'dense') params += s.inSize * s.outSize + (s.useBias ? s.outSize : 0);
    const out = s.kind === 'dense' ? s.outSize : s.size;
    outs.push(out);
    width = Math.max(width, out);
  }
  const p = blockBytes(params * 4);
  const activations = outs.reduce((sum, o) => sum + blockBytes(capacity * o * 4), 0)
    + blockBytes(capacity * plan.inputSize * 4) + blockBytes(capacity * plan.outputSize * 4)
    + 2 * blockBytes(capacity * width * 4);
  const data = blockBytes(rows * plan.inputSize * 4) + blockBytes(rows * plan.outputSize * 4) + (shuffle ? blockBytes(rows * 4) : 0);
  const descriptors = blockBytes(NET_DESCRIPTOR) + blockBytes(Math.max(1, outs.length) * STAGE_DESCRIPTOR) + blockBytes(OPTIMIZER_DESCRIPTOR);
  const budget = { parameters: p, gradients: 2 * p, optimizerState: stateBuffers(plan) * p, activations, data, descriptors, total: 0 };
  budget.total = budget.parameters + budget.gradients + budget.optimizerState + budget.activations + budget.data + budget.descriptors;
  return budget;
}
