/**
 * The Ops contract (src/ops.ts) on the float64 reference: the very functions the reference
 * engine uses, so an op-level check of the WebAssembly core is a check against the engine's maths.
 */
import type { Ops } from '../ops.js';
import { activationForward } from './activations.js';
import { activationBackward } from './activation-backward.js';
import { denseForward } from './dense.js';
import { gemm } from './gemm.js';
import { lossAndGradient } from './loss-gradient.js';

/** Reference ops: every function returns new float64 arrays and mutates nothing it is given. */
export const referenceOps: Ops = {
  gemm,

  denseForward(x, w, b, rows, inSize, outSize, act, alpha) {
    return denseForward(x, w, b, rows, inSize, outSize, act, alpha).a;
  },

  activationForward,

  activationBackward,

  loss(name, y, t, rows, cols, fusedSoftmax, delta) {
    return lossAndGradient(name, y, t, rows, cols, fusedSoftmax, delta);
  },
};
