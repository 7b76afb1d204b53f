/**
 * Every export of the core (assembly/index.ts): its type, CoreExports, and the runtime form of
 * that type, CORE_EXPORTS, with checkExports, which lists each way a module's exports differ.
 * Loaded only when the cheap load-time check (abi.ts verifyExports) finds a module whose
 * exports' fingerprint is not that of this table: then this names what differs.
 */
import { exportKind } from './export-kinds.js';

/** The exports of the core (assembly/index.ts). Pointers are byte offsets into memory. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  allocZeroed(bytes: number): number;
  /** As alloc, but 0 instead of an abort when memory cannot grow. */
  tryAlloc(bytes: number): number;
  free(ptr: number): void;
  bytesInUse(): number;
  freeBlockCount(): number;
  largestFreeBlock(): number;
  arenaCheck(): number;
  /** Index of the first NaN / ±Infinity among n f32 values at p, or -1. */
  firstNonFinite(p: number, n: number): number;
  ARENA_HEADER_BYTES: WebAssembly.Global;
  ARENA_MIN_BLOCK_BYTES: WebAssembly.Global;
  ARENA_MAX_ALLOC_BYTES: WebAssembly.Global;
  gemmNN(a: number, b: number, c: number, m: number, n: number, k: number, bias: number, accumulate: number): void;
  gemmTN(a: number, b: number, c: number, m: number, n: number, k: number, bias: number, accumulate: number): void;
  gemmNT(a: number, b: number, c: number, m: number, n: number, k: number, bias: number, accumulate: number): void;
  columnSums(g: number, sums: number, m: number, n: number): void;
  activationForward(act: number, alpha: number, z: number, a: number, rows: number, cols: number): void;
  activationBackward(act: number, alpha: number, a: number, g: number, dz: number, rows: number, cols: number): void;
  ACT_IDENTITY: WebAssembly.Global;
  ACT_SIGMOID: WebAssembly.Global;
  ACT_TANH: WebAssembly.Global;
  ACT_RELU: WebAssembly.Global;
  ACT_LEAKY_RELU: WebAssembly.Global;
  ACT_STEP: WebAssembly.Global;
  ACT_SOFTMAX: WebAssembly.Global;
  lossEval(code: number, y: number, t: number, grad: number, rows: number, cols: number, fused: number, delta: number): number;
  LOSS_SSE: WebAssembly.Global;
  LOSS_MSE: WebAssembly.Global;
  LOSS_BCE: WebAssembly.Global;
  LOSS_BCE_LOGITS: WebAssembly.Global;
  LOSS_SOFTMAX_CE: WebAssembly.Global;
  LOSS_CATEGORICAL_CE: WebAssembly.Global;
  LOSS_SIGMOID_MSE: WebAssembly.Global;
  LOSS_MAE: WebAssembly.Global;
  LOSS_HUBER: WebAssembly.Global;
  OPT_SGD: WebAssembly.Global;
  OPT_ADAM: WebAssembly.Global;
  OPT_ADAMW: WebAssembly.Global;
  OPT_RMSPROP: WebAssembly.Global;
  OPT_NESTEROV: WebAssembly.Global;
  OPT_AMSGRAD: WebAssembly.Global;
  OPT_CENTERED: WebAssembly.Global;
  OPT_DECAY_BIASES: WebAssembly.Global;
  OPT_STATE_SLOTS: WebAssembly.Global;
  OPTIMIZER_BYTES: WebAssembly.Global;
  peakLoop(iters: number): number;
  /** The descriptor, or 0 when memory cannot hold it. */
  netCreate(nStages: number, inputSize: number, outputSize: number, loss: number): number;
  netSetStage(net: number, i: number, kind: number, inSize: number, outSize: number, act: number, alpha: number, useBias: number): void;
  netSetOptimizer(
    net: number,
    kind: number,
    flags: number,
    lr: number,
    momentum: number,
    dampening: number,
    beta1: number,
    beta2: number,
    eps: number,
    alpha: number,
    weightDecay: number,
  ): void;
  /** 1, or 0 when memory could not hold the buffers (all freed again, the network unbuilt). */
  netBuild(net: number, capacity: number): number;
  /** 1, or 0 when memory could not hold the new buffers (the old ones kept). */
  netSetCapacity(net: number, capacity: number): number;
  netDestroy(net: number): void;
  netResetOptimizer(net: number): void;
  netSetTraining(net: number, huberDelta: number, clipNorm: number, clipValue: number): void;
  netSetLearningRate(net: number, lr: number): void;
  netSetRowWeights(net: number, weights: number): void;
  netSetStageParams(net: number, i: number, a: number, b: number): void;
  netSetNoiseSeed(net: number, seed: number): void;
  netStatus(net: number): number;
  netParams(net: number): number;
  netGrads(net: number): number;
  netParamCount(net: number): number;
  netState(net: number, slot: number): number;
  netStep(net: number): number;
  netSetStep(net: number, step: number): void;
  netCapacity(net: number): number;
  netStaging(net: number): number;
  netOutput(net: number): number;
  STAGE_DENSE: WebAssembly.Global;
  STAGE_ACTIVATION: WebAssembly.Global;
  STAGE_BATCHNORM: WebAssembly.Global;
  STAGE_DROPOUT: WebAssembly.Global;
  STATUS_OK: WebAssembly.Global;
  STATUS_NONFINITE_LOSS: WebAssembly.Global;
  STATUS_NONFINITE_GRADIENT: WebAssembly.Global;
  STATUS_NONFINITE_UPDATE: WebAssembly.Global;
  NET_BYTES: WebAssembly.Global;
  STAGE_BYTES: WebAssembly.Global;
  netForward(net: number, x: number, rows: number): void;
  netTrainStep(net: number, x: number, y: number, order: number, start: number, count: number): number;
  netComputeGradients(net: number, x: number, y: number, order: number, start: number, count: number): number;
  /**
   * `steps` training steps from batch `first` (wrapping into the next pass), seeds[i] (u32, or
   * seeds 0) as step i's noise seed, step i's loss into losses[i] (f64); returns the steps that
   * passed, stopping after the first that did not (assembly/steps.ts).
   */
  netTrainSteps(
    net: number,
    x: number,
    y: number,
    order: number,
    rows: number,
    batchSize: number,
    first: number,
    steps: number,
    seeds: number,
    losses: number,
  ): number;
  /** BatchNorm in evaluation mode on rows × F values: out = gamma · (x - mean) / sqrt(var + eps) + beta (assembly/batchnorm.ts). */
  bnEval(x: number, out: number, gamma: number, beta: number, runMean: number, runVar: number, eps: number, rows: number, F: number): void;
  /** Threads builds only (the others trap): see assembly/threads.ts and team.ts. */
  gemmSetScratch(p: number): void;
  GEMM_SCRATCH_BYTES: WebAssembly.Global;
  CTL_BYTES: WebAssembly.Global;
  CTL_SPIN: WebAssembly.Global;
  CTL_NO_WAIT: WebAssembly.Global;
  CTL_FAILED: WebAssembly.Global;
  CTL_GEN: WebAssembly.Global;
  CTL_BAR_EPOCH: WebAssembly.Global;
  MAX_THREADS: WebAssembly.Global;
  JOB_EXIT: WebAssembly.Global;
  threadInit(ctl: number, scratch: number): void;
  threadWork(ctl: number, tid: number): number;
  teamTrainStep(ctl: number, threads: number, net: number, x: number, y: number, order: number, start: number, count: number, update: number): number;
  teamForward(ctl: number, threads: number, net: number, x: number, rows: number): void;
  teamExit(ctl: number): void;
}

