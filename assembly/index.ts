/**
 * The ABI of the wasmlp core: every export of the module, in one place. Only numbers cross
 * the boundary: pointers (usize) into linear memory, sizes and codes (i32), hyperparameters
 * and loss values (f64). Codes: activations and losses follow ACTIVATIONS and LOSSES in
 * src/plan.ts; optimiser kinds and flags are in optimizers.ts; step statuses in network.ts
 * (equal to StepStatus in src/engine.ts).
 *
 * The thread exports (team*, thread*) work only in the threads builds (shared, imported
 * memory); elsewhere they trap. CTL_BYTES and GEMM_SCRATCH_BYTES size the blocks a pool
 * allocates for them.
 */
export { alloc, allocZeroed, free, bytesInUse, freeBlockCount, largestFreeBlock, arenaCheck } from "./arena";
export { gemmNN, gemmTN, gemmNT, columnSums, gemmSetScratch, GEMM_SCRATCH_BYTES } from "./gemm";
export { activationForward, activationBackward } from "./activations";
export { lossEval } from "./losses";
export { peakLoop } from "./simd";
export {
  netCreate, netSetStage, netSetOptimizer, netBuild, netSetCapacity, netDestroy, netResetOptimizer,
  netSetTraining, netSetLearningRate, netStatus, netParams, netGrads, netParamCount, netState, netStep, netSetStep, netCapacity, netStaging, netOutput,
} from "./network";
export { netForward, netTrainStep, netComputeGradients } from "./step";
export { CTL_BYTES, CTL_SPIN, CTL_NO_WAIT, CTL_FAILED, CTL_GEN, CTL_BAR_EPOCH } from "./team";
export { threadInit, threadWork, teamTrainStep, teamForward, teamExit, JOB_EXIT } from "./threads";
