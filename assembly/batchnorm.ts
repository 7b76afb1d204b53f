/**
 * BatchNorm (torch.nn.BatchNorm1d) over rows of F features: the kernels the step runs
 * (step.ts). Batch statistics are reductions over every row of the batch, so one thread
 * computes them, always in the same order (rows ascending, in f64): the result does not depend
 * on the team's size. The per-row parts (normalising, the input gradient) split by rows.
 *
 * A stage's `stats` block holds three f32 vectors of F: the batch mean, 1/sqrt(var + eps) of
 * the biased batch variance, and the unbiased batch variance (for the running estimate).
 */

/** Batch mean, inverse standard deviation and unbiased variance of x [rows × F] into stats. */
export function bnStats(x: usize, rows: i32, F: i32, eps: f32, stats: usize): void {
  const row = <usize>F << 2;
  const fb = <usize>F << 2;
  for (let c = 0; c < F; c++) {
    const col = x + (<usize>c << 2);
    let s: f64 = 0;
    for (let r = 0; r < rows; r++) s += <f64>load<f32>(col + <usize>r * row);
    const m = s / <f64>rows;
    let q: f64 = 0;
    for (let r = 0; r < rows; r++) {
      const d = <f64>load<f32>(col + <usize>r * row) - m;
      q += d * d;
    }
    const o = <usize>c << 2;
    store<f32>(stats + o, <f32>m);
    store<f32>(stats + fb + o, <f32>(1.0 / Math.sqrt(q / <f64>rows + <f64>eps)));
    store<f32>(stats + 2 * fb + o, rows > 1 ? <f32>(q / <f64>(rows - 1)) : 0);
  }
}

/** Rows [r0, r1): xhat = (x - mean) · invStd and out = gamma · xhat + beta, from stats. */
export function bnNormalize(x: usize, xhat: usize, out: usize, gamma: usize, beta: usize, stats: usize, r0: i32, r1: i32, F: i32): void {
  const fb = <usize>F << 2;
  for (let r = r0; r < r1; r++) {
    const base = <usize>r * fb;
    for (let c = 0; c < F; c++) {
      const o = <usize>c << 2;
      const h = (load<f32>(x + base + o) - load<f32>(stats + o)) * load<f32>(stats + fb + o);
      store<f32>(xhat + base + o, h);
      store<f32>(out + base + o, load<f32>(gamma + o) * h + load<f32>(beta + o));
    }
  }
}

/** Evaluation mode on `rows` rows: out = gamma · (x - running mean) / sqrt(running var + eps) + beta. */
export function bnEval(x: usize, out: usize, gamma: usize, beta: usize, runMean: usize, runVar: usize, eps: f32, rows: i32, F: i32): void {
  const fb = <usize>F << 2;
  for (let c = 0; c < F; c++) {
    const o = <usize>c << 2;
    const scale = load<f32>(gamma + o) / Mathf.sqrt(load<f32>(runVar + o) + eps);
    const m = load<f32>(runMean + o), b = load<f32>(beta + o);
    for (let r = 0; r < rows; r++) {
      const p = <usize>r * fb + o;
      store<f32>(out + p, (load<f32>(x + p) - m) * scale + b);
    }
  }
}

/** dgamma = Σ g · xhat and dbeta = Σ g over all `rows` rows of g [rows × F] (f64 sums, rows ascending). */
export function bnParamGradients(g: usize, xhat: usize, dgamma: usize, dbeta: usize, rows: i32, F: i32): void {
  const fb = <usize>F << 2;
  for (let c = 0; c < F; c++) {
    const o = <usize>c << 2;
    let sg: f64 = 0, sh: f64 = 0;
    for (let r = 0; r < rows; r++) {
      const p = <usize>r * fb + o;
      const v = <f64>load<f32>(g + p);
      sg += v;
      sh += v * <f64>load<f32>(xhat + p);
    }
    store<f32>(dgamma + o, <f32>sh);
    store<f32>(dbeta + o, <f32>sg);
  }
}

/** Rows [r0, r1) of g, in place: dx = gamma · invStd / rows · (rows · g - dbeta - xhat · dgamma). */
export function bnInputGradient(g: usize, xhat: usize, gamma: usize, stats: usize, dgamma: usize, dbeta: usize, r0: i32, r1: i32, F: i32, rows: i32): void {
  const fb = <usize>F << 2;
  const n = <f32>rows;
  for (let c = 0; c < F; c++) {
    const o = <usize>c << 2;
    const k = load<f32>(gamma + o) * load<f32>(stats + fb + o) / n;
    const dg = load<f32>(dgamma + o), db = load<f32>(dbeta + o);
    for (let r = r0; r < r1; r++) {
      const p = <usize>r * fb + o;
      store<f32>(g + p, k * (n * load<f32>(g + p) - db - load<f32>(xhat + p) * dg));
    }
  }
}

/** running <- (1 - momentum) · running + momentum · batch (variance: unbiased); a one-row batch changes nothing. */
export function bnUpdateRunning(runMean: usize, runVar: usize, stats: usize, momentum: f32, rows: i32, F: i32): void {
  if (rows < 2) return;
  const fb = <usize>F << 2;
  const keep = <f32>1 - momentum;
  for (let c = 0; c < F; c++) {
    const o = <usize>c << 2;
    store<f32>(runMean + o, keep * load<f32>(runMean + o) + momentum * load<f32>(stats + o));
    store<f32>(runVar + o, keep * load<f32>(runVar + o) + momentum * load<f32>(stats + 2 * fb + o));
  }
}