/** The kind of a WebAssembly export, as WebAssembly.Module.exports names it. */
export type ExportKind = 'function' | 'global' | 'memory';

const F = 'function',
  G = 'global';

/**
 * Every export of the core with its kind: the runtime form of CoreExports (the mapped type
 * makes the compiler reject a key missing here or one CoreExports does not declare).
 */
export const CORE_EXPORTS: { readonly [K in keyof CoreExports]: ExportKind } = {
  memory: 'memory',
  alloc: F,
  allocZeroed: F,
  tryAlloc: F,
  free: F,
  bytesInUse: F,
  freeBlockCount: F,
  largestFreeBlock: F,
  arenaCheck: F,
  ARENA_HEADER_BYTES: G,
  ARENA_MIN_BLOCK_BYTES: G,
  ARENA_MAX_ALLOC_BYTES: G,
  gemmNN: F,
  gemmTN: F,
  gemmNT: F,
  columnSums: F,
  gemmSetScratch: F,
  GEMM_SCRATCH_BYTES: G,
  activationForward: F,
  activationBackward: F,
  ACT_IDENTITY: G,
  ACT_SIGMOID: G,
  ACT_TANH: G,
  ACT_RELU: G,
  ACT_LEAKY_RELU: G,
  ACT_STEP: G,
  ACT_SOFTMAX: G,
  lossEval: F,
  LOSS_SSE: G,
  LOSS_MSE: G,
  LOSS_BCE: G,
  LOSS_BCE_LOGITS: G,
  LOSS_SOFTMAX_CE: G,
  LOSS_CATEGORICAL_CE: G,
  LOSS_SIGMOID_MSE: G,
  LOSS_MAE: G,
  LOSS_HUBER: G,
  OPT_SGD: G,
  OPT_ADAM: G,
  OPT_ADAMW: G,
  OPT_RMSPROP: G,
  OPT_NESTEROV: G,
  OPT_AMSGRAD: G,
  OPT_CENTERED: G,
  OPT_DECAY_BIASES: G,
  OPT_STATE_SLOTS: G,
  OPTIMIZER_BYTES: G,
  peakLoop: F,
  firstNonFinite: F,
  netCreate: F,
  netSetStage: F,
  netSetOptimizer: F,
  netBuild: F,
  netSetCapacity: F,
  netDestroy: F,
  netResetOptimizer: F,
  netSetTraining: F,
  netSetLearningRate: F,
  netSetStageParams: F,
  netSetNoiseSeed: F,
  netSetRowWeights: F,
  netStatus: F,
  netParams: F,
  netGrads: F,
  netParamCount: F,
  netState: F,
  netStep: F,
  netSetStep: F,
  netCapacity: F,
  netStaging: F,
  netOutput: F,
  STAGE_DENSE: G,
  STAGE_ACTIVATION: G,
  STAGE_BATCHNORM: G,
  STAGE_DROPOUT: G,
  STATUS_OK: G,
  STATUS_NONFINITE_LOSS: G,
  STATUS_NONFINITE_GRADIENT: G,
  STATUS_NONFINITE_UPDATE: G,
  NET_BYTES: G,
  STAGE_BYTES: G,
  netForward: F,
  netTrainStep: F,
  netComputeGradients: F,
  netTrainSteps: F,
  bnEval: F,
  CTL_BYTES: G,
  CTL_SPIN: G,
  CTL_NO_WAIT: G,
  CTL_FAILED: G,
  CTL_GEN: G,
  CTL_BAR_EPOCH: G,
  MAX_THREADS: G,
  threadInit: F,
  threadWork: F,
  teamTrainStep: F,
  teamForward: F,
  teamExit: F,
  JOB_EXIT: G,
};

