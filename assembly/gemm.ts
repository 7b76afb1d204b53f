/**
 * f32 matrix products, row-major: the drivers. They split C into register tiles (the
 * micro-kernels of gemm-kernels.ts), make passes over deep k, and pack only the small operand
 * panel a kernel walks with a long stride (B's 8-column panel for nn, A's 4-column strip for
 * tn): with power-of-two row lengths those strided walks hit the same few L1 sets and thrash
 * (see ../shared/notes/wasm-probe.md).
 *
 *   nn: C[m×n] = A[m×k] · B[k×n]
 *   tn: C[m×n] = Aᵀ · B[k×n], A stored [k×m]   (weight gradients: Xᵀ·dZ)
 *   nt: C[m×n] = A[m×k] · Bᵀ, B stored [n×k]   (input gradients: dZ·Wᵀ)
 *
 * nn and tn share one set of tiles that read A through two strides, so element (r, kk) of
 * op(A) lives at a + r*rsA + kk*csA; nt uses dot-product tiles over rows of A and rows of B.
 *
 * Every product takes an epilogue: `acc` adds the old C (C += ...), `bias` (0 for none) adds
 * bias[j] to every row, which fuses the Dense bias into the forward product.
 */
import { dot, ntTile2x4, out1, out4, tile1x32, tile1x4, tile1x8, tile4x4, tile4x8, tile6x8 } from "./gemm-kernels";

/** Depth of one pass over k: an 8-column panel of B this deep (16 KB) stays in L1. */
const KC = 512;

/**
 * Packing scratch: an 8-column panel of B for nn (32 bytes per k) and a 4-column strip of A
 * for tn (16 bytes per k), for one pass of depth KC. Static data for the instance that owns
 * memory; every other thread sharing that memory gets its own block (gemmSetScratch), since
 * static data sits at the same address in every instance.
 */
const PANEL_BYTES: usize = KC * 32;
const STRIP_BYTES: usize = KC * 16;
/** Bytes of scratch one thread needs (see gemmSetScratch). */
export const GEMM_SCRATCH_BYTES: usize = PANEL_BYTES + STRIP_BYTES;
// Threads builds have none: instantiating a worker rewrites every data segment of the shared
// memory, which would clobber static scratch in use; their scratch all comes from the arena.
let panel: usize = ASC_FEATURE_THREADS ? 0 : memory.data(<i32>PANEL_BYTES, 16);
let strip: usize = ASC_FEATURE_THREADS ? 0 : memory.data(<i32>STRIP_BYTES, 16);

/** Points this instance's packing scratch at GEMM_SCRATCH_BYTES at p (16-byte aligned), allocated by the owner of memory. */
export function gemmSetScratch(p: usize): void {
  panel = p;
  strip = p + PANEL_BYTES;
}

/**
 * C[m×n] (=|+=) op(A)·B (+ bias) with op(A)(r, kk) at a + r*rsA + kk*csA, B rows ldb bytes
 * apart and C rows ldc bytes apart (n columns of wider matrices are allowed). Writes only C.
 * Deep products run in passes of KC (the later ones accumulate).
 */
function gemmStrided(a: usize, rsA: usize, csA: usize, b: usize, ldb: usize, c: usize, ldc: usize, m: i32, n: i32, k: i32, bias: usize, acc: bool): void {
  if (k <= KC) {
    gemmPass(a, rsA, csA, b, ldb, c, ldc, m, n, k, bias, acc);
    return;
  }
  for (let k0 = 0; k0 < k; k0 += KC) {
    const first = k0 == 0;
    gemmPass(a + <usize>k0 * csA, rsA, csA, b + <usize>k0 * ldb, ldb, c, ldc, m, n, min(KC, k - k0), first ? bias : 0, first ? acc : true);
  }
}

/**
 * One pass of gemmStrided. Column blocks outside, row blocks inside, so an 8-column panel
 * of B (packed to the panel scratch when it is worth it) stays in L1 while every row block of A streams
 * past it.
 */
