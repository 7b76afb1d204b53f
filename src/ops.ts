/**
 * Op-level access to a backend's kernels, so one test helper can check every op of the
 * WebAssembly core against the float64 reference (forward and gradient) on random shapes.
 * Every function returns fresh float64 arrays and mutates nothing the caller passed.
 */
import type { ActivationName, LossName } from './plan.js';

export type GemmKind = 'nn' | 'tn' | 'nt';

export interface Ops {
  /**
   * C[m×n] = op(A)·op(B) with row-major operands:
   * 'nn': A[m×k]·B[k×n];  'tn': A is stored [k×m], C = Aᵀ·B[k×n];  'nt': B is stored [n×k], C = A[m×k]·Bᵀ.
   */
  gemm(kind: GemmKind, a: ArrayLike<number>, b: ArrayLike<number>, m: number, n: number, k: number): Float64Array;
  /** The fused dense forward: act(x[rows×inSize]·W[inSize×outSize] + b) (b may be null). */
  denseForward(
    x: ArrayLike<number>,
    w: ArrayLike<number>,
    b: ArrayLike<number> | null,
    rows: number,
    inSize: number,
    outSize: number,
    act: ActivationName,
    alpha: number,
  ): Float64Array;
  /** a = act(z) over rows×cols (softmax per row). */
  activationForward(act: ActivationName, alpha: number, z: ArrayLike<number>, rows: number, cols: number): Float64Array;
  /** dL/dz from the upstream gradient g = dL/da, given z and a = act(z) (softmax: the full Jacobian per row). */
  activationBackward(
    act: ActivationName,
    alpha: number,
    z: ArrayLike<number>,
    a: ArrayLike<number>,
    g: ArrayLike<number>,
    rows: number,
    cols: number,
  ): Float64Array;
  /**
   * Loss value and dL/dy for a network output y against targets t (rows×cols). With
   * fusedSoftmax (categorical_ce after a softmax stage) the gradient is with respect to the
   * logits: (y - t)/rows, y being the softmax probabilities. `delta` is huber's (default 1).
   */
  loss(
    name: LossName,
    y: ArrayLike<number>,
    t: ArrayLike<number>,
    rows: number,
    cols: number,
    fusedSoftmax: boolean,
    delta?: number,
  ): { value: number; grad: Float64Array };
}
