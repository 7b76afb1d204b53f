/**
 * Activation functions, each forward next to its derivative. The codes are exported as ACT_*
 * (index.ts) and read by src/wasm/abi.ts, which maps ACTIVATIONS of src/plan.ts to them. Every derivative is computed from the output a = f(z), which all of them allow
 * (leaky_relu because alpha >= 0 keeps the sign of z in a), so the core never stores z.
 * Elementwise ones run in f32x4 lanes (vecmath.ts); softmax works on whole rows.
 */

import { sigmoidv, tanhv } from "./vecmath";

/** Activation codes (exported as ACT_<name>: the TypeScript side reads them, so any distinct values work). */
export const IDENTITY = 0;
export const SIGMOID = 1;
export const TANH = 2;
export const RELU = 3;
export const LEAKY_RELU = 4;
export const STEP = 5;
export const SOFTMAX = 6;

// @ts-ignore: decorator
@inline function ld(p: usize, one: bool): v128 {
  return one ? f32x4.splat(load<f32>(p)) : v128.load(p);
}

// @ts-ignore: decorator
@inline function st(p: usize, v: v128, one: bool): void {
  if (one) store<f32>(p, f32x4.extract_lane(v, 0));
  else v128.store(p, v);
}

/** 1 where z > 0, else 0, per lane. */
// @ts-ignore: decorator
@inline function positive(z: v128): v128 {
  return v128.and(f32x4.gt(z, f32x4.splat(0)), f32x4.splat(1));
}

/** a = f(z) for an elementwise activation (act is a constant at every call site). */
// @ts-ignore: decorator
@inline function forwardV(act: i32, alpha: v128, z: v128): v128 {
  switch (act) {
    case SIGMOID: return sigmoidv(z);
    case TANH: return tanhv(z);
    case RELU: return f32x4.max(z, f32x4.splat(0));
    case LEAKY_RELU: return v128.bitselect(z, f32x4.mul(alpha, z), f32x4.gt(z, f32x4.splat(0)));
    case STEP: return positive(z);
    default: return z;
  }
}

/**
 * dz = g·f'(z) with f' taken from the output a. A product even where f' is 0, as the reference
 * does, so a non-finite g stays visible.
 */
// @ts-ignore: decorator
@inline function backwardV(act: i32, alpha: v128, a: v128, g: v128): v128 {
  switch (act) {
    case SIGMOID: return f32x4.mul(g, f32x4.mul(a, f32x4.sub(f32x4.splat(1), a)));
    case TANH: return f32x4.mul(g, f32x4.sub(f32x4.splat(1), f32x4.mul(a, a)));
    case RELU: return f32x4.mul(g, positive(a));
    case LEAKY_RELU: return f32x4.mul(g, v128.bitselect(f32x4.splat(1), alpha, f32x4.gt(a, f32x4.splat(0))));
    case STEP: return f32x4.mul(g, f32x4.splat(0));
    default: return g;
  }
}

/** a = f(z) over n values, four lanes at a time; the last n % 4 one by one through the same code. */
// @ts-ignore: decorator
@inline function mapForward(act: i32, alpha: f32, z: usize, a: usize, n: usize): void {
  const al = f32x4.splat(alpha);
  const end = n << 2, end4 = end & ~<usize>15;
  let o: usize = 0;
  for (; o < end4; o += 16) st(a + o, forwardV(act, al, ld(z + o, false)), false);
  for (; o < end; o += 4) st(a + o, forwardV(act, al, ld(z + o, true)), true);
}

/** dz = g·f'(a) over n values (as mapForward). */
// @ts-ignore: decorator
@inline function mapBackward(act: i32, alpha: f32, a: usize, g: usize, dz: usize, n: usize): void {
  const al = f32x4.splat(alpha);
  const end = n << 2, end4 = end & ~<usize>15;
  let o: usize = 0;
  for (; o < end4; o += 16) st(dz + o, backwardV(act, al, ld(a + o, false), ld(g + o, false)), false);
  for (; o < end; o += 4) st(dz + o, backwardV(act, al, ld(a + o, true), ld(g + o, true)), true);
}

/** Softmax of one row of n values, z to a (may alias): subtracts the row max before exp. */
function softmaxRow(z: usize, a: usize, n: i32): void {
  let mx = -Infinity as f32;
  for (let j = 0; j < n; j++) mx = max(mx, load<f32>(z + (<usize>j << 2)));
  let s: f64 = 0;
  for (let j = 0; j < n; j++) {
    const e = Mathf.exp(load<f32>(z + (<usize>j << 2)) - mx);
    store<f32>(a + (<usize>j << 2), e);
    s += e;
  }
  const inv = <f32>(1 / s);
  for (let j = 0; j < n; j++) store<f32>(a + (<usize>j << 2), load<f32>(a + (<usize>j << 2)) * inv);
}

/**
 * a = f(z) over rows×cols f32 values (softmax: per row). Writes a; a may be z (in place).
 */
export function activationForward(act: i32, alpha: f32, z: usize, a: usize, rows: i32, cols: i32): void {
  const n = <usize>rows * <usize>cols;
  switch (act) {
    case IDENTITY: {
      if (a != z) memory.copy(a, z, n << 2);
      break;
    }
    case SIGMOID: { mapForward(SIGMOID, alpha, z, a, n); break; }
    case TANH: { mapForward(TANH, alpha, z, a, n); break; }
    case RELU: { mapForward(RELU, alpha, z, a, n); break; }
    case LEAKY_RELU: { mapForward(LEAKY_RELU, alpha, z, a, n); break; }
    case STEP: { mapForward(STEP, alpha, z, a, n); break; }
    case SOFTMAX: {
      const row = <usize>cols << 2;
      for (let i = 0; i < rows; i++) softmaxRow(z + <usize>i * row, a + <usize>i * row, cols);
      break;
    }
    default: abort("unknown activation code");
  }
}

/**
 * dz = dL/dz from g = dL/da and the output a, over rows×cols: g·f'(a) elementwise, or for
 * softmax the full Jacobian per row, dz = a·(g - Σ g·a). Writes dz; dz may be g (in place).
 */
export function activationBackward(act: i32, alpha: f32, a: usize, g: usize, dz: usize, rows: i32, cols: i32): void {
  const n = <usize>rows * <usize>cols;
  switch (act) {
    case IDENTITY: {
      if (dz != g) memory.copy(dz, g, n << 2);
      break;
    }
    case SIGMOID: { mapBackward(SIGMOID, alpha, a, g, dz, n); break; }
    case TANH: { mapBackward(TANH, alpha, a, g, dz, n); break; }
    case RELU: { mapBackward(RELU, alpha, a, g, dz, n); break; }
    case LEAKY_RELU: { mapBackward(LEAKY_RELU, alpha, a, g, dz, n); break; }
    case STEP: { mapBackward(STEP, alpha, a, g, dz, n); break; }
    case SOFTMAX: {
      const row = <usize>cols << 2;
      for (let i = 0; i < rows; i++) {
        const pa = a + <usize>i * row, pg = g + <usize>i * row, pz = dz + <usize>i * row;
        let s: f64 = 0;
        for (let o: usize = 0; o < row; o += 4) s += <f64>load<f32>(pg + o) * <f64>load<f32>(pa + o);
        const sf = <f32>s;
        for (let o: usize = 0; o < row; o += 4) store<f32>(pz + o, load<f32>(pa + o) * (load<f32>(pg + o) - sf));
      }
      break;
    }
    default: abort("unknown activation code");
  }
}
