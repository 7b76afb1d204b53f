/**
 * BatchNorm (torch.nn.BatchNorm1d semantics) over rows of F features, forward and backward,
 * float64. Shapes: x [rows × F]; gamma, beta, running mean and variance [F].
 */

/** What a training-mode forward pass keeps for the backward pass and the running update. */
export interface BatchNormCache {
  /** (x - mean) / sqrt(var + eps), [rows × F]. */
  xhat: Float64Array;
  /** 1 / sqrt(var + eps) per feature (biased batch variance). */
  invStd: Float64Array;
  /** The batch mean per feature. */
  mean: Float64Array;
  /** The unbiased batch variance per feature (NaN for a one-row batch, which has none). */
  unbiasedVar: Float64Array;
}

/**
 * Training mode: a new z = gamma · xhat + beta from the batch's own mean and biased variance,
 * and the cache. Mutates nothing.
 */
export function batchNormTrain(
  x: Float64Array,
  gamma: ArrayLike<number>,
  beta: ArrayLike<number>,
  rows: number,
  F: number,
  eps: number,
): { z: Float64Array; cache: BatchNormCache } {
  const mean = new Float64Array(F),
    invStd = new Float64Array(F),
    unbiasedVar = new Float64Array(F);
  for (let c = 0; c < F; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += x[r * F + c];
    const m = s / rows;
    let q = 0;
    for (let r = 0; r < rows; r++) q += (x[r * F + c] - m) ** 2;
    mean[c] = m;
    invStd[c] = 1 / Math.sqrt(q / rows + eps);
    unbiasedVar[c] = rows > 1 ? q / (rows - 1) : NaN;
  }
  const xhat = new Float64Array(rows * F),
    z = new Float64Array(rows * F);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < F; c++) {
      const h = (x[r * F + c] - mean[c]) * invStd[c];
      xhat[r * F + c] = h;
      z[r * F + c] = gamma[c] * h + beta[c];
    }
  }
  return { z, cache: { xhat, invStd, mean, unbiasedVar } };
}

/** Evaluation mode: a new z = gamma · (x - running mean) / sqrt(running var + eps) + beta. Mutates nothing. */
export function batchNormEval(
  x: Float64Array,
  gamma: ArrayLike<number>,
  beta: ArrayLike<number>,
  runMean: ArrayLike<number>,
  runVar: ArrayLike<number>,
  rows: number,
  F: number,
  eps: number,
): Float64Array {
  const z = new Float64Array(rows * F);
  for (let c = 0; c < F; c++) {
    const inv = 1 / Math.sqrt(runVar[c] + eps);
    for (let r = 0; r < rows; r++) z[r * F + c] = gamma[c] * (x[r * F + c] - runMean[c]) * inv + beta[c];
  }
  return z;
}

/**
 * From dz = dL/dz [rows × F]: new dgamma = Σ dz·xhat, dbeta = Σ dz and
 * dx = gamma · invStd / rows · (rows · dz - dbeta - xhat · dgamma). Mutates nothing.
 */
export function batchNormBackward(
  dz: ArrayLike<number>,
  gamma: ArrayLike<number>,
  cache: BatchNormCache,
  rows: number,
  F: number,
): { dgamma: Float64Array; dbeta: Float64Array; dx: Float64Array } {
  const { xhat, invStd } = cache;
  const dgamma = new Float64Array(F),
    dbeta = new Float64Array(F),
    dx = new Float64Array(rows * F);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < F; c++) {
      dgamma[c] += dz[r * F + c] * xhat[r * F + c];
      dbeta[c] += dz[r * F + c];
    }
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < F; c++) {
      const k = r * F + c;
      dx[k] = ((gamma[c] * invStd[c]) / rows) * (rows * dz[k] - dbeta[c] - xhat[k] * dgamma[c]);
    }
  }
  return { dgamma, dbeta, dx };
}

/**
 * The running estimates after an accepted step: (1 - momentum) · running + momentum · batch,
 * the variance with the unbiased batch variance. A one-row batch leaves them as they are.
 * Mutates runMean and runVar.
 */
export function batchNormUpdateRunning(runMean: Float64Array, runVar: Float64Array, cache: BatchNormCache, rows: number, momentum: number): void {
  if (rows < 2) return;
  for (let c = 0; c < runMean.length; c++) {
    runMean[c] = (1 - momentum) * runMean[c] + momentum * cache.mean[c];
    runVar[c] = (1 - momentum) * runVar[c] + momentum * cache.unbiasedVar[c];
  }
}
