/**
 * The network: a descriptor built from the plan (src/plan.ts) and the calls that run it.
 *
 * All parameters live in one f32 array in Keras order [W0, b0, W1, b1, ...] (W row-major
 * [in, out]); gradients and every optimiser state buffer use the same layout, so the
 * optimiser walks them as flat segments. Batch buffers (one output buffer per stage, two
 * ping-pong gradient buffers, staging for gathered rows) are sized for `capacity` rows and
 * only reallocated when the capacity changes: a training step allocates nothing.
 *
 * Lifecycle: netCreate, netSetStage for every stage, netSetOptimizer, netBuild; then any
 * number of steps; netDestroy frees every block.
 *
 * Every allocation is transactional: netCreate, netBuild and netSetCapacity report an
 * out-of-memory (0) after freeing whatever they had allocated, so a failure leaves the network
 * (and the arena) exactly as before: netSetCapacity allocates the new buffers before freeing
 * the old ones. The TypeScript side checks every size first (src/wasm/memory.ts), so no size
 * computed here can wrap.
 *
 * The steps that run a network (forward, training step, gradients) are in step.ts.
 */
import { tryAlloc, tryAllocZeroed, free } from "./arena";
import { SOFTMAX } from "./activations";
import { CATEGORICAL_CE } from "./losses";
import { Optimizer, stateSlots } from "./optimizers";
import { dropoutThreshold } from "./dropout";

/** Stage kinds. */
export const DENSE = 0;
export const ACTIVATION = 1;
/** BatchNorm with a fused activation (batchnorm.ts): W slot gamma, b slot beta, then the running mean and variance. */
export const BATCHNORM = 2;
/** Inverted dropout (dropout.ts); no parameters. */
export const DROPOUT = 3;

/** Step statuses; src/wasm/abi.ts refuses a core where they differ from StepStatus in src/engine.ts. */
export const STATUS_OK = 0;
export const STATUS_NONFINITE_LOSS = 1;
export const STATUS_NONFINITE_GRADIENT = 2;
export const STATUS_NONFINITE_UPDATE = 3;

/** One stage: a Dense with its fused activation, a standalone activation, a BatchNorm or a Dropout (the last three: inSize = outSize). */
@unmanaged export class Stage {
  kind: i32;
  inSize: i32;
  outSize: i32;
  act: i32;
  alpha: f32;
  useBias: i32;
  /** Byte offsets of W and b in the parameter (and gradient, state) arrays; b is -1 without bias. */
  wOff: i32;
  bOff: i32;
  /** This stage's output for `capacity` rows. */
  out: usize;
  /** BatchNorm: eps and momentum; Dropout: the keep scale 1/(1 - rate) and (as bits) the hash threshold. */
  p0: f32;
  p1: f32;
  threshold: u32;
  /** BatchNorm: byte offset of the running mean (the running variance follows it). */
  rOff: i32;
  /** BatchNorm: xhat, Dropout: the scaled mask, for `capacity` rows; 0 for other stages. */
  aux: usize;
  /** BatchNorm: the batch statistics (batchnorm.ts); 0 for other stages. */
  stats: usize;
}

/** The network descriptor. */
@unmanaged export class Net {
  nStages: i32;
  inputSize: i32;
  outputSize: i32;
  loss: i32;
  capacity: i32;
  maxWidth: i32;
  paramCount: i32;
  status: i32;
  fused: i32;
  built: i32;
  stages: usize;
  opt: usize;
  params: usize;
  /** dL/dp of the last accepted step; `pending` receives the next one and is swapped in when accepted. */
  grads: usize;
  pending: usize;
  xStage: usize;
  yStage: usize;
  g0: usize;
  g1: usize;
  /** The loss of the last step (kept here for the thread that commits a team's step). */
  lastLoss: f64;
  /** Nonzero when a stage behaves differently in training (BatchNorm, Dropout). */
  modal: i32;
  /** Rows of the last step's batch (for the running estimates, updated when it commits). */
  batchRows: i32;
  /** The noise seed of the next training steps' dropout masks. */
  noise: u32;
  /** huber's delta (1 unless set by netSetTraining). */
  huberDelta: f64;
  /** Gradient clipping of training steps (clip.ts): max global 2-norm and max |g|, 0 = off. */
  clipNorm: f64;
  clipValue: f64;
  /** The factor thread 0 found for this step's norm clipping, read by every thread. */
  clipScale: f64;
  /** Per-row loss weights of the loaded data (f32, indexed like its rows), 0 = unweighted (row-weights.ts). */
  rowWeights: usize;
}

