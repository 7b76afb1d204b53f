/**
 * Running a network (network.ts): the forward pass, and the training step — forward, loss,
 * backward and the checked optimiser update of one batch — written for a team of threads
 * (team.ts): thread `tid` of `nt` runs its share of each phase, and `ctl` is the team's control
 * block (unused by a team of one, which is what the net* exports here run). threads.ts runs
 * the same functions on several threads; each output element is computed by one thread with
 * the code one thread would use, so the result does not depend on the team's size.
 */
import { activationForward, activationBackward } from "./activations";
import { denseForward, denseBackward } from "./dense";
import { lossEval, lossRows } from "./losses";
import { weightedLossRows } from "./row-weights";
import { updateSegment } from "./optimizers";
import { clips, clipShare } from "./clip";
import { barrier, shareStart, CTL_FLAGS } from "./team";
import { bnStats, bnNormalize, bnEval, bnParamGradients, bnInputGradient, bnUpdateRunning } from "./batchnorm";
import { dropoutKey, dropoutForward, dropoutBackward } from "./dropout";
import {
  Net, Stage, stageAt, optOf, DENSE, BATCHNORM, DROPOUT,
  STATUS_OK, STATUS_NONFINITE_LOSS, STATUS_NONFINITE_GRADIENT, STATUS_NONFINITE_UPDATE,
} from "./network";

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
    if (s.kind == BATCHNORM) {
      // Evaluation mode: the running estimates normalise.
      const pr = net.params;
      bnEval(input, out, pr + <usize>s.wOff, pr + <usize>s.bOff, pr + <usize>s.rOff, pr + <usize>s.rOff + (<usize>s.outSize << 2), s.p0, rows, s.outSize);
      activationForward(s.act, s.alpha, out, out, rows, s.outSize);
    } else if (s.kind == DROPOUT) {
      memory.copy(out, input, <usize>rows * (<usize>s.outSize << 2));
    } else {
      forwardStage(net, s, input, out, rows);
    }
    input = out;
  }
}

/**
 * The training-mode forward pass of a network with BatchNorm or Dropout (net.modal), rows
 * [r0, r1) of this thread, `count` rows in all: a BatchNorm normalises by the batch's
 * statistics, which thread 0 computes between two barriers once every row's input is there;
 * a Dropout (when `drop`) applies its mask. Every thread calls it, with or without rows.
 */
function forwardTrain(net: Net, x: usize, count: i32, r0: i32, r1: i32, drop: bool, ctl: usize, tid: i32, nt: i32): void {
  let input = x;
  let k = 0;
  for (let i = 0; i < net.nStages; i++) {
    const s = stageAt(net, i);
    const row = <usize>s.outSize << 2;
    const out = s.out;
    if (s.kind == BATCHNORM) {
      barrier(ctl, tid, nt);
      if (tid == 0) bnStats(input, count, s.outSize, s.p0, s.stats);
      barrier(ctl, tid, nt);
      bnNormalize(input, s.aux, out, net.params + <usize>s.wOff, net.params + <usize>s.bOff, s.stats, r0, r1, s.outSize);
      if (r1 > r0) activationForward(s.act, s.alpha, out + <usize>r0 * row, out + <usize>r0 * row, r1 - r0, s.outSize);
    } else if (s.kind == DROPOUT) {
      if (drop) dropoutForward(input, out, s.aux, dropoutKey(net.noise, k), s.threshold, s.p0, r0 * s.outSize, r1 * s.outSize);
      else if (r1 > r0) memory.copy(out + <usize>r0 * row, input + <usize>r0 * row, <usize>(r1 - r0) * row);
      k++;
    } else if (r1 > r0) {
      const inRow = <usize>(s.kind == DENSE ? s.inSize : s.outSize) << 2;
      forwardStage(net, s, input + <usize>r0 * inRow, out + <usize>r0 * row, r1 - r0);
    }
    input = out;
  }
}

/** A Dense or activation stage on `rows` rows from `input` into `out`. */
function forwardStage(net: Net, s: Stage, input: usize, out: usize, rows: i32): void {
  if (s.kind == DENSE) {
    denseForward(net, s, input, out, rows);
  } else {
    activationForward(s.act, s.alpha, input, out, rows, s.outSize);
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
    // BatchNorm's gamma and beta (contiguous; decayed as biases) are thread 0's: it computed them.
    if (s.kind == BATCHNORM && tid == 0 && !updateSegment(o, net.params, g, <usize>s.wOff, 2 * s.outSize, true, apply)) return false;
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
    if (s.kind == BATCHNORM && tid == 0 && !allFinite(g + <usize>s.wOff, 2 * s.outSize)) return false;
    if (s.kind != DENSE) continue;
    const i0 = shareStart(s.inSize, nt, tid, 8), i1 = shareStart(s.inSize, nt, tid + 1, 8);
    if (!allFinite(g + <usize>s.wOff + (<usize>(i0 * s.outSize) << 2), (i1 - i0) * s.outSize)) return false;
    if (s.bOff < 0) continue;
    const j0 = shareStart(s.outSize, nt, tid, 4), j1 = shareStart(s.outSize, nt, tid + 1, 4);
    if (!allFinite(g + <usize>s.bOff + (<usize>j0 << 2), j1 - j0)) return false;
  }
  return true;
}

