/**
 * What a model should hold in the WebAssembly arena while it trains, computed from its plan:
 * parameters + gradients (two buffers: the accepted gradient and the pending one) + optimiser
 * state + one batch of activations (a stage output per stage, the gathered input and target
 * rows, two ping-pong gradient buffers of the widest layer) + the training data (or, when fit
 * streams, the staging handle of one batch: Engine.createStaging) + the small descriptors. Every block is counted as the arena hands it out (a header, rounding to the
 * header's size, a smallest block: assembly/arena.ts), so the sum can be compared byte for byte
 * with `arenaBytesInUse()` measured during training.
 */
import { optimizerStateBuffers } from '../engine.js';
import type { Plan } from '../plan.js';
import { core } from '../wasm/core.js';
import { blockBytes as arenaBlockBytes } from '../wasm/memory.js';

/**
 * One arena block for a payload of `bytes`: the payload rounded up to the header size, plus the
 * header, and at least the smallest block (sizes read from the loaded core, assembly/arena.ts).
 */
export function blockBytes(bytes: number): number {
  return arenaBlockBytes(core(), bytes);
}

/** The expected arena bytes by part. */
export interface ArenaBudget {
  parameters: number;
  gradients: number;
  optimizerState: number;
  activations: number;
  /** The training data copied once (0 when streamed). */
  data: number;
  /** The staging handle of a streamed fit: one batch of x, y (and row weights) (0 when copied once). */
  staging: number;
  descriptors: number;
  total: number;
}

/**
 * The arena bytes (read from the loaded core: `await ready()` first) a model with `plan` should hold while fit trains on `rows` rows with batch
 * buffers for `capacity` rows (no shuffle order; add one Int32 per row with shuffling). With `streamed` set, fit streams
 * batches of that many rows (weighted: with row weights) through a staging handle instead: the data costs the same whatever `rows`.
 */
export function expectedArenaBytes(plan: Plan, capacity: number, rows: number, shuffle = false, streamed?: { batch: number; weighted?: boolean }): ArenaBudget {
  let params = 0;
  let width = plan.inputSize;
  const outs: number[] = [];
  // BatchNorm and Dropout keep a second batch buffer (xhat, the mask); BatchNorm its statistics and 4 tensors.
  let extra = 0;
  for (const s of plan.stages) {
    if (s.kind === 'dense') params += s.inSize * s.outSize + (s.useBias ? s.outSize : 0);
    if (s.kind === 'batchnorm') {
      params += 4 * s.size;
      extra += blockBytes(3 * s.size * 4);
    }
    if (s.kind === 'batchnorm' || s.kind === 'dropout') extra += blockBytes(capacity * s.size * 4);
    const out = s.kind === 'dense' ? s.outSize : s.size;
    outs.push(out);
    width = Math.max(width, out);
  }
  const p = blockBytes(params * 4);
  const activations =
    outs.reduce((sum, o) => sum + blockBytes(capacity * o * 4), 0) +
    blockBytes(capacity * plan.inputSize * 4) +
    blockBytes(capacity * plan.outputSize * 4) +
    2 * blockBytes(capacity * width * 4) +
    extra;
  const rowBlocks = (n: number, weighted: boolean) =>
    blockBytes(n * plan.inputSize * 4) + blockBytes(n * plan.outputSize * 4) + (weighted ? blockBytes(n * 4) : 0);
  const data = streamed ? 0 : rowBlocks(rows, shuffle);
  const staging = streamed ? rowBlocks(streamed.batch, streamed.weighted ?? false) : 0;
  const d = core().abi.descriptorBytes;
  const descriptors = blockBytes(d.net) + blockBytes(Math.max(1, outs.length) * d.stage) + blockBytes(d.optimizer);
  const budget = {
    parameters: p,
    gradients: 2 * p,
    optimizerState: optimizerStateBuffers(plan.optimizer).length * p,
    activations,
    data,
    staging,
    descriptors,
    total: 0,
  };
  budget.total = budget.parameters + budget.gradients + budget.optimizerState + budget.activations + budget.data + budget.staging + budget.descriptors;
  return budget;
}
