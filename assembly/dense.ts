/**
 * A Dense stage of the core, y = act(x·W + b) with W row-major [inSize × outSize]: its forward
 * and its backward side by side, as src/reference/dense.ts has them in float64. Both are
 * written for a team (team.ts): the caller passes the rows (and thread) whose share to run, and
 * every output element is computed by one thread with the code one thread would use.
 */
import { gemmNN, gemmTNRows, gemmNT, columnSumsRange } from "./gemm";
import { activationForward } from "./activations";
import { shareStart } from "./team";
import { Net, Stage } from "./network";

/**
 * out = act(input·W + b) for `rows` rows of net's Dense stage s (W and b in net.params at the
 * stage's offsets); the activation runs in place on out. Writes only out.
 */
// @ts-ignore: decorator
@inline export function denseForward(net: Net, s: Stage, input: usize, out: usize, rows: i32): void {
  const bias = s.bOff >= 0 ? net.params + <usize>s.bOff : 0;
  gemmNN(input, net.params + <usize>s.wOff, out, rows, s.outSize, s.inSize, bias, 0);
  activationForward(s.act, s.alpha, out, out, rows, s.outSize);
}

/**
 * Thread tid's share (of a team of nt) of the backward pass of net's Dense stage s, from
 * dz = dL/dz [count × outSize], complete for every row of the batch, and the stage's input
 * [count × inSize]:
 *   dW = inputᵀ·dz, its rows [i0, i1) (8-aligned), into grads at the stage's W offset;
 *   db = column sums of dz, its columns [j0, j1) (4-aligned), into grads at the b offset;
 *   dx = dz·Wᵀ, batch rows [r0, r1), into dx when `withDx` (the first stage's input needs none).
 * dW and db sum over every row, so the caller waits for all of dz first (a barrier); dx only
 * needs its own rows. Writes only those parts of grads and dx.
 */
// @ts-ignore: decorator
@inline export function denseBackward(net: Net, s: Stage, grads: usize, input: usize, dz: usize, dx: usize, withDx: bool,
  count: i32, r0: i32, r1: i32, tid: i32, nt: i32): void {
  const i0 = shareStart(s.inSize, nt, tid, 8), i1 = shareStart(s.inSize, nt, tid + 1, 8);
  gemmTNRows(input, dz, grads + <usize>s.wOff, s.inSize, s.outSize, count, i0, i1);
  if (s.bOff >= 0) {
    const j0 = shareStart(s.outSize, nt, tid, 4), j1 = shareStart(s.outSize, nt, tid + 1, 4);
    columnSumsRange(dz, grads + <usize>s.bOff, count, s.outSize, j0, j1);
  }
  if (withDx && r1 > r0) {
    const row = <usize>s.outSize << 2, inB = <usize>s.inSize << 2;
    gemmNT(dz + <usize>r0 * row, net.params + <usize>s.wOff, dx + <usize>r0 * inB, r1 - r0, s.inSize, s.outSize, 0, 0);
  }
}