function gemmPass(a: usize, rsA: usize, csA: usize, b: usize, ldb: usize, c: usize, ldc: usize, m: i32, n: i32, k: i32, bias: usize, acc: bool): void {
  const pnl = panel;
  // Pack the panel when several row blocks will reuse it and B's rows are long.
  const pack = m >= 16 && n >= 64;
  // Rows below the taller tiles are done after the column blocks, in wide 1-row tiles.
  let tall = ASC_FEATURE_RELAXED_SIMD ? m - m % 6 : 0;
  tall += (m - tall) & ~3;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    let bj = b + (<usize>j << 2);
    let ldp = ldb;
    if (pack) {
      let src = bj;
      for (let kk = 0; kk < k; kk++) {
        v128.store(pnl + (<usize>kk << 5), v128.load(src));
        v128.store(pnl + (<usize>kk << 5), v128.load(src, 16), 16);
        src += ldb;
      }
      bj = pnl;
      ldp = 32;
    }
    const biasj = bias != 0 ? bias + (<usize>j << 2) : 0;
    let i = 0;
    if (ASC_FEATURE_RELAXED_SIMD) for (; i + 6 <= m; i += 6) {
      tile6x8(a + <usize>i * rsA, rsA, csA, bj, ldp, c + <usize>i * ldc + (<usize>j << 2), ldc, k, biasj, acc);
    }
    for (; i + 4 <= m; i += 4) {
      tile4x8(a + <usize>i * rsA, rsA, csA, bj, ldp, c + <usize>i * ldc + (<usize>j << 2), ldc, k, biasj, acc);
    }
  }
  for (let i = tall; i < m; i++) {
    const ai = a + <usize>i * rsA, ci = c + <usize>i * ldc;
    let jj = 0;
    for (; jj + 32 <= j; jj += 32) {
      tile1x32(ai, csA, b + (<usize>jj << 2), ldb, ci + (<usize>jj << 2), k, bias != 0 ? bias + (<usize>jj << 2) : 0, acc);
    }
    for (; jj < j; jj += 8) {
      tile1x8(ai, csA, b + (<usize>jj << 2), ldb, ci + (<usize>jj << 2), k, bias != 0 ? bias + (<usize>jj << 2) : 0, acc);
    }
  }
  if (j + 4 <= n) {
    const bj = b + (<usize>j << 2);
    const biasj = bias != 0 ? bias + (<usize>j << 2) : 0;
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      tile4x4(a + <usize>i * rsA, rsA, csA, bj, ldb, c + <usize>i * ldc + (<usize>j << 2), ldc, k, biasj, acc);
    }
    for (; i < m; i++) {
      tile1x4(a + <usize>i * rsA, csA, bj, ldb, c + <usize>i * ldc + (<usize>j << 2), k, biasj, acc);
    }
    j += 4;
  }
  // At most 3 columns left: plain dot products down the columns of B.
  for (; j < n; j++) {
    for (let i = 0; i < m; i++) {
      let s: f32 = 0;
      let pa = a + <usize>i * rsA, pb = b + (<usize>j << 2);
      for (let kk = 0; kk < k; kk++) {
        s += load<f32>(pa) * load<f32>(pb);
        pa += csA;
        pb += ldb;
      }
      out1(c + <usize>i * ldc + (<usize>j << 2), s, bias != 0 ? bias + (<usize>j << 2) : 0, acc);
    }
  }
}

/** C[m×n] = A[m×k]·B[k×n] (+= when accumulate != 0; + bias[n] per row when bias != 0). Writes C. */
export function gemmNN(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, bias: usize, accumulate: i32): void {
  // One output column (a binary classifier's last layer): B [k×1] is also Bᵀ [1×k], so the
  // SIMD dot-product kernel applies instead of a scalar walk down the column.
  if (n == 1 && k >= 4) {
    gemmNT(a, b, c, m, n, k, bias, accumulate);
    return;
  }
  const ld = <usize>n << 2;
  if (accumulate != 0) gemmStrided(a, <usize>k << 2, 4, b, ld, c, ld, m, n, k, bias, true);
  else gemmStrided(a, <usize>k << 2, 4, b, ld, c, ld, m, n, k, bias, false);
}

/**
 * One pass (k <= KC) of tn without bias. A's columns i..i+3 are strided by a whole row of A
 * (m floats; with m a power of two every access falls into the same few L1 sets), so each
 * strip is first copied to the strip scratch and then multiplied with every column panel of B.
 */
