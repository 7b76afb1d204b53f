/**
 * Gradient clipping inside a training step, after backward and before weight decay and the
 * optimiser (PyTorch order): first each value to [-clipValue, clipValue] (clip_grad_value_),
 * then, when the 2-norm of all gradients together exceeds the limit, every gradient scaled by
 * clipNorm / (norm + 1e-6) (clip_grad_norm_). Works in place on the pending gradients.
 *
 * Each thread clamps and scales its own share (the split of backward); thread 0 alone sums
 * the squares of all gradients in parameter order, so the norm, and every clipped value, are
 * the same whatever the team's size.
 */
import { barrier, shareStart } from "./team";
import { Net, stageAt, DENSE, BATCHNORM } from "./network";

const CLAMP = 0, SCALE = 1;

/** clip_grad_norm_'s guard against a zero norm (CLIP_NORM_EPS of src/reference/clip.ts). */
const CLIP_NORM_EPS: f64 = 1e-6;

/** Clamps to [-a, a] (CLAMP) or multiplies by a (SCALE) the n f32 values at p. */
function transform(p: usize, n: i32, mode: i32, a: f64): void {
  const end = p + (<usize>n << 2);
  if (mode == CLAMP) {
    const hi = <f32>a, lo = -hi;
    for (let q = p; q < end; q += 4) store<f32>(q, min(hi, max(lo, load<f32>(q))));
  } else {
    const s = <f32>a;
    for (let q = p; q < end; q += 4) store<f32>(q, load<f32>(q) * s);
  }
}

/**
 * Applies transform to thread tid's share of the gradients at g: rows [i0, i1) of every W, its
 * columns of every b, and (thread 0) every BatchNorm's gamma and beta, which thread 0 computed.
 */
function transformShare(net: Net, g: usize, tid: i32, nt: i32, mode: i32, a: f64): void {
  for (let i = 0; i < net.nStages; i++) {
    const s = stageAt(net, i);
    if (s.kind == BATCHNORM && tid == 0) transform(g + <usize>s.wOff, 2 * s.outSize, mode, a);
    if (s.kind != DENSE) continue;
    const i0 = shareStart(s.inSize, nt, tid, 8), i1 = shareStart(s.inSize, nt, tid + 1, 8);
    if (i1 > i0) transform(g + <usize>s.wOff + (<usize>(i0 * s.outSize) << 2), (i1 - i0) * s.outSize, mode, a);
    if (s.bOff < 0) continue;
    const j0 = shareStart(s.outSize, nt, tid, 4), j1 = shareStart(s.outSize, nt, tid + 1, 4);
    if (j1 > j0) transform(g + <usize>s.bOff + (<usize>j0 << 2), j1 - j0, mode, a);
  }
}

/** True when the step clips at all (a flag test, so steps without clipping pay nothing else). */
// @ts-ignore: decorator
@inline export function clips(net: Net): bool {
  return net.clipNorm > 0 || net.clipValue > 0;
}

/**
 * Thread tid's part of clipping the gradients at g (every thread of the team calls it, after
 * its share of backward). Mutates the gradients at g and net.clipScale.
 */
export function clipShare(net: Net, g: usize, ctl: usize, tid: i32, nt: i32): void {
  // Every thread's backward reads BatchNorm's dgamma, dbeta (bnInputGradient), which thread 0
  // clips in place: all must be done with them first.
  if (net.modal != 0) barrier(ctl, tid, nt);
  if (net.clipValue > 0) transformShare(net, g, tid, nt, CLAMP, net.clipValue);
  if (net.clipNorm <= 0) return;
  // Every share must be final before thread 0 reads them all.
  barrier(ctl, tid, nt);
  if (tid == 0) {
    let sq: f64 = 0;
    const end = g + (<usize>net.paramCount << 2);
    for (let q = g; q < end; q += 4) {
      const v = <f64>load<f32>(q);
      sq += v * v;
    }
    const coef = net.clipNorm / (Math.sqrt(sq) + CLIP_NORM_EPS);
    // A NaN norm leaves the gradients as they are: the finiteness check then refuses the step.
    net.clipScale = coef < 1 ? coef : 1;
  }
  barrier(ctl, tid, nt);
  if (net.clipScale < 1) transformShare(net, g, tid, nt, SCALE, net.clipScale);
}
