/**
 * The register tiles of the nn/tn products (gemm.ts): each computes a block of C over the whole
 * depth k in f32x4 accumulators and stores it through the epilogue (out4/out1: optional C +=
 * and bias). Element (r, kk) of op(A) is at a + r*rsA + kk*csA; B rows are ldb bytes apart.
 */
import { madd } from "./simd";

/** Stores four lanes of C at p, adding the old C when acc and bias[..4] when bias != 0. */
// @ts-ignore: decorator
@inline export function out4(p: usize, v: v128, bias: usize, acc: bool): void {
  if (acc) v = f32x4.add(v, v128.load(p));
  if (bias != 0) v = f32x4.add(v, v128.load(bias));
  v128.store(p, v);
}

/** Stores one element of C at p, with the same epilogue as out4. */
// @ts-ignore: decorator
@inline export function out1(p: usize, v: f32, bias: usize, acc: bool): void {
  if (acc) v += load<f32>(p);
  if (bias != 0) v += load<f32>(bias);
  store<f32>(p, v);
}

/** 4×8 tile of the strided kernel: C rows at c, c+ldc, ...; a at row i, b and bias at column j. */
// @ts-ignore: decorator
@inline export function tile4x8(a: usize, rsA: usize, csA: usize, b: usize, ldb: usize, c: usize, ldc: usize, k: i32, bias: usize, acc: bool): void {
  const z = f32x4.splat(0);
  let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
  const rs2 = rsA << 1, rs3 = rsA * 3;
  let pa = a, pb = b;
  for (let kk = 0; kk < k; kk++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let x = v128.load32_splat(pa);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(pa + rsA);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(pa + rs2);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(pa + rs3);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    pa += csA;
    pb += ldb;
  }
  const b4 = bias != 0 ? bias + 16 : 0;
  out4(c, c00, bias, acc); out4(c + 16, c01, b4, acc); c += ldc;
  out4(c, c10, bias, acc); out4(c + 16, c11, b4, acc); c += ldc;
  out4(c, c20, bias, acc); out4(c + 16, c21, b4, acc); c += ldc;
  out4(c, c30, bias, acc); out4(c + 16, c31, b4, acc);
}

/** 1×8 tile (the rows left over below the 4-row blocks). */
// @ts-ignore: decorator
@inline export function tile1x8(a: usize, csA: usize, b: usize, ldb: usize, c: usize, k: i32, bias: usize, acc: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  let pa = a, pb = b;
  for (let kk = 0; kk < k; kk++) {
    const x = v128.load32_splat(pa);
    c0 = madd(x, v128.load(pb), c0);
    c1 = madd(x, v128.load(pb, 16), c1);
    pa += csA;
    pb += ldb;
  }
  out4(c, c0, bias, acc);
  out4(c + 16, c1, bias != 0 ? bias + 16 : 0, acc);
}

/** 4×4 tile (one block of 4 columns left over right of the 8-column blocks). */
// @ts-ignore: decorator
@inline export function tile4x4(a: usize, rsA: usize, csA: usize, b: usize, ldb: usize, c: usize, ldc: usize, k: i32, bias: usize, acc: bool): void {
  const z = f32x4.splat(0);
  let c0 = z, c1 = z, c2 = z, c3 = z;
  const rs2 = rsA << 1, rs3 = rsA * 3;
  let pa = a, pb = b;
  for (let kk = 0; kk < k; kk++) {
    const b0 = v128.load(pb);
    c0 = madd(v128.load32_splat(pa), b0, c0);
    c1 = madd(v128.load32_splat(pa + rsA), b0, c1);
    c2 = madd(v128.load32_splat(pa + rs2), b0, c2);
    c3 = madd(v128.load32_splat(pa + rs3), b0, c3);
    pa += csA;
    pb += ldb;
  }
  out4(c, c0, bias, acc); c += ldc;
  out4(c, c1, bias, acc); c += ldc;
  out4(c, c2, bias, acc); c += ldc;
  out4(c, c3, bias, acc);
}

/** 1×4 tile. */
// @ts-ignore: decorator
@inline export function tile1x4(a: usize, csA: usize, b: usize, ldb: usize, c: usize, k: i32, bias: usize, acc: bool): void {
  let c0 = f32x4.splat(0);
  let pa = a, pb = b;
  for (let kk = 0; kk < k; kk++) {
    c0 = madd(v128.load32_splat(pa), v128.load(pb), c0);
    pa += csA;
    pb += ldb;
  }
  out4(c, c0, bias, acc);
}

