/**
 * exp, sigmoid and tanh on four f32 lanes. Scalar Mathf.exp costs ~10 ns an element, which
 * made sigmoid layers cost more than their matrix products; these take ~2 ns (5x less).
 * Accuracy: exp within ~2 ulp on [-87, 88] (Cephes expf polynomial); inputs are clamped to
 * that range, so the results stay finite and normal; NaN stays NaN.
 *
 * The constants are read from a table in memory (one broadcast load each) rather than written
 * as f32x4.splat literals: Node 24's optimising compiler (Turboshaft) rebuilds every v128
 * constant inside the loop that uses it (three instructions each: ~20 of them per four lanes
 * here), which made sigmoid and tanh layers up to 2x slower than on Node 20.
 */

/** The kernels' constants, one f32 (or i32 bit pattern) each; k(i) broadcasts entry i. */
const K: usize = memory.data<u32>([
  0xc2ae0000, // 0: -87, the low clamp
  0x42b00000, // 1: 88, the high clamp
  0x3fb8aa3b, // 2: log2(e) = 1.44269504088896341
  0x3f000000, // 3: 0.5
  0x3f318000, // 4: 0.693359375, ln 2's high part
  0x395e8083, // 5: 2.12194440e-4, ln 2's low part (added back)
  0x39506967, // 6: 1.9875691500e-4 (exp polynomial, highest degree first)
  0x3ab743ce, // 7: 1.3981999507e-3
  0x3c088908, // 8: 8.3334519073e-3
  0x3d2aa9c1, // 9: 4.1665795894e-2
  0x3e2aaaaa, // 10: 1.6666665459e-1
  0x3f000000, // 11: 5.0000001201e-1 (rounds to 0.5 in f32)
  0x3f800000, // 12: 1
  0x4b400000, // 13: 1.5·2^23 (as f32 and as its bit pattern)
  127, // 14: the f32 exponent bias (i32)
  0xc0000000, // 15: -2
  0x80000000, // 16: the sign bit (i32)
  0x3cb327a4, // 17: 62/2835 (tanh's Taylor polynomial, highest degree first)
  0xbd5d0dd1, // 18: -17/315
  0x3e088889, // 19: 2/15
  0xbeaaaaab, // 20: -1/3
  0x3e99999a, // 21: 0.3, below which tanh takes the polynomial
]);

/** Entry i of K in all four lanes. */
// @ts-ignore: decorator
@inline function k(i: i32): v128 {
  return v128.load32_splat(K + (<usize>i << 2));
}

/**
 * e^x per lane, x clamped to [-87, 88] (e^-87 ≈ 1.6e-38, e^88 ≈ 1.7e38). The clamp takes
 * pmin / pmax (one instruction each; min / max take ~7 for their NaN and ±0 rules): a NaN
 * lane is the first operand and passes through, as with min / max.
 */
// @ts-ignore: decorator
@inline export function expv(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, k(0)), k(1));
  // x = n ln2 + r with |r| <= ln2/2; ln2 split in two so that n·ln2 is exact enough.
  const fx = f32x4.floor(f32x4.add(f32x4.mul(x, k(2)), k(3)));
  let r = f32x4.sub(x, f32x4.mul(fx, k(4)));
  r = f32x4.add(r, f32x4.mul(fx, k(5)));
  const z = f32x4.mul(r, r);
  let y = k(6);
  y = f32x4.add(f32x4.mul(y, r), k(7));
  y = f32x4.add(f32x4.mul(y, r), k(8));
  y = f32x4.add(f32x4.mul(y, r), k(9));
  y = f32x4.add(f32x4.mul(y, r), k(10));
  y = f32x4.add(f32x4.mul(y, r), k(11));
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), r), k(12));
  // 2^n built in the exponent bits: n + 127 lies in [1, 254] after the clamp. Adding 1.5·2^23
  // puts the integer n in the low mantissa bits (cheaper than a float-to-int conversion).
  const n = i32x4.sub(f32x4.add(fx, k(13)), k(13));
  const pow2 = i32x4.shl(i32x4.add(n, k(14)), 23);
  return f32x4.mul(y, pow2);
}

/** 1 / (1 + e^-z) per lane. Exact limits: 1 for large z, ~1e-38 (not 0) for very negative z. */
// @ts-ignore: decorator
@inline export function sigmoidv(z: v128): v128 {
  return f32x4.div(k(12), f32x4.add(k(12), expv(f32x4.neg(z))));
}

/**
 * tanh per lane: sign(z)·(1 - e)/(1 + e) with e = e^-2|z|, and near 0 (|z| < 0.3, where
 * 1 - e would cancel) its odd Taylor polynomial to z^9 (error < 2e-8 there).
 */
// @ts-ignore: decorator
@inline export function tanhv(z: v128): v128 {
  const az = f32x4.abs(z);
  const e = expv(f32x4.mul(az, k(15)));
  const t = f32x4.div(f32x4.sub(k(12), e), f32x4.add(k(12), e));
  const signed = v128.or(t, v128.and(z, k(16)));
  const z2 = f32x4.mul(z, z);
  let p = k(17);
  p = f32x4.add(f32x4.mul(p, z2), k(18));
  p = f32x4.add(f32x4.mul(p, z2), k(19));
  p = f32x4.add(f32x4.mul(p, z2), k(20));
  p = f32x4.add(z, f32x4.mul(f32x4.mul(p, z2), z));
  return v128.bitselect(p, signed, f32x4.lt(az, k(21)));
}
