/**
 * Matrix multiply in three plain loops, float64. Row-major operands; the engine's dense
 * forward is gemm 'nn', its weight gradient 'tn' (xᵀ·dz) and its input gradient 'nt' (dz·Wᵀ).
 */
import type { GemmKind } from '../ops.js';

/**
 * A new C[m×n] = op(A)·op(B): 'nn' A[m×k]·B[k×n]; 'tn' A stored [k×m], Aᵀ·B[k×n];
 * 'nt' A[m×k]·Bᵀ with B stored [n×k]. Mutates nothing.
 */
export function gemm(kind: GemmKind, a: ArrayLike<number>, b: ArrayLike<number>, m: number, n: number, k: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const aip = kind === 'tn' ? a[p * m + i] : a[i * k + p];
        const bpj = kind === 'nt' ? b[j * k + p] : b[p * n + j];
        sum += aip * bpj;
      }
      c[i * n + j] = sum;
    }
  }
  return c;
}
