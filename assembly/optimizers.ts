/**
 * Optimisers with PyTorch semantics: SGD (momentum, dampening, nesterov), Adam (L2 decay in the
 * gradient, amsgrad), AdamW (decoupled decay) and RMSprop (momentum, centered).
 *
 * Parameters, gradients and every state buffer are f32 arrays with the same layout, so one
 * element offset addresses all of them. Updates run in f32x4 lanes; per-step constants (the
 * bias corrections) are computed in f64 first.
 * Weight decay is added to a local copy of the gradient: the stored gradients stay the
 * pre-decay ones. Every update runs in two modes: `apply = false` only checks that the new
 * parameters and state would all be finite (nothing is written), `apply = true` writes them.
 */

/** Optimiser kinds. */
export const SGD = 0;
export const ADAM = 1;
export const ADAMW = 2;
export const RMSPROP = 3;

/** Optimiser flags (bits of Optimizer.flags). */
export const NESTEROV = 1;
export const AMSGRAD = 2;
export const CENTERED = 4;
export const DECAY_BIASES = 8;

/** An optimiser's settings, its step count and its state buffers (0 when unused). */
@unmanaged export class Optimizer {
  kind: i32;
  flags: i32;
  /** Completed update steps. */
  step: i32;
  pad: i32;
  lr: f64;
  momentum: f64;
  dampening: f64;
  beta1: f64;
  beta2: f64;
  eps: f64;
  alpha: f64;
  weightDecay: f64;
  /** SGD: momentum. Adam/AdamW: m, v, vmax (amsgrad). RMSprop: square_avg, grad_avg (centered), momentum. */
  s0: usize;
  s1: usize;
  s2: usize;
}

/** State slots (s0, s1, s2): netState answers 0 for a slot the optimiser does not use. */
export const STATE_SLOTS = 3;

/** Byte size of the Optimizer descriptor. */
export const OPTIMIZER_BYTES: usize = offsetof<Optimizer>();

/** Which state buffers (each as long as the parameters) the optimiser needs: bit r set for slot r. */
export function stateSlots(o: Optimizer): i32 {
  switch (o.kind) {
    case SGD: return o.momentum != 0 ? 1 : 0;
    case ADAM:
    case ADAMW: return (o.flags & AMSGRAD) != 0 ? 7 : 3;
    case RMSPROP: return 1 | ((o.flags & CENTERED) != 0 ? 2 : 0) | (o.momentum > 0 ? 4 : 0);
    default: return 0;
  }
}

// Each optimiser works on four elements at a time in f32x4 lanes. The last n % 4 elements go
// through the same code with every lane holding the same element (`one`), so that each update
// rule is written once. In check mode every new value v adds (v - v) to `bad`, which stays
// all zero exactly when every value is finite.

// @ts-ignore: decorator
@inline function ld(p: usize, i: usize, one: bool): v128 {
  return one ? f32x4.splat(load<f32>(p + i)) : v128.load(p + i);
}

// @ts-ignore: decorator
@inline function st(p: usize, i: usize, v: v128, one: bool): void {
  if (one) store<f32>(p + i, f32x4.extract_lane(v, 0));
  else v128.store(p + i, v);
}

// @ts-ignore: decorator
@inline function check(bad: v128, v: v128): v128 {
  return f32x4.add(bad, f32x4.sub(v, v));
}

// @ts-ignore: decorator
@inline function splat(x: f64): v128 {
  return f32x4.splat(<f32>x);
}

// @ts-ignore: decorator
@inline function allZero(bad: v128): bool {
  return v128.all_true<i32>(f32x4.eq(bad, f32x4.splat(0)));
}

/** SGD on the elements at byte offsets [i, i + 16) (or one element): see sgd. */
// @ts-ignore: decorator
@inline function sgdAt(
  p: usize, g: usize, s0: usize, i: usize, one: bool, apply: bool, bad: v128,
  lr: v128, wd: v128, mom: v128, damp: v128, hasMom: bool, first: bool, nesterov: bool,
): v128 {
  const pi = ld(p, i, one);
  const gi = f32x4.add(ld(g, i, one), f32x4.mul(wd, pi));
  let d = gi;
  if (hasMom) {
    const buf = first ? gi : f32x4.add(f32x4.mul(mom, ld(s0, i, one)), f32x4.mul(damp, gi));
    d = nesterov ? f32x4.add(gi, f32x4.mul(mom, buf)) : buf;
    if (apply) st(s0, i, buf, one);
    else bad = check(bad, buf);
  }
  const pn = f32x4.sub(pi, f32x4.mul(lr, d));
  if (apply) st(p, i, pn, one);
  else bad = check(bad, pn);
  return bad;
}

