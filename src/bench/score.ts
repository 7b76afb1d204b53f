/**
 * Scoring a trained network the same way for every system: its outputs on a split go in, the
 * workload's loss (float64) and accuracy come out. Systems whose last layer cannot be linear
 * (brain.js: one activation everywhere) hand in probabilities instead of logits.
 */
import type { Split, Workload } from './workloads.js';

/** Loss and accuracy of outputs (rows × targetCols) against a split's targets. */
export interface Score {
  loss: number;
  accuracy: number;
}

/**
 * Scores outputs against `split`. `probabilities`: the outputs are already sigmoid / softmax-like
 * values (brain.js), so the cross-entropies are taken of them (a softmax row is renormalised)
 * rather than of logits. Pure: reads its inputs only.
 */
export function scoreOutputs(w: Workload, out: ArrayLike<number>, split: Split, probabilities = false): Score {
  const cols = split.targetCols;
  const rows = split.rows;
  const t = split.targets;
  let loss = 0;
  let hits = 0;
  const logit = !probabilities && (w.loss === 'bce_logits' || w.loss === 'softmax_ce');
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    if (w.loss === 'softmax_ce') {
      let m = -Infinity,
        best = 0;
      for (let c = 0; c < cols; c++)
        if (out[o + c] > m) {
          m = out[o + c];
          best = c;
        }
      let sum = 0;
      for (let c = 0; c < cols; c++) sum += logit ? Math.exp(out[o + c] - m) : Math.max(out[o + c], 1e-12);
      const label = split.labels[r];
      loss -= logit ? out[o + label] - m - Math.log(sum) : Math.log(Math.max(out[o + label], 1e-12) / sum);
      if (best === label) hits++;
    } else if (w.loss === 'bce_logits') {
      const z = out[o],
        y = t[o];
      if (logit) loss += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
      else loss -= y * Math.log(Math.max(z, 1e-12)) + (1 - y) * Math.log(Math.max(1 - z, 1e-12));
      if ((z > (logit ? 0 : 0.5) ? 1 : 0) === y) hits++;
    } else {
      for (let c = 0; c < cols; c++) loss += (out[o + c] - t[o + c]) ** 2;
      let pred: number;
      if (cols === 1) pred = out[o] > 0.5 ? 1 : 0;
      else {
        pred = 0;
        for (let c = 1; c < cols; c++) if (out[o + c] > out[o + pred]) pred = c;
      }
      if (pred === split.labels[r]) hits++;
    }
  }
  if (w.loss === 'sse') loss *= 0.5;
  else if (w.loss === 'mse') loss /= rows * cols;
  else loss /= rows;
  return { loss, accuracy: hits / rows };
}