/**
 * Thread 0 of a team sums the loss of the whole batch (value only) into net.lastLoss, in the
 * order one thread sums it, so the reported loss does not depend on the team either. Call
 * after a barrier that follows every thread's forward pass. Returns true.
 */
function sumLoss(net: Net, out: usize, Y: usize, count: i32, tid: i32, order: usize, start: i32): bool {
  if (tid == 0) {
    net.lastLoss = net.rowWeights != 0
      ? weightedLossRows(net, out, Y, 0, 0, count, count, order, start)
      : lossEval(net.loss, out, Y, 0, count, net.outputSize, net.fused, net.huberDelta);
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
 * Dense stage a barrier (dW sums over every row), then its denseBackward share (dense.ts): dW
 * by its rows, db by its columns and the input gradient by batch rows (after the first of
 * these barriers thread 0 also sums the loss value); per BatchNorm stage two barriers around
 * thread 0's dgamma, dbeta (they sum over every row), then dx by rows; gradient clipping when set (clip.ts: two
 * more barriers for the norm); the finiteness checks of each share; a barrier to agree; the update.
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
  if (net.modal != 0) forwardTrain(net, X, count, r0, r1, update, ctl, tid, nt);
  else forward(net, X, r0, r1);
  if (tid == 0) net.batchRows = count;
  const n = net.nStages;
  const out = stageAt(net, n - 1).out;
  let g = net.g0, other = net.g1;
  let bad = 0;
  // A team sums the loss once every thread's forward pass is done: after the first barrier.
  let summed = nt == 1;
  if (nt == 1) {
    net.lastLoss = net.rowWeights != 0
      ? weightedLossRows(net, out, Y, g, 0, count, count, order, start)
      : lossEval(net.loss, out, Y, g, count, net.outputSize, net.fused, net.huberDelta);
    if (!isFinite(net.lastLoss)) {
      bad = BAD_LOSS;
      if (!always) return bad;
    }
  } else if (r1 > r0) {
    // Each thread writes dL/dy of its rows; thread 0 sums the loss over all rows later.
    const o = <usize>r0 * outRow;
    if (net.rowWeights != 0) weightedLossRows(net, out, Y, g, r0, r1, count, order, start);
    else lossRows(net.loss, out + o, Y + o, g + o, r1 - r0, net.outputSize, net.fused, count, net.huberDelta);
  }
  for (let i = n - 1; i >= 0; i--) {
    const s = stageAt(net, i);
    const row = <usize>s.outSize << 2;
    // With the fused softmax + cross-entropy, g is already dL/dz of the last softmax.
    if (!(i == n - 1 && net.fused != 0) && r1 > r0) {
      const gr = g + <usize>r0 * row;
      activationBackward(s.act, s.alpha, s.out + <usize>r0 * row, gr, gr, r1 - r0, s.outSize);
    }
    if (s.kind == DROPOUT) {
      if (update) dropoutBackward(g, s.aux, r0 * s.outSize, r1 * s.outSize);
      continue;
    }
    if (s.kind == BATCHNORM) {
      // dgamma, dbeta sum over every row: thread 0 once all rows' g is there; then dx by rows, in place.
      const dgamma = pending + <usize>s.wOff, dbeta = pending + <usize>s.bOff;
      barrier(ctl, tid, nt);
      if (!summed) summed = sumLoss(net, out, Y, count, tid, order, start);
      if (tid == 0) bnParamGradients(g, s.aux, dgamma, dbeta, count, s.outSize);
      barrier(ctl, tid, nt);
      if (i > 0) bnInputGradient(g, s.aux, net.params + <usize>s.wOff, s.stats, dgamma, dbeta, r0, r1, s.outSize, count);
      continue;
    }
    if (s.kind != DENSE) continue;
    barrier(ctl, tid, nt);
    if (!summed) summed = sumLoss(net, out, Y, count, tid, order, start);
    const input = i == 0 ? X : stageAt(net, i - 1).out;
    denseBackward(net, s, pending, input, g, other, i > 0, count, r0, r1, tid, nt);
    if (i > 0) {
      const t = g;
      g = other;
      other = t;
    }
  }
  if (!summed) {
    barrier(ctl, tid, nt);
    sumLoss(net, out, Y, count, tid, order, start);
  }
  if (tid == 0 && !isFinite(net.lastLoss)) bad |= BAD_LOSS;
  if (!update) return bad;
  // Clipping rewrites the pending gradients: computeGradients (above) keeps them unclipped.
  if (clips(net)) clipShare(net, pending, ctl, tid, nt);
  if (!gradientsFinite(net, pending, tid, nt)) bad |= BAD_GRADIENT;
  // A first pass only checks that every new value is finite, so a bad step changes nothing.
  else if (!optimizeShare(net, pending, tid, nt, false)) bad |= BAD_UPDATE;
  bad = agree(ctl, tid, nt, bad);
  if (bad == 0) optimizeShare(net, pending, tid, nt, true);
  return bad;
}

/** After an accepted step: every BatchNorm's running estimates take in the batch statistics. */
function updateRunning(net: Net): void {
  for (let i = 0; i < net.nStages; i++) {
    const s = stageAt(net, i);
    if (s.kind != BATCHNORM) continue;
    const rm = net.params + <usize>s.rOff;
    bnUpdateRunning(rm, rm + (<usize>s.outSize << 2), s.stats, s.p1, net.batchRows, s.outSize);
  }
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
    if (net.modal != 0) updateRunning(net);
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
