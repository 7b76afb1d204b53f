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
 * Every step is written for a team of threads (team.ts): thread `tid` of `nt` runs its share
 * of each phase, and `ctl` is the team's control block (unused by a team of one, which is
 * what the net* exports run). threads.ts runs the same functions on several threads.
 */
import { alloc, allocZeroed, free } from "./arena";
import { gemmNN, gemmTNRows, gemmNT, columnSumsRange } from "./gemm";
import { activationForward, activationBackward, SOFTMAX } from "./activations";
import { lossEval, lossRows, CATEGORICAL_CE } from "./losses";
import { Optimizer, stateSlots, updateSegment } from "./optimizers";
import { barrier, shareStart, CTL_FLAGS } from "./team";

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
  /** The loss of the last step (kept here for the thread that commits a team's step). */
  lastLoss: f64;
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

/**
 * Runs every stage on rows [r0, r1) of the batch at x; the output is in netOutput. Rows are
 * independent, so threads forward disjoint row ranges without waiting for each other.
 */
function forward(net: Net, x: usize, r0: i32, r1: i32): void {
  if (r0 >= r1) return;
  const rows = r1 - r0;
  let input = x + <usize>r0 * (<usize>net.inputSize << 2);
  for (let i = 0; i < net.nStages; i++) {
    const s = stageAt(net, i);
    const out = s.out + <usize>r0 * (<usize>s.outSize << 2);
    if (s.kind == DENSE) {
      const bias = s.bOff >= 0 ? net.params + <usize>s.bOff : 0;
      gemmNN(input, net.params + <usize>s.wOff, out, rows, s.outSize, s.inSize, bias, 0);
      activationForward(s.act, s.alpha, out, out, rows, s.outSize);
    } else {
      activationForward(s.act, s.alpha, input, out, rows, s.outSize);
    }
    input = out;
  }
}

/** Thread tid's share (4-row aligned) of a forward pass of `rows` rows at x. */
export function forwardShare(p: usize, x: usize, rows: i32, tid: i32, nt: i32): void {
  const net = changetype<Net>(p);
  assert(rows >= 1 && rows <= net.capacity, "netForward: rows outside [1, capacity]");
  forward(net, x, shareStart(rows, nt, tid, 4), shareStart(rows, nt, tid + 1, 4));
}