/**
 * SGD: d = g + wd·p; with momentum buf = d on the first step, else m·buf + (1-dampening)·d, and
 * the step is d + m·buf with Nesterov, else buf; p <- p - lr·step. n elements from byte `off`.
 */
// @ts-ignore: decorator
@inline function sgd(o: Optimizer, p: usize, g: usize, off: usize, n: i32, wdf: f64, apply: bool): bool {
  const lr = splat(o.lr), wd = splat(wdf), mom = splat(o.momentum), damp = splat(1 - o.dampening);
  const hasMom = o.momentum != 0, first = o.step == 0, nesterov = (o.flags & NESTEROV) != 0;
  const s0 = o.s0;
  const end = off + (<usize>n << 2), end4 = off + (<usize>(n & ~3) << 2);
  let bad = f32x4.splat(0);
  let i = off;
  for (; i < end4; i += 16) bad = sgdAt(p, g, s0, i, false, apply, bad, lr, wd, mom, damp, hasMom, first, nesterov);
  for (; i < end; i += 4) bad = sgdAt(p, g, s0, i, true, apply, bad, lr, wd, mom, damp, hasMom, first, nesterov);
  return allZero(bad);
}

/** Adam / AdamW on the elements at byte offsets [i, i + 16) (or one element): see adam. */
// @ts-ignore: decorator
@inline function adamAt(
  p: usize, g: usize, sm: usize, sv: usize, smax: usize, i: usize, one: bool, apply: bool, bad: v128,
  shrink: v128, l2: v128, b1: v128, c1: v128, b2: v128, c2: v128, stepSize: v128, bc2sqrt: v128, eps: v128, ams: bool,
): v128 {
  const p0 = ld(p, i, one);
  const gi = f32x4.add(ld(g, i, one), f32x4.mul(l2, p0));
  const m = f32x4.add(f32x4.mul(b1, ld(sm, i, one)), f32x4.mul(c1, gi));
  const v = f32x4.add(f32x4.mul(b2, ld(sv, i, one)), f32x4.mul(c2, f32x4.mul(gi, gi)));
  const vhat = ams ? f32x4.max(ld(smax, i, one), v) : v;
  const denom = f32x4.add(f32x4.div(f32x4.sqrt(vhat), bc2sqrt), eps);
  const pn = f32x4.sub(f32x4.mul(p0, shrink), f32x4.div(f32x4.mul(stepSize, m), denom));
  if (apply) {
    st(sm, i, m, one);
    st(sv, i, v, one);
    if (ams) st(smax, i, vhat, one);
    st(p, i, pn, one);
  } else {
    bad = check(check(check(bad, m), v), pn);
  }
  return bad;
}

/**
 * Adam: g' = g + wd·p (AdamW instead shrinks p <- p(1 - lr·wd) first and keeps g);
 * m = b1·m + (1-b1)g', v = b2·v + (1-b2)g'², vhat = max(vmax, v) with amsgrad;
 * p <- p - lr/(1-b1^t) · m / (sqrt(vhat)/sqrt(1-b2^t) + eps), t the step being taken.
 */
// @ts-ignore: decorator
@inline function adam(o: Optimizer, p: usize, g: usize, off: usize, n: i32, wd: f64, apply: bool): bool {
  const t = <f64>(o.step + 1);
  // Bias corrections in f64: b^t for t in the thousands keeps its digits there.
  const stepSize = splat(o.lr / (1 - Math.pow(o.beta1, t)));
  const bc2sqrt = splat(Math.sqrt(1 - Math.pow(o.beta2, t)));
  const decoupled = o.kind == ADAMW, ams = (o.flags & AMSGRAD) != 0;
  const shrink = splat(decoupled ? 1 - o.lr * wd : 1.0), l2 = splat(decoupled ? 0.0 : wd);
  const b1 = splat(o.beta1), c1 = splat(1 - o.beta1), b2 = splat(o.beta2), c2 = splat(1 - o.beta2), eps = splat(o.eps);
  const sm = o.s0, sv = o.s1, smax = o.s2;
  const end = off + (<usize>n << 2), end4 = off + (<usize>(n & ~3) << 2);
  let bad = f32x4.splat(0);
  let i = off;
  for (; i < end4; i += 16) bad = adamAt(p, g, sm, sv, smax, i, false, apply, bad, shrink, l2, b1, c1, b2, c2, stepSize, bc2sqrt, eps, ams);
  for (; i < end; i += 4) bad = adamAt(p, g, sm, sv, smax, i, true, apply, bad, shrink, l2, b1, c1, b2, c2, stepSize, bc2sqrt, eps, ams);
  return allZero(bad);
}

