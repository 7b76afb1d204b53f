/**
 * Input checks at memory speed: fit copies a caller's Float32Array into the arena and asks the
 * core where its first NaN or ±Infinity is, instead of walking 47 M values in JavaScript
 * (~2 ns each there, ~0.1 ns here). Reads only.
 */

/** Values per block tested at once; a bad block is then walked one value at a time. */
const BLOCK: i32 = 64;

/** True when the BLOCK f32 values at p are finite: v - v is 0 unless v is Inf or NaN. */
@inline function blockFinite(p: usize): bool {
  let a = f32x4.splat(0);
  let b = f32x4.splat(0);
  for (let o: usize = 0; o < <usize>BLOCK << 2; o += 32) {
    const u = v128.load(p + o);
    const v = v128.load(p + o + 16);
    a = f32x4.add(a, f32x4.sub(u, u));
    b = f32x4.add(b, f32x4.sub(v, v));
  }
  return v128.all_true<i32>(f32x4.eq(f32x4.add(a, b), f32x4.splat(0)));
}

/** Index of the first NaN or ±Infinity among the n f32 values at p, or -1 when all are finite. */
export function firstNonFinite(p: usize, n: i32): i32 {
  let i: i32 = 0;
  for (; i + BLOCK <= n; i += BLOCK) {
    if (!blockFinite(p + (<usize>i << 2))) break;
  }
  for (; i < n; i++) {
    const v = load<f32>(p + (<usize>i << 2));
    if (v - v != 0) return i;
  }
  return -1;
}