function tnPackedPass(a: usize, csA: usize, b: usize, c: usize, m: i32, n: i32, k: i32, acc: bool): void {
  const sp = strip;
  const ldb = <usize>n << 2;
  const ldc = ldb;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    let src = a + (<usize>i << 2);
    for (let kk = 0; kk < k; kk++) {
      v128.store(sp + (<usize>kk << 4), v128.load(src));
      src += csA;
    }
    const pc = c + <usize>i * ldc;
    let j = 0;
    for (; j + 8 <= n; j += 8) tile4x8(sp, 4, 16, b + (<usize>j << 2), ldb, pc + (<usize>j << 2), ldc, k, 0, acc);
    if (j + 4 <= n) {
      tile4x4(sp, 4, 16, b + (<usize>j << 2), ldb, pc + (<usize>j << 2), ldc, k, 0, acc);
      j += 4;
    }
    for (; j < n; j++) {
      for (let r = 0; r < 4; r++) {
        let s: f32 = 0;
        let pb = b + (<usize>j << 2);
        for (let kk = 0; kk < k; kk++) {
          s += load<f32>(sp + (<usize>kk << 4) + (<usize>r << 2)) * load<f32>(pb);
          pb += ldb;
        }
        out1(pc + <usize>r * ldc + (<usize>j << 2), s, 0, acc);
      }
    }
  }
  if (i < m) gemmPass(a + (<usize>i << 2), 4, csA, b, ldb, c + <usize>i * ldc, ldc, m - i, n, k, 0, acc);
}

/** C[m×n] = Aᵀ·B with A stored [k×m], B [k×n] (+= when accumulate != 0). Writes C. */
export function gemmTN(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, bias: usize, accumulate: i32): void {
  // One column: C[m×1] = Aᵀb is the row bᵀA [1×m], an nn product with SIMD across m.
  if (n == 1 && bias == 0) {
    gemmNN(b, a, c, 1, m, k, 0, accumulate);
    return;
  }
  if (bias == 0 && m >= 8 && n >= 8) {
    tnPacked(a, <usize>m << 2, b, c, m, n, k, accumulate != 0);
    return;
  }
  const ld = <usize>n << 2;
  if (accumulate != 0) gemmStrided(a, 4, <usize>m << 2, b, ld, c, ld, m, n, k, bias, true);
  else gemmStrided(a, 4, <usize>m << 2, b, ld, c, ld, m, n, k, bias, false);
}

/** tn through packed strips, in passes of depth KC; A's columns are csA bytes apart. */
function tnPacked(a: usize, csA: usize, b: usize, c: usize, m: i32, n: i32, k: i32, accumulate: bool): void {
  const ldb = <usize>n << 2;
  for (let k0 = 0; k0 < k; k0 += KC) {
    tnPackedPass(a + <usize>k0 * csA, csA, b + <usize>k0 * ldb, c, m, n, min(KC, k - k0), k0 > 0 || accumulate);
  }
}

/**
 * Rows [i0, i1) of the tn product C[m×n] = Aᵀ·B (no bias, C overwritten): the share of one
 * thread of a weight gradient. Every element goes through the same code path as in the whole
 * product, so a split gives bit-identical results: the path is chosen from the whole shape,
 * and with one output column (where C is computed as a row, columns i) i0 must be a multiple
 * of 8 so that the 8/4/1-column blocks fall where they would.
 */
export function gemmTNRows(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, i0: i32, i1: i32): void {
  if (i0 >= i1) return;
  if (i0 == 0 && i1 == m) {
    gemmTN(a, b, c, m, n, k, 0, 0);
    return;
  }
  const csA = <usize>m << 2;
  if (n == 1) {
    // As gemmTN does: the row bᵀA through the nn kernel, here its columns i0..i1.
    gemmStrided(b, <usize>k << 2, 4, a + (<usize>i0 << 2), csA, c + (<usize>i0 << 2), csA, 1, i1 - i0, k, 0, false);
    return;
  }
  const ldc = <usize>n << 2;
  if (m >= 8 && n >= 8) tnPacked(a + (<usize>i0 << 2), csA, b, c + <usize>i0 * ldc, i1 - i0, n, k, false);
  else gemmStrided(a + (<usize>i0 << 2), 4, csA, b, ldc, c + <usize>i0 * ldc, ldc, i1 - i0, n, k, 0, false);
}