/** RMSprop on the elements at byte offsets [i, i + 16) (or one element): see rmsprop. */
// @ts-ignore: decorator
@inline function rmspropAt(
  p: usize, g: usize, ssq: usize, sga: usize, sbuf: usize, i: usize, one: bool, apply: bool, bad: v128,
  lr: v128, wd: v128, a: v128, ca: v128, eps: v128, mom: v128, centered: bool, hasMom: bool,
): v128 {
  const pi = ld(p, i, one);
  const gi = f32x4.add(ld(g, i, one), f32x4.mul(wd, pi));
  const sq = f32x4.add(f32x4.mul(a, ld(ssq, i, one)), f32x4.mul(ca, f32x4.mul(gi, gi)));
  let avg: v128;
  let ga = f32x4.splat(0);
  if (centered) {
    ga = f32x4.add(f32x4.mul(a, ld(sga, i, one)), f32x4.mul(ca, gi));
    avg = f32x4.add(f32x4.sqrt(f32x4.sub(sq, f32x4.mul(ga, ga))), eps);
  } else {
    avg = f32x4.add(f32x4.sqrt(sq), eps);
  }
  let buf = f32x4.div(gi, avg);
  if (hasMom) buf = f32x4.add(f32x4.mul(mom, ld(sbuf, i, one)), buf);
  const pn = f32x4.sub(pi, f32x4.mul(lr, buf));
  if (apply) {
    st(ssq, i, sq, one);
    if (centered) st(sga, i, ga, one);
    if (hasMom) st(sbuf, i, buf, one);
    st(p, i, pn, one);
  } else {
    bad = check(check(check(check(bad, sq), ga), buf), pn);
  }
  return bad;
}

/**
 * RMSprop: g' = g + wd·p; sq = a·sq + (1-a)g'²; centered: ga = a·ga + (1-a)g',
 * avg = sqrt(sq - ga²) + eps, else sqrt(sq) + eps; with momentum buf = m·buf + g'/avg and
 * p <- p - lr·buf, else p <- p - lr·g'/avg.
 */
// @ts-ignore: decorator
@inline function rmsprop(o: Optimizer, p: usize, g: usize, off: usize, n: i32, wdf: f64, apply: bool): bool {
  const lr = splat(o.lr), wd = splat(wdf), a = splat(o.alpha), ca = splat(1 - o.alpha), eps = splat(o.eps), mom = splat(o.momentum);
  const centered = (o.flags & CENTERED) != 0, hasMom = o.momentum > 0;
  const ssq = o.s0, sga = o.s1, sbuf = o.s2;
  const end = off + (<usize>n << 2), end4 = off + (<usize>(n & ~3) << 2);
  let bad = f32x4.splat(0);
  let i = off;
  for (; i < end4; i += 16) bad = rmspropAt(p, g, ssq, sga, sbuf, i, false, apply, bad, lr, wd, a, ca, eps, mom, centered, hasMom);
  for (; i < end; i += 4) bad = rmspropAt(p, g, ssq, sga, sbuf, i, true, apply, bad, lr, wd, a, ca, eps, mom, centered, hasMom);
  return allZero(bad);
}

/**
 * Updates (apply) or checks (!apply) the n parameters at p + off with gradients at g + off;
 * `isBias` selects whether weight decay applies (decayBiases). Returns false when a new value
 * would be non-finite (check mode). Does not advance the step count.
 */
export function updateSegment(o: Optimizer, p: usize, g: usize, off: usize, n: i32, isBias: bool, apply: bool): bool {
  const wd = isBias && (o.flags & DECAY_BIASES) == 0 ? 0.0 : o.weightDecay;
  switch (o.kind) {
    // Each call site inlines its own copy with `apply` constant, so the loops carry no mode test.
    case SGD: return apply ? sgd(o, p, g, off, n, wd, true) : sgd(o, p, g, off, n, wd, false);
    case ADAM:
    case ADAMW: return apply ? adam(o, p, g, off, n, wd, true) : adam(o, p, g, off, n, wd, false);
    case RMSPROP: return apply ? rmsprop(o, p, g, off, n, wd, true) : rmsprop(o, p, g, off, n, wd, false);
    default: abort("unknown optimizer code");
  }
  return false;
}
