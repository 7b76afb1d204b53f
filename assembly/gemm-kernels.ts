/**
 * The GEMM micro-kernels: every register tile and the epilogue they store through. The drivers
 * (gemm.ts) walk C in blocks and pack panels; each block is one call here, inlined.
 *
 * nn/tn tiles (4×8, 1×8, 4×4, 1×4): a block of C over the whole depth k in f32x4 accumulators.
 * Element (r, kk) of op(A) is at a + r*rsA + kk*csA; B rows are ldb bytes apart. 4×8 is the
 * largest that fits: 8 accumulators + 2 B vectors + 1 broadcast stay within the 15 xmm
 * registers V8 hands out (8×8 would spill).
 *
 * nt tile (2×4) and dot: dot products of rows of A with rows of B, reduced with shuffles.
 *
 * The epilogue (out4/out1): `acc` adds the old C (C += ...), `bias` (0 for none) adds bias[j].
 */
import { madd, hsum, hsum4 } from "./simd";

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

/** The bias pointer `o` bytes on (0 stays 0: no bias). */
// @ts-ignore: decorator
@inline function at(bias: usize, o: usize): usize {
  return bias != 0 ? bias + o : 0;
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

/**
 * 6×8 tile, for the relaxed-SIMD build: a fused multiply-add has a latency of about 4 cycles
 * and two issue ports, so 8 accumulators (4×8) leave no slack; 12 hide it, and 12 + 2 B
 * vectors + 1 broadcast still fit V8's 15 registers. Each element sums over k in the same
 * order as in 4×8, so the tile shape does not change a single result.
 */
// @ts-ignore: decorator
@inline export function tile6x8(a: usize, rsA: usize, csA: usize, b: usize, ldb: usize, c: usize, ldc: usize, k: i32, bias: usize, acc: bool): void {
  const z = f32x4.splat(0);
  let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
  const rs2 = rsA << 1, rs3 = rsA * 3, rs4 = rsA << 2, rs5 = rsA * 5;
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
    x = v128.load32_splat(pa + rs4);
    c40 = madd(x, b0, c40); c41 = madd(x, b1, c41);
    x = v128.load32_splat(pa + rs5);
    c50 = madd(x, b0, c50); c51 = madd(x, b1, c51);
    pa += csA;
    pb += ldb;
  }
  const b4 = bias != 0 ? bias + 16 : 0;
  out4(c, c00, bias, acc); out4(c + 16, c01, b4, acc); c += ldc;
  out4(c, c10, bias, acc); out4(c + 16, c11, b4, acc); c += ldc;
  out4(c, c20, bias, acc); out4(c + 16, c21, b4, acc); c += ldc;
  out4(c, c30, bias, acc); out4(c + 16, c31, b4, acc); c += ldc;
  out4(c, c40, bias, acc); out4(c + 16, c41, b4, acc); c += ldc;
  out4(c, c50, bias, acc); out4(c + 16, c51, b4, acc);
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

/**
 * 1×32 tile: one row of C against 32 columns of B, for rows left over below the taller tiles
 * (a single-sample predict is all such a row). 1×8 has two accumulators, each a chain of k
 * dependent multiply-adds, so it runs at the adds' (or FMAs') latency; eight chains hide it.
 * Each element sums over k in the same order as in the other tiles: no result changes.
 */
// @ts-ignore: decorator
@inline export function tile1x32(a: usize, csA: usize, b: usize, ldb: usize, c: usize, k: i32, bias: usize, acc: bool): void {
  const z = f32x4.splat(0);
  let c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
  let pa = a, pb = b;
  for (let kk = 0; kk < k; kk++) {
    const x = v128.load32_splat(pa);
    c0 = madd(x, v128.load(pb), c0); c1 = madd(x, v128.load(pb, 16), c1);
    c2 = madd(x, v128.load(pb, 32), c2); c3 = madd(x, v128.load(pb, 48), c3);
    c4 = madd(x, v128.load(pb, 64), c4); c5 = madd(x, v128.load(pb, 80), c5);
    c6 = madd(x, v128.load(pb, 96), c6); c7 = madd(x, v128.load(pb, 112), c7);
    pa += csA;
    pb += ldb;
  }
  out4(c, c0, bias, acc); out4(c + 16, c1, at(bias, 16), acc); out4(c + 32, c2, at(bias, 32), acc); out4(c + 48, c3, at(bias, 48), acc);
  out4(c + 64, c4, at(bias, 64), acc); out4(c + 80, c5, at(bias, 80), acc); out4(c + 96, c6, at(bias, 96), acc); out4(c + 112, c7, at(bias, 112), acc);
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

/** Dot product of k contiguous floats at pa and pb: SIMD over the multiple of 4, then the tail. */
// @ts-ignore: decorator
@inline export function dot(pa: usize, pb: usize, k: i32): f32 {
  const k4 = k & ~3;
  let v = f32x4.splat(0);
  let off: usize = 0;
  const end = <usize>k4 << 2;
  for (; off < end; off += 16) v = madd(v128.load(pa + off), v128.load(pb + off), v);
  let s = hsum(v);
  for (let kk = k4; kk < k; kk++) s += load<f32>(pa + (<usize>kk << 2)) * load<f32>(pb + (<usize>kk << 2));
  return s;
}

/** Four floats B[j..j+3][kk] gathered from four rows of B (the k tail of the nt kernel). */
// @ts-ignore: decorator
@inline function column4(pb: usize, ldb: usize, kk: i32): v128 {
  const o = <usize>kk << 2;
  let v = f32x4.splat(load<f32>(pb + o));
  v = f32x4.replace_lane(v, 1, load<f32>(pb + ldb + o));
  v = f32x4.replace_lane(v, 2, load<f32>(pb + (ldb << 1) + o));
  return f32x4.replace_lane(v, 3, load<f32>(pb + ldb * 3 + o));
}

/** 2×4 tile of nt: rows pa, pa+lda of A against rows pb..pb+3*ldb of B. */
// @ts-ignore: decorator
@inline export function ntTile2x4(pa: usize, pb: usize, ld: usize, c: usize, ldc: usize, k: i32, bias: usize, acc: bool, two: bool): void {
  const z = f32x4.splat(0);
  let s00 = z, s01 = z, s02 = z, s03 = z, s10 = z, s11 = z, s12 = z, s13 = z;
  const k4 = k & ~3;
  const end = <usize>k4 << 2;
  const pa1 = two ? pa + ld : pa;
  for (let off: usize = 0; off < end; off += 16) {
    const b0 = v128.load(pb + off), b1 = v128.load(pb + ld + off);
    const b2 = v128.load(pb + (ld << 1) + off), b3 = v128.load(pb + ld * 3 + off);
    const a0 = v128.load(pa + off);
    s00 = madd(a0, b0, s00); s01 = madd(a0, b1, s01); s02 = madd(a0, b2, s02); s03 = madd(a0, b3, s03);
    if (two) {
      const a1 = v128.load(pa1 + off);
      s10 = madd(a1, b0, s10); s11 = madd(a1, b1, s11); s12 = madd(a1, b2, s12); s13 = madd(a1, b3, s13);
    }
  }
  let r0 = hsum4(s00, s01, s02, s03);
  let r1 = two ? hsum4(s10, s11, s12, s13) : z;
  for (let kk = k4; kk < k; kk++) {
    const bt = column4(pb, ld, kk);
    r0 = madd(v128.load32_splat(pa + (<usize>kk << 2)), bt, r0);
    if (two) r1 = madd(v128.load32_splat(pa1 + (<usize>kk << 2)), bt, r1);
  }
  out4(c, r0, bias, acc);
  if (two) out4(c + ldc, r1, bias, acc);
}
