/**
 * Weighted losses (fit's sampleWeight / classWeight, Keras's default reduction): a batch of B
 * rows has loss (1/B) Σ_r w_r ℓ_r, ℓ_r being row r's loss as lossRows gives it for one row of
 * the batch, so each row's value and gradient are simply multiplied by its weight. Only steps
 * of a net whose rowWeights is set come here; unweighted steps never do.
 */
import { lossRows } from "./losses";
import { Net } from "./network";

/** The weight of batch row r: w[order[start + r]] when the batch is gathered, else w[start + r]. */
// @ts-ignore: decorator
@inline function rowWeight(w: usize, order: usize, start: i32, r: i32): f64 {
  const idx = order != 0 ? <usize>load<i32>(order + (<usize>(start + r) << 2)) : <usize>(start + r);
  return <f64>load<f32>(w + (idx << 2));
}

/**
 * Rows [r0, r1) of a batch of `count` rows (outputs at out, targets at Y, both batch-indexed):
 * returns Σ w_r ℓ_r scaled for the whole batch and, when grad != 0, writes w_r · dℓ_r/dy into
 * grad's rows. Rows are summed in order, so a team's thread 0 summing all rows gets the value
 * one thread gets. Mutates only grad.
 */
export function weightedLossRows(net: Net, out: usize, Y: usize, grad: usize, r0: i32, r1: i32, count: i32, order: usize, start: i32): f64 {
  const cols = net.outputSize;
  const row = <usize>cols << 2;
  let sum: f64 = 0;
  for (let r = r0; r < r1; r++) {
    const o = <usize>r * row;
    const w = rowWeight(net.rowWeights, order, start, r);
    const g = grad != 0 ? grad + o : 0;
    sum += w * lossRows(net.loss, out + o, Y + o, g, 1, cols, net.fused, count, net.huberDelta);
    if (g != 0) {
      for (let j = 0; j < cols; j++) {
        const p = g + (<usize>j << 2);
        store<f32>(p, <f32>(<f64>load<f32>(p) * w));
      }
    }
  }
  return sum;
}
