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
 */
import { alloc, allocZeroed, free } from "./arena";
import { gemmNN, gemmTN, gemmNT, columnSums } from "./gemm";
import { activationForward, activationBackward, SOFTMAX } from "./activations";
import { lossEval, CATEGORICAL_CE } from "./losses";
import { Optimizer, stateSlots, updateSegment } from "./optimizers";

/** Stage kinds. */
export const DENSE = 0;
export const ACTIVATION = 1;

/** Step statuses, equal to StepStatus in src/engine.ts. */
export const STATUS_OK = 0;
export const STATUS_NONFINITE_LOSS = 1;
export const STATUS_NONFINITE_GRADIENT = 2;
export const STATUS_NONFINITE_UPDATE = 3;

/** One stage: a Dense with its fused activation, or a standalone activation (inSize = outSize). */
@unmanaged class Stage {
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
}

/** The network descriptor. */
@unmanaged class Net {
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
}

// @ts-ignore: decorator
@inline function stageAt(net: Net, i: i32): Stage {
  return changetype<Stage>(net.stages + <usize>i * offsetof<Stage>());
}

// @ts-ignore: decorator
@inline function optOf(net: Net): Optimizer {
  return changetype<Optimizer>(net.opt);
}

/** Allocates a descriptor for a network of nStages stages (then call netSetStage for each). */
export function netCreate(nStages: i32, inputSize: i32, outputSize: i32, loss: i32): usize {
  assert(nStages >= 1, "netCreate: a network needs at least one stage");
  const net = changetype<Net>(allocZeroed(offsetof<Net>()));
  net.nStages = nStages;
  net.inputSize = inputSize;
  net.outputSize = outputSize;
  net.loss = loss;
  net.stages = allocZeroed(<usize>max(nStages, 1) * offsetof<Stage>());
  net.opt = allocZeroed(offsetof<Optimizer>());
  return changetype<usize>(net);
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

/** Frees the batch buffers (stage outputs, gradients, staging). */
function freeBatch(net: Net): void {
  for (let i = 0; i < net.nStages; i++) {
    const s = stageAt(net, i);
    free(s.out);
    s.out = 0;
  }
  free(net.xStage); free(net.yStage); free(net.g0); free(net.g1);
  net.xStage = 0; net.yStage = 0; net.g0 = 0; net.g1 = 0;
}

/** (Re)allocates the batch buffers for `capacity` rows; their contents are lost. May grow memory. */
export function netSetCapacity(p: usize, capacity: i32): void {
  const net = changetype<Net>(p);
  freeBatch(net);
  const cap = <usize>max(capacity, 1);
  net.capacity = <i32>cap;
  for (let i = 0; i < net.nStages; i++) {
    const s = stageAt(net, i);
    s.out = alloc(cap * <usize>s.outSize << 2);
  }
  net.xStage = alloc(cap * <usize>net.inputSize << 2);
  net.yStage = alloc(cap * <usize>net.outputSize << 2);
  net.g0 = alloc(cap * <usize>net.maxWidth << 2);
  net.g1 = alloc(cap * <usize>net.maxWidth << 2);
}

/**
 * Lays out parameters, gradients and optimiser state (all zeroed) and allocates batch buffers
 * for `capacity` rows.
 */
export function netBuild(p: usize, capacity: i32): void {
  const net = changetype<Net>(p);
  assert(net.built == 0, "netBuild: network already built");
  let off = 0;
  let width = net.inputSize;
  for (let i = 0; i < net.nStages; i++) {
    const s = stageAt(net, i);
    width = max(width, s.outSize);
    s.wOff = -1;
    s.bOff = -1;
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
  net.params = allocZeroed(bytes);
  net.grads = allocZeroed(bytes);
  net.pending = allocZeroed(bytes);
  const o = optOf(net);
  const slots = stateSlots(o);
  if (slots & 1) o.s0 = allocZeroed(bytes);
  if (slots & 2) o.s1 = allocZeroed(bytes);
  if (slots & 4) o.s2 = allocZeroed(bytes);
  net.built = 1;
  netSetCapacity(p, capacity);
}

/** Frees the descriptor and every buffer it owns. */
export function netDestroy(p: usize): void {
  const net = changetype<Net>(p);
  freeBatch(net);
  const o = optOf(net);
  free(o.s0); free(o.s1); free(o.s2);
  free(net.params); free(net.grads); free(net.pending);
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

/** Runs every stage on `rows` rows at x (rows <= capacity); the output is in netOutput. */
function forward(net: Net, x: usize, rows: i32): void {
  let input = x;
  for (let i = 0; i < net.nStages; i++) {
    const s = stageAt(net, i);
    if (s.kind == DENSE) {
      const bias = s.bOff >= 0 ? net.params + <usize>s.bOff : 0;
      gemmNN(input, net.params + <usize>s.wOff, s.out, rows, s.outSize, s.inSize, bias, 0);
      activationForward(s.act, s.alpha, s.out, s.out, rows, s.outSize);
    } else {
      activationForward(s.act, s.alpha, input, s.out, rows, s.outSize);
    }
    input = s.out;
  }
}

/** Forward pass only (predict): x holds rows × inputSize f32 (may be netStaging). */
export function netForward(p: usize, x: usize, rows: i32): void {
  const net = changetype<Net>(p);
  assert(rows >= 1 && rows <= net.capacity, "netForward: rows outside [1, capacity]");
  forward(net, x, rows);
}

/** True when all n f32 values at p are finite: Σ (v - v) over lanes stays 0 unless one is Inf/NaN. */
function allFinite(p: usize, n: i32): bool {
  let acc = f32x4.splat(0);
  const end = <usize>n << 2;
  const e4 = end & ~<usize>15;
  let o: usize = 0;
  for (; o < e4; o += 16) {
    const v = v128.load(p + o);
    acc = f32x4.add(acc, f32x4.sub(v, v));
  }
  let s: f32 = 0;
  for (; o < end; o += 4) {
    const v = load<f32>(p + o);
    s += v - v;
  }
  return s == 0 && v128.all_true<i32>(f32x4.eq(acc, f32x4.splat(0)));
}

/**
 * Forward, loss and backward on `count` rows from `start` (through `order` when it is not 0).
 * Writes the gradients into net.pending (net.grads keeps the last accepted ones) and sets
 * net.status to OK, NONFINITE_LOSS (gradients not computed unless `always`) or
 * NONFINITE_GRADIENT. Returns the loss.
 */
function lossAndGradients(net: Net, x: usize, y: usize, order: usize, start: i32, count: i32, always: bool): f64 {
  assert(count >= 1 && count <= net.capacity, "trainStep: batch rows outside [1, capacity]");
  const inRow = <usize>net.inputSize << 2, outRow = <usize>net.outputSize << 2;
  let X: usize, Y: usize;
  if (order != 0) {
    // Shuffled batch: gather its rows into the staging buffers.
    X = net.xStage;
    Y = net.yStage;
    for (let r = 0; r < count; r++) {
      const idx = <usize>load<i32>(order + (<usize>(start + r) << 2));
      memory.copy(X + <usize>r * inRow, x + idx * inRow, inRow);
      memory.copy(Y + <usize>r * outRow, y + idx * outRow, outRow);
    }
  } else {
    X = x + <usize>start * inRow;
    Y = y + <usize>start * outRow;
  }
  forward(net, X, count);
  const n = net.nStages;
  let g = net.g0, other = net.g1;
  const loss = lossEval(net.loss, stageAt(net, n - 1).out, Y, g, count, net.outputSize, net.fused);
  if (!isFinite(loss) && !always) {
    net.status = STATUS_NONFINITE_LOSS;
    return loss;
  }
  for (let i = n - 1; i >= 0; i--) {
    const s = stageAt(net, i);
    // With the fused softmax + cross-entropy, g is already dL/dz of the last softmax.
    if (!(i == n - 1 && net.fused != 0)) activationBackward(s.act, s.alpha, s.out, g, g, count, s.outSize);
    if (s.kind != DENSE) continue;
    const input = i == 0 ? X : stageAt(net, i - 1).out;
    gemmTN(input, g, net.pending + <usize>s.wOff, s.inSize, s.outSize, count, 0, 0);
    if (s.bOff >= 0) columnSums(g, net.pending + <usize>s.bOff, count, s.outSize);
    if (i > 0) {
      gemmNT(g, net.params + <usize>s.wOff, other, count, s.inSize, s.outSize, 0, 0);
      const t = g;
      g = other;
      other = t;
    }
  }
  net.status = allFinite(net.pending, net.paramCount) ? STATUS_OK : STATUS_NONFINITE_GRADIENT;
  return loss;
}

/** Makes the pending gradients the current ones (a pointer swap). */
function acceptGradients(net: Net): void {
  const t = net.grads;
  net.grads = net.pending;
  net.pending = t;
}

/** Runs the optimiser over every parameter segment; check mode writes nothing. */
function optimize(net: Net, apply: bool): bool {
  const o = optOf(net);
  for (let i = 0; i < net.nStages; i++) {
    const s = stageAt(net, i);
    if (s.kind != DENSE) continue;
    if (!updateSegment(o, net.params, net.grads, <usize>s.wOff, s.inSize * s.outSize, false, apply)) return false;
    if (s.bOff >= 0 && !updateSegment(o, net.params, net.grads, <usize>s.bOff, s.outSize, true, apply)) return false;
  }
  return true;
}

/**
 * One whole training step on rows [start, start+count) of x, y (or order[start..] when order
 * is not 0): forward, loss, backward, update. Returns the loss before the update. When the
 * loss, a gradient or the update would be non-finite nothing changes, the gradients of
 * netGrads included (netStatus says why).
 */
export function netTrainStep(p: usize, x: usize, y: usize, order: usize, start: i32, count: i32): f64 {
  const net = changetype<Net>(p);
  const loss = lossAndGradients(net, x, y, order, start, count, false);
  if (net.status != STATUS_OK) return loss;
  acceptGradients(net);
  // A first pass only checks that every new value is finite, so a bad step changes nothing.
  if (!optimize(net, false)) {
    acceptGradients(net); // back to the gradients of the last good step
    net.status = STATUS_NONFINITE_UPDATE;
    return loss;
  }
  optimize(net, true);
  optOf(net).step++;
  return loss;
}

/** Forward, loss and backward without an update: replaces the gradients, whatever they are. Returns the loss. */
export function netComputeGradients(p: usize, x: usize, y: usize, order: usize, start: i32, count: i32): f64 {
  const net = changetype<Net>(p);
  const status = net.status;
  const loss = lossAndGradients(net, x, y, order, start, count, true);
  acceptGradients(net);
  net.status = status; // the status reports training steps only
  return loss;
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