/** Byte sizes of the descriptors (what netCreate allocates besides the stage buffers). */
export const NET_BYTES: usize = offsetof<Net>();
export const STAGE_BYTES: usize = offsetof<Stage>();

// @ts-ignore: decorator
@inline export function stageAt(net: Net, i: i32): Stage {
  return changetype<Stage>(net.stages + <usize>i * offsetof<Stage>());
}

// @ts-ignore: decorator
@inline export function optOf(net: Net): Optimizer {
  return changetype<Optimizer>(net.opt);
}

/**
 * Allocates a descriptor for a network of nStages stages (then call netSetStage for each).
 * Returns 0, having allocated nothing, when memory cannot grow.
 */
export function netCreate(nStages: i32, inputSize: i32, outputSize: i32, loss: i32): usize {
  assert(nStages >= 1, "netCreate: a network needs at least one stage");
  const p = tryAllocZeroed(offsetof<Net>());
  const stages = tryAllocZeroed(<usize>max(nStages, 1) * offsetof<Stage>());
  const opt = tryAllocZeroed(offsetof<Optimizer>());
  if (p == 0 || stages == 0 || opt == 0) {
    free(p); free(stages); free(opt);
    return 0;
  }
  const net = changetype<Net>(p);
  net.nStages = nStages;
  net.inputSize = inputSize;
  net.outputSize = outputSize;
  net.loss = loss;
  net.stages = stages;
  net.opt = opt;
  net.huberDelta = 1;
  return p;
}

/** Describes stage i (kind DENSE or ACTIVATION; an activation stage has inSize = outSize). */
export function netSetStage(p: usize, i: i32, kind: i32, inSize: i32, outSize: i32, act: i32, alpha: f32, useBias: i32): void {
  const net = changetype<Net>(p);
  assert(i >= 0 && i < net.nStages && net.built == 0, "netSetStage: bad stage index or network already built");
  const s = stageAt(net, i);
  s.kind = kind;
  s.inSize = inSize;
  s.outSize = outSize;
  s.act = act;
  s.alpha = alpha;
  s.useBias = kind == DENSE ? useBias : 0;
  if (kind == BATCHNORM || kind == DROPOUT) net.modal = 1;
}

/**
 * Sets the extra numbers of stage i: a BatchNorm's eps and momentum, or a Dropout's rate
 * (a = rate in [0, 1), b unused). Must precede netBuild.
 */
export function netSetStageParams(p: usize, i: i32, a: f64, b: f64): void {
  const net = changetype<Net>(p);
  assert(i >= 0 && i < net.nStages && net.built == 0, "netSetStageParams: bad stage index or network already built");
  const s = stageAt(net, i);
  if (s.kind == DROPOUT) {
    assert(a >= 0 && a < 1, "netSetStageParams: dropout rate outside [0, 1)");
    s.p0 = <f32>(1.0 / (1.0 - a));
    s.threshold = dropoutThreshold(a);
  } else {
    s.p0 = <f32>a;
    s.p1 = <f32>b;
  }
}

/** Sets the noise seed of the next training steps' dropout masks. */
export function netSetNoiseSeed(p: usize, seed: u32): void {
  changetype<Net>(p).noise = seed;
}

/** Sets the optimiser (codes and flags of optimizers.ts). Must precede netBuild. */
export function netSetOptimizer(
  p: usize, kind: i32, flags: i32, lr: f64, momentum: f64, dampening: f64,
  beta1: f64, beta2: f64, eps: f64, alpha: f64, weightDecay: f64,
): void {
  const net = changetype<Net>(p);
  assert(net.built == 0, "netSetOptimizer: network already built");
  const o = optOf(net);
  o.kind = kind;
  o.flags = flags;
  o.lr = lr;
  o.momentum = momentum;
  o.dampening = dampening;
  o.beta1 = beta1;
  o.beta2 = beta2;
  o.eps = eps;
  o.alpha = alpha;
  o.weightDecay = weightDecay;
}

/**
 * Sets huber's delta (> 0) and the gradient clipping of training steps: clipNorm, the largest
 * global 2-norm of all gradients (torch clip_grad_norm_), and clipValue, the largest |g|
 * (clip_grad_value_); 0 turns either off. May be called at any time between steps.
 */
export function netSetTraining(p: usize, huberDelta: f64, clipNorm: f64, clipValue: f64): void {
  const net = changetype<Net>(p);
  net.huberDelta = huberDelta;
  net.clipNorm = clipNorm;
  net.clipValue = clipValue;
}

