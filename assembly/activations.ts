/**
 * Activation functions, each forward next to its derivative. Codes follow ACTIVATIONS in
 * src/plan.ts. Every derivative is computed from the output a = f(z), which all of them allow
 * (leaky_relu because alpha >= 0 keeps the sign of z in a), so the core never stores z.
 */

export const IDENTITY = 0;
export const SIGMOID = 1;
export const TANH = 2;
export const RELU = 3;
export const LEAKY_RELU = 4;
export const STEP = 5;
export const SOFTMAX = 6;

/** sigmoid(z) = 1/(1+e^-z); for z < 0 written as e^z/(1+e^z) so e^-z cannot overflow. */
// @ts-ignore: decorator
@inline export function sigmoid(z: f32): f32 {
  if (z >= 0) return 1 / (1 + Mathf.exp(-z));
  const e = Mathf.exp(z);
  return e / (1 + e);
}

/** The derivative f'(z) of an elementwise activation, from its output a. */
// @ts-ignore: decorator
@inline function derivative(act: i32, alpha: f32, a: f32): f32 {
  switch (act) {
    case SIGMOID: return a * (1 - a);
    case TANH: return 1 - a * a;
    case RELU: return a > 0 ? 1 : 0;
    case LEAKY_RELU: return a > 0 ? 1 : alpha;
    case STEP: return 0;
    default: return 1;
  }
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
  const end = n << 2;
  switch (act) {
    case IDENTITY: {
      if (a != z) memory.copy(a, z, end);
      break;
    }
    case SIGMOID: {
      for (let o: usize = 0; o < end; o += 4) store<f32>(a + o, sigmoid(load<f32>(z + o)));
      break;
    }
    case TANH: {
      for (let o: usize = 0; o < end; o += 4) store<f32>(a + o, Mathf.tanh(load<f32>(z + o)));
      break;
    }
    case RELU: {
      const zero = f32x4.splat(0);
      const e4 = end & ~<usize>15;
      let o: usize = 0;
      for (; o < e4; o += 16) v128.store(a + o, f32x4.max(v128.load(z + o), zero));
      for (; o < end; o += 4) store<f32>(a + o, max(load<f32>(z + o), 0));
      break;
    }
    case LEAKY_RELU: {
      for (let o: usize = 0; o < end; o += 4) {
        const v = load<f32>(z + o);
        store<f32>(a + o, v > 0 ? v : alpha * v);
      }
      break;
    }
    case STEP: {
      for (let o: usize = 0; o < end; o += 4) store<f32>(a + o, load<f32>(z + o) > 0 ? 1 : 0);
      break;
    }
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
  const end = n << 2;
  if (act == IDENTITY) {
    if (dz != g) memory.copy(dz, g, end);
  } else if (act == SOFTMAX) {
    const row = <usize>cols << 2;
    for (let i = 0; i < rows; i++) {
      const pa = a + <usize>i * row, pg = g + <usize>i * row, pz = dz + <usize>i * row;
      let s: f64 = 0;
      for (let o: usize = 0; o < row; o += 4) s += <f64>load<f32>(pg + o) * <f64>load<f32>(pa + o);
      const sf = <f32>s;
      for (let o: usize = 0; o < row; o += 4) store<f32>(pz + o, load<f32>(pa + o) * (load<f32>(pg + o) - sf));
    }
  } else if (act == RELU) {
    const zero = f32x4.splat(0);
    const e4 = end & ~<usize>15;
    let o: usize = 0;
    // g where a > 0, else 0, as a bit mask: no multiply, and the same result for any finite g.
    for (; o < e4; o += 16) v128.store(dz + o, v128.and(v128.load(g + o), f32x4.gt(v128.load(a + o), zero)));
    for (; o < end; o += 4) store<f32>(dz + o, load<f32>(a + o) > 0 ? load<f32>(g + o) : 0);
  } else {
    for (let o: usize = 0; o < end; o += 4) store<f32>(dz + o, load<f32>(g + o) * derivative(act, alpha, load<f32>(a + o)));
  }
}