/**
 * Throws unless the instance exports exactly CORE_EXPORTS, each with its kind, naming every
 * export missing, extra or of another kind. Reads only.
 */
export function checkExports(instance: WebAssembly.Instance): void {
  const actual = instance.exports as Record<string, unknown>;
  const wrong: string[] = [];
  for (const [name, kind] of Object.entries(CORE_EXPORTS)) {
    if (!(name in actual)) wrong.push(`${name} is missing`);
    else if (exportKind(actual[name]) !== kind) wrong.push(`${name} is a ${exportKind(actual[name])}, expected a ${kind}`);
  }
  for (const name of Object.keys(actual)) if (!(name in CORE_EXPORTS)) wrong.push(`${name} is not declared in src/wasm/abi-exports.ts`);
  if (wrong.length > 0) throw new Error(`wasmlp core ABI: the module's exports differ from CoreExports: ${wrong.join('; ')}`);
}

/**
 * Throws why a module is refused whose exports' fingerprint `found` is not `expected` (abi.ts
 * verifyExports): each difference from CORE_EXPORTS, or, when there is none, that the constant
 * is stale, a wasmlp bug. Reads only.
 */
export function refuseExports(instance: WebAssembly.Instance, found: number, expected: number): never {
  checkExports(instance);
  const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
  throw new Error(
    `wasmlp core ABI: the module's exports are CoreExports, but their fingerprint ${hex(found)} is not ${hex(expected)}, ` +
      'CORE_EXPORTS_FINGERPRINT in src/wasm/abi.ts: the constant is stale, a wasmlp bug',
  );
}
