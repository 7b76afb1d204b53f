/**
 * The ABI of the wasmlp core: every export of the module, in one place. Only numbers cross
 * the boundary: pointers (usize) into linear memory, sizes and codes (i32), hyperparameters
 * and loss values (f64).
 *
 * Every code and size the TypeScript side passes or relies on is exported here as an immutable
 * global, and src/wasm/abi.ts reads them once from the instance; the TypeScript side keeps no
 * copy of these numbers, so a renumbering here cannot silently misroute a call. The ACT_* and
 * LOSS_* names are those of ACTIVATIONS and LOSSES in src/plan.ts, upper-cased.
 *
 * The thread exports (team*, thread*) work only in the threads builds (shared, imported
 * memory); elsewhere they trap. CTL_BYTES and GEMM_SCRATCH_BYTES size the blocks a pool
 * allocates for them.
 */
export {
  alloc, allocZeroed, tryAlloc, free, bytesInUse, freeBlockCount, largestFreeBlock, arenaCheck,
  HEADER as ARENA_HEADER_BYTES, MIN_BLOCK as ARENA_MIN_BLOCK_BYTES, MAX_ALLOC as ARENA_MAX_ALLOC_BYTES,
} from "./arena";
export { gemmNN, gemmTN, gemmNT, columnSums, gemmSetScratch, GEMM_SCRATCH_BYTES } from "./gemm";
export {
  activationForward, activationBackward,
  IDENTITY as ACT_IDENTITY, SIGMOID as ACT_SIGMOID, TANH as ACT_TANH, RELU as ACT_RELU,
  LEAKY_RELU as ACT_LEAKY_RELU, STEP as ACT_STEP, SOFTMAX as ACT_SOFTMAX,
} from "./activations";
export {
  lossEval,
  SSE as LOSS_SSE, MSE as LOSS_MSE, BCE as LOSS_BCE, BCE_LOGITS as LOSS_BCE_LOGITS,
  SOFTMAX_CE as LOSS_SOFTMAX_CE, CATEGORICAL_CE as LOSS_CATEGORICAL_CE, SIGMOID_MSE as LOSS_SIGMOID_MSE,
  MAE as LOSS_MAE, HUBER as LOSS_HUBER,
} from "./losses";
export {
  SGD as OPT_SGD, ADAM as OPT_ADAM, ADAMW as OPT_ADAMW, RMSPROP as OPT_RMSPROP,
  NESTEROV as OPT_NESTEROV, AMSGRAD as OPT_AMSGRAD, CENTERED as OPT_CENTERED, DECAY_BIASES as OPT_DECAY_BIASES,
  STATE_SLOTS as OPT_STATE_SLOTS, OPTIMIZER_BYTES,
} from "./optimizers";
export { peakLoop } from "./simd";
export { firstNonFinite } from "./scan";
export {
  netCreate, netSetStage, netSetOptimizer, netBuild, netSetCapacity, netDestroy, netResetOptimizer,
  netSetStageParams, netSetNoiseSeed, netSetTraining, netSetLearningRate, netSetRowWeights, netStatus, netParams, netGrads, netParamCount, netState, netStep, netSetStep, netCapacity, netStaging, netOutput,
  DENSE as STAGE_DENSE, ACTIVATION as STAGE_ACTIVATION, BATCHNORM as STAGE_BATCHNORM, DROPOUT as STAGE_DROPOUT,
  STATUS_OK, STATUS_NONFINITE_LOSS, STATUS_NONFINITE_GRADIENT, STATUS_NONFINITE_UPDATE,
  NET_BYTES, STAGE_BYTES,
} from "./network";
export { netForward, netTrainStep, netComputeGradients } from "./step";
export { netTrainSteps } from "./steps";
// BatchNorm's evaluation-mode kernel on its own: forwardStages keeps its output before the fused activation.
export { bnEval } from "./batchnorm";
export { CTL_BYTES, CTL_SPIN, CTL_NO_WAIT, CTL_FAILED, CTL_GEN, CTL_BAR_EPOCH, MAX_THREADS } from "./team";
export { threadInit, threadWork, teamTrainStep, teamForward, teamExit, JOB_EXIT } from "./threads";