/** Columns [j0, j1) of the nt product: every row pair of A against those rows of B. */
// @ts-ignore: decorator
@inline function ntPanel(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, j0: i32, j1: i32, bias: usize, acc: bool): void {
  const ld = <usize>k << 2;
  const ldc = <usize>n << 2;
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const pa = a + <usize>i * ld;
    const pc = c + <usize>i * ldc;
    let j = j0;
    for (; j + 4 <= j1; j += 4) {
      ntTile2x4(pa, b + <usize>j * ld, ld, pc + (<usize>j << 2), ldc, k, bias != 0 ? bias + (<usize>j << 2) : 0, acc, true);
    }
    for (; j < j1; j++) {
      const pb = b + <usize>j * ld;
      const bj = bias != 0 ? bias + (<usize>j << 2) : 0;
      out1(pc + (<usize>j << 2), dot(pa, pb, k), bj, acc);
      out1(pc + ldc + (<usize>j << 2), dot(pa + ld, pb, k), bj, acc);
    }
  }
  if (i < m) {
    const pa = a + <usize>i * ld;
    const pc = c + <usize>i * ldc;
    let j = j0;
    for (; j + 4 <= j1; j += 4) {
      ntTile2x4(pa, b + <usize>j * ld, ld, pc + (<usize>j << 2), ldc, k, bias != 0 ? bias + (<usize>j << 2) : 0, acc, false);
    }
    for (; j < j1; j++) {
      out1(pc + (<usize>j << 2), dot(pa, b + <usize>j * ld, k), bias != 0 ? bias + (<usize>j << 2) : 0, acc);
    }
  }
}

/**
 * The nt product with the epilogue as a compile-time flag (see gemmNT). Rows of B are taken
 * in blocks of about 16 KB, so a block stays in L1 while every row pair of A passes over it.
 */
function gemmNTImpl(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, bias: usize, acc: bool): void {
  const block = max(4, (4096 / max(k, 1)) & ~3);
  for (let j0 = 0; j0 < n; j0 += block) ntPanel(a, b, c, m, n, k, j0, min(n, j0 + block), bias, acc);
}

/** C[m×n] = A[m×k]·Bᵀ with B stored [n×k] (+= when accumulate != 0; + bias[n] when bias != 0). Writes C. */
export function gemmNT(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, bias: usize, accumulate: i32): void {
  // k = 1 is an outer product, and B [n×1] is also [1×n]: the nn kernel's 4×8 tiles fit it.
  if (k == 1) {
    const ld = <usize>n << 2;
    gemmStrided(a, 4, 4, b, ld, c, ld, m, n, 1, bias, accumulate != 0);
    return;
  }
  if (accumulate != 0) gemmNTImpl(a, b, c, m, n, k, bias, true);
  else gemmNTImpl(a, b, c, m, n, k, bias, false);
}

/** sums[n] = column sums of G[m×n] (the bias gradient), accumulated in f32 lanes. Writes sums. */
export function columnSums(g: usize, sums: usize, m: i32, n: i32): void {
  columnSumsRange(g, sums, m, n, 0, n);
}

/**
 * Columns [j0, j1) of columnSums: one thread's share. Each column is summed down the rows in
 * the same order whatever the range, so a split changes no bit.
 */
export function columnSumsRange(g: usize, sums: usize, m: i32, n: i32, j0: i32, j1: i32): void {
  const ld = <usize>n << 2;
  let j = j0;
  for (; j + 4 <= j1; j += 4) {
    let v = f32x4.splat(0);
    let p = g + (<usize>j << 2);
    for (let i = 0; i < m; i++) {
      v = f32x4.add(v, v128.load(p));
      p += ld;
    }
    v128.store(sums + (<usize>j << 2), v);
  }
  for (; j < j1; j++) {
    let s: f32 = 0;
    let p = g + (<usize>j << 2);
    for (let i = 0; i < m; i++) {
      s += load<f32>(p);
      p += ld;
    }
    store<f32>(sums + (<usize>j << 2), s);
  }
}