/** Forward pass only (predict): x holds rows × inputSize f32 (may be netStaging). */
export function netForward(p: usize, x: usize, rows: i32): void {
  forwardShare(p, x, rows, 0, 1);
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

/** Status bits a thread reports for its share of a step. */
const BAD_LOSS = 1, BAD_GRADIENT = 2, BAD_UPDATE = 4;

/**
 * Checks (apply = false) or applies the optimiser to the parameters whose gradients thread tid
 * computed: rows [i0, i1) of every W and its columns of every b, the split of backward, so no
 * thread waits for another between the two. Gradients are read at g. Returns false when a
 * checked value would be non-finite.
 */
function optimizeShare(net: Net, g: usize, tid: i32, nt: i32, apply: bool): bool {
  const o = optOf(net);
  for (let i = 0; i < net.nStages; i++) {
    const s = stageAt(net, i);
    if (s.kind != DENSE) continue;
    const i0 = shareStart(s.inSize, nt, tid, 8), i1 = shareStart(s.inSize, nt, tid + 1, 8);
    const off = <usize>s.wOff + (<usize>(i0 * s.outSize) << 2);
    if (i1 > i0 && !updateSegment(o, net.params, g, off, (i1 - i0) * s.outSize, false, apply)) return false;
    if (s.bOff < 0) continue;
    const j0 = shareStart(s.outSize, nt, tid, 4), j1 = shareStart(s.outSize, nt, tid + 1, 4);
    if (j1 > j0 && !updateSegment(o, net.params, g, <usize>s.bOff + (<usize>j0 << 2), j1 - j0, true, apply)) return false;
  }
  return true;
}

/** True when thread tid's share of the gradients at g (split as optimizeShare splits them) is finite. */
function gradientsFinite(net: Net, g: usize, tid: i32, nt: i32): bool {
  for (let i = 0; i < net.nStages; i++) {
    const s = stageAt(net, i);
    if (s.kind != DENSE) continue;
    const i0 = shareStart(s.inSize, nt, tid, 8), i1 = shareStart(s.inSize, nt, tid + 1, 8);
    if (!allFinite(g + <usize>s.wOff + (<usize>(i0 * s.outSize) << 2), (i1 - i0) * s.outSize)) return false;
    if (s.bOff < 0) continue;
    const j0 = shareStart(s.outSize, nt, tid, 4), j1 = shareStart(s.outSize, nt, tid + 1, 4);
    if (!allFinite(g + <usize>s.bOff + (<usize>j0 << 2), j1 - j0)) return false;
  }
  return true;
}

/** Every thread's status bits OR-ed together, once all have reported (a barrier). */
function agree(ctl: usize, tid: i32, nt: i32, bad: i32): i32 {
  if (nt == 1) return bad;
  store<i32>(ctl + CTL_FLAGS + (<usize>tid << 2), bad);
  barrier(ctl, tid, nt);
  let all = 0;
  for (let t = 0; t < nt; t++) all |= load<i32>(ctl + CTL_FLAGS + (<usize>t << 2));
  return all;
}

/**
 * Thread tid's share of a step on `count` rows from `start` (through `order` when it is not 0):
 * forward, loss and backward into net.pending, then (with `update`) the checked optimiser
 * update. Returns the step's status bits (thread 0 knows them all) and leaves the loss in
 * net.lastLoss (thread 0). commitStep ends the step once every thread has returned.
 *
 * Phases: gather, forward, dL/dy and dL/dz of the top stage by batch rows (no waiting); per
 * Dense stage a barrier (dW sums over every row), then dW by its rows, db by its columns and
 * the input gradient by batch rows; a barrier; the loss value (thread 0, summed in the order
 * of one thread); the finiteness checks of each share; a barrier to agree; the update.
 */
function stepShare(net: Net, x: usize, y: usize, order: usize, start: i32, count: i32,
  update: bool, always: bool, ctl: usize, tid: i32, nt: i32): i32 {
  assert(count >= 1 && count <= net.capacity, "trainStep: batch rows outside [1, capacity]");
  const r0 = shareStart(count, nt, tid, 4), r1 = shareStart(count, nt, tid + 1, 4);
  const inRow = <usize>net.inputSize << 2, outRow = <usize>net.outputSize << 2;
  const pending = net.pending;
  let X: usize, Y: usize;
  if (order != 0) {
    // Shuffled batch: gather its rows into the staging buffers.
    X = net.xStage;
    Y = net.yStage;
    for (let r = r0; r < r1; r++) {
      const idx = <usize>load<i32>(order + (<usize>(start + r) << 2));
      memory.copy(X + <usize>r * inRow, x + idx * inRow, inRow);
      memory.copy(Y + <usize>r * outRow, y + idx * outRow, outRow);
    }
  } else {
    X = x + <usize>start * inRow;
    Y = y + <usize>start * outRow;
  }
  forward(net, X, r0, r1);
  const n = net.nStages;
  const out = stageAt(net, n - 1).out;
  let g = net.g0, other = net.g1;
  let bad = 0;
  if (nt == 1) {
    net.lastLoss = lossEval(net.loss, out, Y, g, count, net.outputSize, net.fused);
    if (!isFinite(net.lastLoss)) {
      bad = BAD_LOSS;
      if (!always) return bad;
    }
  } else if (r1 > r0) {
    // Each thread writes dL/dy of its rows; thread 0 sums the loss over all rows later.
    const o = <usize>r0 * outRow;
    lossRows(net.loss, out + o, Y + o, g + o, r1 - r0, net.outputSize, net.fused, count);
  }
  for (let i = n - 1; i >= 0; i--) {
    const s = stageAt(net, i);
    const row = <usize>s.outSize << 2;
    // With the fused softmax + cross-entropy, g is already dL/dz of the last softmax.
    if (!(i == n - 1 && net.fused != 0) && r1 > r0) {
      const gr = g + <usize>r0 * row;
      activationBackward(s.act, s.alpha, s.out + <usize>r0 * row, gr, gr, r1 - r0, s.outSize);
    }
    if (s.kind != DENSE) continue;
    barrier(ctl, tid, nt);
    const input = i == 0 ? X : stageAt(net, i - 1).out;
    const i0 = shareStart(s.inSize, nt, tid, 8), i1 = shareStart(s.inSize, nt, tid + 1, 8);
    gemmTNRows(input, g, pending + <usize>s.wOff, s.inSize, s.outSize, count, i0, i1);
    if (s.bOff >= 0) {
      const j0 = shareStart(s.outSize, nt, tid, 4), j1 = shareStart(s.outSize, nt, tid + 1, 4);
      columnSumsRange(g, pending + <usize>s.bOff, count, s.outSize, j0, j1);
    }
    if (i > 0) {
      if (r1 > r0) {
        const inB = <usize>s.inSize << 2;
        gemmNT(g + <usize>r0 * row, net.params + <usize>s.wOff, other + <usize>r0 * inB, r1 - r0, s.inSize, s.outSize, 0, 0);
      }
      const t = g;
      g = other;
      other = t;
    }
  }
  if (nt > 1) {
    // After this barrier every output row is final (each thread's forward came before its first barrier).
    barrier(ctl, tid, nt);
    if (tid == 0) {
      net.lastLoss = lossEval(net.loss, out, Y, 0, count, net.outputSize, net.fused);
      if (!isFinite(net.lastLoss)) bad = BAD_LOSS;
    }
  }
  if (!update) return bad;
  if (!gradientsFinite(net, pending, tid, nt)) bad |= BAD_GRADIENT;
  // A first pass only checks that every new value is finite, so a bad step changes nothing.
  else if (!optimizeShare(net, pending, tid, nt, false)) bad |= BAD_UPDATE;
  bad = agree(ctl, tid, nt, bad);
  if (bad == 0) optimizeShare(net, pending, tid, nt, true);
  return bad;
}

/** Makes the pending gradients the current ones (a pointer swap). */
function acceptGradients(net: Net): void {
  const t = net.grads;
  net.grads = net.pending;
  net.pending = t;
}

/**
 * Ends a step after every thread of its team has finished its share (thread 0 only; a single
 * thread at once): a training step (`update`) sets net.status from the status bits and, when
 * OK, makes the pending gradients current and counts the step; computeGradients makes the
 * gradients current whatever they are and leaves net.status alone. Returns the loss.
 */
export function commitStep(p: usize, update: bool, bad: i32): f64 {
  const net = changetype<Net>(p);
  if (!update) {
    acceptGradients(net);
    return net.lastLoss;
  }
  net.status = (bad & BAD_LOSS) != 0 ? STATUS_NONFINITE_LOSS
    : (bad & BAD_GRADIENT) != 0 ? STATUS_NONFINITE_GRADIENT
    : (bad & BAD_UPDATE) != 0 ? STATUS_NONFINITE_UPDATE : STATUS_OK;
  if (net.status == STATUS_OK) {
    acceptGradients(net);
    optOf(net).step++;
  }
  return net.lastLoss;
}

/**
 * Thread tid's share of a training step (`update`) or of computeGradients (!update) for the
 * team at ctl of nt threads; returns the status bits for commitStep (see stepShare).
 */
export function stepTeam(p: usize, x: usize, y: usize, order: usize, start: i32, count: i32,
  update: bool, ctl: usize, tid: i32, nt: i32): i32 {
  return stepShare(changetype<Net>(p), x, y, order, start, count, update, !update, ctl, tid, nt);
}

/**
 * One whole training step on rows [start, start+count) of x, y (or order[start..] when order
 * is not 0): forward, loss, backward, update. Returns the loss before the update. When the
 * loss, a gradient or the update would be non-finite nothing changes, the gradients of
 * netGrads included (netStatus says why).
 */
export function netTrainStep(p: usize, x: usize, y: usize, order: usize, start: i32, count: i32): f64 {
  return commitStep(p, true, stepTeam(p, x, y, order, start, count, true, 0, 0, 1));
}

/** Forward, loss and backward without an update: replaces the gradients, whatever they are. Returns the loss. */
export function netComputeGradients(p: usize, x: usize, y: usize, order: usize, start: i32, count: i32): f64 {
  return commitStep(p, false, stepTeam(p, x, y, order, start, count, false, 0, 0, 1));
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