/** Sets the learning rate the next steps use (a schedule changes it between steps). */
export function netSetLearningRate(p: usize, lr: f64): void {
  optOf(changetype<Net>(p)).lr = lr;
}

/**
 * Sets the per-row loss weights the next steps use: `w` points at one f32 per data row (the
 * rows a step's order indexes), or is 0 for unweighted steps. Mutates only that setting.
 */
export function netSetRowWeights(p: usize, w: usize): void {
  changetype<Net>(p).rowWeights = w;
}

/** Frees the batch buffers (stage outputs, gradients, staging). */
function freeBatch(net: Net): void {
  for (let i = 0; i < net.nStages; i++) {
    const s = stageAt(net, i);
    free(s.out);
    free(s.aux);
    s.out = 0;
    s.aux = 0;
  }
  free(net.xStage); free(net.yStage); free(net.g0); free(net.g1);
  net.xStage = 0; net.yStage = 0; net.g0 = 0; net.g1 = 0;
}

/**
 * (Re)allocates the batch buffers for `capacity` rows; their contents are lost. Allocates the
 * new buffers first (their pointers in a small temporary block): returns 0 when memory cannot
 * hold them, having freed what it took, and the network keeps its old buffers and capacity;
 * returns 1 once they have replaced the old ones.
 */
export function netSetCapacity(p: usize, capacity: i32): i32 {
  const net = changetype<Net>(p);
  const cap = <usize>max(capacity, 1);
  const count = 2 * net.nStages + 4;
  const fresh = tryAllocZeroed(<usize>count * sizeof<usize>());
  if (fresh == 0) return 0;
  let ok = true;
  for (let i = 0; i < count && ok; i++) {
    const width = batchWidth(net, i);
    if (width == 0) continue;
    const q = tryAlloc(cap * <usize>width << 2);
    store<usize>(fresh + <usize>i * sizeof<usize>(), q);
    ok = q != 0;
  }
  if (ok) freeBatch(net);
  for (let i = 0; i < count; i++) {
    const q = load<usize>(fresh + <usize>i * sizeof<usize>());
    if (ok) setBatchBuffer(net, i, q);
    else free(q);
  }
  free(fresh);
  if (!ok) return 0;
  net.capacity = <i32>cap;
  return 1;
}

/**
 * Values per row of batch buffer i in netSetCapacity's order (0: none): the stage outputs,
 * the stages' second buffers (BatchNorm's normalised values, Dropout's mask), then xStage,
 * yStage, g0, g1.
 */
function batchWidth(net: Net, i: i32): i32 {
  const n = net.nStages;
  if (i < n) return stageAt(net, i).outSize;
  if (i < 2 * n) {
    const s = stageAt(net, i - n);
    return s.kind == BATCHNORM || s.kind == DROPOUT ? s.outSize : 0;
  }
  return i == 2 * n ? net.inputSize : i == 2 * n + 1 ? net.outputSize : net.maxWidth;
}

/** Sets batch buffer i of netSetCapacity's order (see batchWidth). */
function setBatchBuffer(net: Net, i: i32, q: usize): void {
  const n = net.nStages;
  if (i < n) stageAt(net, i).out = q;
  else if (i < 2 * n) stageAt(net, i - n).aux = q;
  else if (i == 2 * n) net.xStage = q;
  else if (i == 2 * n + 1) net.yStage = q;
  else if (i == 2 * n + 2) net.g0 = q;
  else net.g1 = q;
}

/**
 * Lays out parameters, gradients and optimiser state (all zeroed) and allocates batch buffers
 * for `capacity` rows. Returns 1, or 0 when memory cannot hold them: then it has freed every
 * buffer it took and the network is unbuilt (netDestroy frees the descriptor).
 */
