/**
 * Optimisers with PyTorch semantics: SGD (momentum, dampening, nesterov), Adam (L2 decay in the
 * gradient, amsgrad), AdamW (decoupled decay) and RMSprop (momentum, centered).
 *
 * Parameters, gradients and every state buffer are f32 arrays with the same layout, so one
 * element offset addresses all of them. Each element is updated in f64 and rounded once.
 * Weight decay is added to a local copy of the gradient: the stored gradients stay the
 * pre-decay ones. Every update runs in two modes: `apply = false` only checks that the new
 * parameters and state would all be finite (nothing is written), `apply = true` writes them.
 */

export const SGD = 0;
export const ADAM = 1;
export const ADAMW = 2;
export const RMSPROP = 3;

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

/** How many state buffers of the parameter length the optimiser needs, by slot (bit r: slot r). */
export function stateSlots(o: Optimizer): i32 {
  switch (o.kind) {
    case SGD: return o.momentum != 0 ? 1 : 0;
    case ADAM:
    case ADAMW: return (o.flags & AMSGRAD) != 0 ? 7 : 3;
    case RMSPROP: return 1 | ((o.flags & CENTERED) != 0 ? 2 : 0) | (o.momentum != 0 ? 4 : 0);
    default: return 0;
  }
}

// @ts-ignore: decorator
@inline function finite(x: f64): bool {
  return x - x == 0;
}

// @ts-ignore: decorator
@inline function ld(p: usize, o: usize): f64 {
  return <f64>load<f32>(p + o);
}

// @ts-ignore: decorator
@inline function st(p: usize, o: usize, v: f64): void {
  store<f32>(p + o, <f32>v);
}

/** SGD over n elements starting at byte offset `off`; wd is this segment's weight decay. */
// @ts-ignore: decorator
@inline function sgd(o: Optimizer, p: usize, g: usize, off: usize, n: i32, wd: f64, apply: bool): bool {
  const lr = o.lr, mom = o.momentum, damp = 1 - o.dampening;
  const first = o.step == 0, nesterov = (o.flags & NESTEROV) != 0;
  const end = off + (<usize>n << 2);
  let ok = true;
  for (let i = off; i < end; i += 4) {
    const pi = ld(p, i);
    const gi = ld(g, i) + wd * pi;
    let d = gi;
    if (mom != 0) {
      const buf = first ? gi : mom * ld(o.s0, i) + damp * gi;
      d = nesterov ? gi + mom * buf : buf;
      if (apply) st(o.s0, i, buf);
      else ok = ok && finite(<f32>buf);
    }
    const pn = pi - lr * d;
    if (apply) st(p, i, pn);
    else ok = ok && finite(<f32>pn);
  }
  return ok;
}

/** Adam or AdamW (decoupled decay: p <- p(1 - lr·wd) first) over one segment. */
// @ts-ignore: decorator
@inline function adam(o: Optimizer, p: usize, g: usize, off: usize, n: i32, wd: f64, apply: bool): bool {
  const t = <f64>(o.step + 1);
  const b1 = o.beta1, b2 = o.beta2, eps = o.eps;
  // Bias corrections in f64: b^t for t in the thousands loses nothing there.
  const stepSize = o.lr / (1 - Math.pow(b1, t));
  const bc2sqrt = Math.sqrt(1 - Math.pow(b2, t));
  const decoupled = o.kind == ADAMW, ams = (o.flags & AMSGRAD) != 0;
  const shrink = decoupled ? 1 - o.lr * wd : 1.0;
  const l2 = decoupled ? 0.0 : wd;
  const end = off + (<usize>n << 2);
  let ok = true;
  for (let i = off; i < end; i += 4) {
    const pi = ld(p, i) * shrink;
    const gi = ld(g, i) + l2 * ld(p, i);
    const m = b1 * ld(o.s0, i) + (1 - b1) * gi;
    const v = b2 * ld(o.s1, i) + (1 - b2) * gi * gi;
    let vhat = v;
    if (ams) vhat = max(ld(o.s2, i), <f64><f32>v);
    const pn = pi - stepSize * m / (Math.sqrt(vhat) / bc2sqrt + eps);
    if (apply) {
      st(o.s0, i, m);
      st(o.s1, i, v);
      if (ams) st(o.s2, i, vhat);
      st(p, i, pn);
    } else {
      ok = ok && finite(<f32>m) && finite(<f32>v) && finite(<f32>pn);
    }
  }
  return ok;
}

/** RMSprop over one segment. */
// @ts-ignore: decorator
@inline function rmsprop(o: Optimizer, p: usize, g: usize, off: usize, n: i32, wd: f64, apply: bool): bool {
  const a = o.alpha, eps = o.eps, lr = o.lr, mom = o.momentum;
  const centered = (o.flags & CENTERED) != 0;
  const end = off + (<usize>n << 2);
  let ok = true;
  for (let i = off; i < end; i += 4) {
    const pi = ld(p, i);
    const gi = ld(g, i) + wd * pi;
    const sq = a * ld(o.s0, i) + (1 - a) * gi * gi;
    let ga: f64 = 0;
    let avg: f64;
    if (centered) {
      ga = a * ld(o.s1, i) + (1 - a) * gi;
      avg = Math.sqrt(sq - ga * ga) + eps;
    } else {
      avg = Math.sqrt(sq) + eps;
    }
    let buf: f64 = 0;
    let pn: f64;
    if (mom > 0) {
      buf = mom * ld(o.s2, i) + gi / avg;
      pn = pi - lr * buf;
    } else {
      pn = pi - lr * gi / avg;
    }
    if (apply) {
      st(o.s0, i, sq);
      if (centered) st(o.s1, i, ga);
      if (mom > 0) st(o.s2, i, buf);
      st(p, i, pn);
    } else {
      ok = ok && finite(<f32>sq) && finite(<f32>ga) && finite(<f32>buf) && finite(<f32>pn);
    }
  }
  return ok;
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
