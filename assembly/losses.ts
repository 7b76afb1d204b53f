/**
 * Losses: the value (accumulated in f64) and dL/dy for a batch of network outputs y against
 * targets t, both rows×cols f32. Codes are exported as LOSS_<name> (index.ts) and read by
 * src/wasm/abi.ts for the names of LOSSES in src/plan.ts; the formulas are the ones
 * documented there and in ../shared/fixtures/README.md (B = rows, K = cols).
 */

/** Loss codes (exported as LOSS_<name>: the TypeScript side reads them). */
export const SSE = 0;
export const MSE = 1;
export const BCE = 2;
export const BCE_LOGITS = 3;
export const SOFTMAX_CE = 4;
export const CATEGORICAL_CE = 5;
export const SIGMOID_MSE = 6;
export const MAE = 7;
export const HUBER = 8;

// @ts-ignore: decorator
@inline function f(p: usize, i: usize): f64 {
  return <f64>load<f32>(p + (i << 2));
}

// @ts-ignore: decorator
@inline function put(p: usize, i: usize, v: f64): void {
  if (p != 0) store<f32>(p + (i << 2), <f32>v);
}

/** sigmoid in f64, written so that e^-z cannot overflow. */
// @ts-ignore: decorator
@inline function sigmoid64(z: f64): f64 {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Σ_k t_k over one row of `cols` targets. */
function rowSum(t: usize, cols: i32): f64 {
  let s: f64 = 0;
  for (let j = 0; j < cols; j++) s += f(t, j);
  return s;
}

/**
 * -Σ_k t_k log softmax(z)_k for one row; writes (softmax(z)·Σt - t)·scale into grad (if
 * non-zero). The Σt factor keeps the gradient that of the loss for soft or partial target rows
 * (an all-zero row has loss 0 and gradient 0); for rows summing to 1 it is softmax(z) - t.
 */
function softmaxCERow(z: usize, t: usize, grad: usize, cols: i32, scale: f64): f64 {
  const ts = rowSum(t, cols);
  let mx = -Infinity;
  for (let j = 0; j < cols; j++) mx = max(mx, f(z, j));
  let s: f64 = 0;
  for (let j = 0; j < cols; j++) s += Math.exp(f(z, j) - mx);
  const lse = mx + Math.log(s);
  let loss: f64 = 0;
  for (let j = 0; j < cols; j++) {
    const zj = f(z, j), tj = f(t, j);
    loss -= tj * (zj - lse);
    put(grad, j, (Math.exp(zj - lse) * ts - tj) * scale);
  }
  return loss;
}

/**
 * Returns the loss of y against t and, when grad != 0, writes dL/dy into grad (rows×cols).
 * With fusedSoftmax (categorical_ce after a softmax stage, y the probabilities) the gradient
 * is with respect to the softmax's logits: (y·Σt - t)/B per row. Mutates only grad.
 */
export function lossEval(code: i32, y: usize, t: usize, grad: usize, rows: i32, cols: i32, fusedSoftmax: i32, delta: f64): f64 {
  return lossRows(code, y, t, grad, rows, cols, fusedSoftmax, rows, delta);
}

/**
 * lossEval on `rows` rows that belong to a batch of `batch` rows (a thread's share): the
 * gradient is scaled for the whole batch, so each element is what lossEval on the whole batch
 * writes; the returned value covers these rows only (and is scaled by the whole batch).
 * `delta` is huber's threshold (ignored by the other losses).
 */
export function lossRows(code: i32, y: usize, t: usize, grad: usize, rows: i32, cols: i32, fusedSoftmax: i32, batch: i32, delta: f64): f64 {
  const n = <usize>rows * <usize>cols;
  const invN = 1.0 / (<f64>batch * <f64>cols);
  const invB = 1.0 / <f64>batch;
  let sum: f64 = 0;
  switch (code) {
    case SSE: {
      for (let i: usize = 0; i < n; i++) {
        const d = f(y, i) - f(t, i);
        sum += d * d;
        put(grad, i, d);
      }
      return 0.5 * sum;
    }
    case MSE: {
      for (let i: usize = 0; i < n; i++) {
        const d = f(y, i) - f(t, i);
        sum += d * d;
        put(grad, i, 2 * d * invN);
      }
      return sum * invN;
    }
    case BCE: {
      for (let i: usize = 0; i < n; i++) {
        const p = f(y, i), ti = f(t, i);
        // PyTorch BCELoss clamps each log at -100 so that p = 0 or 1 stays finite.
        const lp = max(Math.log(p), -100.0), lq = max(Math.log(1 - p), -100.0);
        sum -= ti * lp + (1 - ti) * lq;
        put(grad, i, (p - ti) / max(p * (1 - p), 1e-12) * invN);
      }
      return sum * invN;
    }
    case BCE_LOGITS: {
      for (let i: usize = 0; i < n; i++) {
        const z = f(y, i), ti = f(t, i);
        sum += max(z, 0.0) - z * ti + Math.log1p(Math.exp(-Math.abs(z)));
        const s = sigmoid64(z);
        put(grad, i, (s - ti) * invN);
      }
      return sum * invN;
    }
    case SOFTMAX_CE: {
      const row = <usize>cols << 2;
      for (let r = 0; r < rows; r++) {
        const o = <usize>r * row;
        sum += softmaxCERow(y + o, t + o, grad != 0 ? grad + o : 0, cols, invB);
      }
      return sum * invB;
    }
    case CATEGORICAL_CE: {
      for (let r = 0; r < rows; r++) {
        const o = <usize>r * <usize>cols;
        // Through the softmax the gradient is p·Σt - t: Σt is 1 for one-hot rows, not for soft ones.
        const ts = fusedSoftmax != 0 ? rowSum(t + (o << 2), cols) : 0;
        for (let j = 0; j < cols; j++) {
          const i = o + <usize>j;
          const p = f(y, i), ti = f(t, i);
          const pc = max(p, 1e-7);
          sum -= ti * Math.log(pc);
          put(grad, i, fusedSoftmax != 0 ? (p * ts - ti) * invB : -ti / (pc * <f64>batch));
        }
      }
      return sum * invB;
    }
    case SIGMOID_MSE: {
      for (let i: usize = 0; i < n; i++) {
        const s = sigmoid64(f(y, i)), ti = f(t, i);
        const d = s - ti;
        sum += d * d;
        put(grad, i, 2 * d * s * (1 - s) * invN);
      }
      return sum * invN;
    }
    case MAE: {
      for (let i: usize = 0; i < n; i++) {
        const d = f(y, i) - f(t, i);
        sum += Math.abs(d);
        // sign(d): the subgradient at d = 0 is 0, as PyTorch's L1Loss.
        put(grad, i, d > 0 ? invN : d < 0 ? -invN : 0.0);
      }
      return sum * invN;
    }
    case HUBER: {
      for (let i: usize = 0; i < n; i++) {
        const d = f(y, i) - f(t, i);
        const ad = Math.abs(d);
        sum += ad <= delta ? 0.5 * d * d : delta * (ad - 0.5 * delta);
        put(grad, i, max(-delta, min(delta, d)) * invN);
      }
      return sum * invN;
    }
    default: abort("unknown loss code");
  }
  return 0;
}