export function netBuild(p: usize, capacity: i32): i32 {
  const net = changetype<Net>(p);
  assert(net.built == 0, "netBuild: network already built");
  let off = 0;
  let width = net.inputSize;
  let missing = false;
  for (let i = 0; i < net.nStages; i++) {
    const s = stageAt(net, i);
    width = max(width, s.outSize);
    s.wOff = -1;
    s.bOff = -1;
    s.rOff = -1;
    if (s.kind == BATCHNORM) {
      // gamma, beta, running mean, running variance: the order of parameterLayout (src/plan.ts).
      s.wOff = off << 2;
      s.bOff = (off + s.outSize) << 2;
      s.rOff = (off + 2 * s.outSize) << 2;
      off += 4 * s.outSize;
      s.stats = tryAllocZeroed(<usize>(3 * s.outSize) << 2);
      if (s.stats == 0) missing = true;
      continue;
    }
    if (s.kind != DENSE) continue;
    s.wOff = off << 2;
    off += s.inSize * s.outSize;
    if (s.useBias != 0) {
      s.bOff = off << 2;
      off += s.outSize;
    }
  }
  net.paramCount = off;
  net.maxWidth = width;
  const last = stageAt(net, net.nStages - 1);
  net.fused = net.loss == CATEGORICAL_CE && last.act == SOFTMAX ? 1 : 0;
  const bytes = <usize>off << 2;
  const o = optOf(net);
  const slots = stateSlots(o);
  net.params = tryAllocZeroed(bytes);
  net.grads = tryAllocZeroed(bytes);
  net.pending = tryAllocZeroed(bytes);
  if (slots & 1) o.s0 = tryAllocZeroed(bytes);
  if (slots & 2) o.s1 = tryAllocZeroed(bytes);
  if (slots & 4) o.s2 = tryAllocZeroed(bytes);
  missing = missing || net.params == 0 || net.grads == 0 || net.pending == 0
    || ((slots & 1) != 0 && o.s0 == 0) || ((slots & 2) != 0 && o.s1 == 0) || ((slots & 4) != 0 && o.s2 == 0);
  if (missing || netSetCapacity(p, capacity) == 0) {
    freeParameters(net);
    return 0;
  }
  net.built = 1;
  return 1;
}

/** Frees parameters, gradients, optimiser state and BatchNorm statistics, and zeroes their pointers. */
function freeParameters(net: Net): void {
  for (let i = 0; i < net.nStages; i++) {
    const s = stageAt(net, i);
    free(s.stats);
    s.stats = 0;
  }
  const o = optOf(net);
  free(o.s0); free(o.s1); free(o.s2);
  free(net.params); free(net.grads); free(net.pending);
  o.s0 = 0; o.s1 = 0; o.s2 = 0;
  net.params = 0; net.grads = 0; net.pending = 0;
}

/** Frees the descriptor and every buffer it owns (also of a network whose netBuild failed). */
export function netDestroy(p: usize): void {
  const net = changetype<Net>(p);
  freeBatch(net);
  freeParameters(net);
  free(net.opt); free(net.stages);
  free(p);
}

/** Zeroes the optimiser state and its step count. */
export function netResetOptimizer(p: usize): void {
  const net = changetype<Net>(p);
  const o = optOf(net);
  const bytes = <usize>net.paramCount << 2;
  if (o.s0) memory.fill(o.s0, 0, bytes);
  if (o.s1) memory.fill(o.s1, 0, bytes);
  if (o.s2) memory.fill(o.s2, 0, bytes);
  o.step = 0;
}

/** Status of the last step (STATUS_*). */
export function netStatus(p: usize): i32 { return changetype<Net>(p).status; }
/** Pointer to the parameters (paramCount f32, Keras order). */
export function netParams(p: usize): usize { return changetype<Net>(p).params; }
/** Pointer to the gradients (same layout as the parameters). */
export function netGrads(p: usize): usize { return changetype<Net>(p).grads; }
/** Number of parameters. */
export function netParamCount(p: usize): i32 { return changetype<Net>(p).paramCount; }
/** Pointer to optimiser state slot 0..2 (0 when the optimiser does not use it). */
export function netState(p: usize, slot: i32): usize {
  const o = optOf(changetype<Net>(p));
  return slot == 0 ? o.s0 : slot == 1 ? o.s1 : slot == 2 ? o.s2 : 0;
}
/** Completed optimiser steps. */
export function netStep(p: usize): i32 { return optOf(changetype<Net>(p)).step; }
/** Sets the completed optimiser step count (restoring a state). */
export function netSetStep(p: usize, step: i32): void { optOf(changetype<Net>(p)).step = step; }
/** Rows the batch buffers hold. */
export function netCapacity(p: usize): i32 { return changetype<Net>(p).capacity; }
/** The input staging buffer (capacity × inputSize f32): write predict inputs here. */
export function netStaging(p: usize): usize { return changetype<Net>(p).xStage; }
/** The last stage's output buffer (capacity × outputSize f32). */
export function netOutput(p: usize): usize {
  const net = changetype<Net>(p);
  return stageAt(net, net.nStages - 1).out;
}
