/**
 * jax-js 0.1.25 (npm @jax-js/jax) on the standard workloads: the wasm device (`init('wasm')`),
 * the loss written in jax-js numpy ops, and one `jit`-compiled step of `valueAndGrad` plus the
 * plain SGD update, fed fresh batch arrays from Float32Array subarrays. Same data, initial
 * weights, loss and SGD as wasmlp. jax-js arrays are reference counted: every function takes
 * ownership of its arguments, so an array used twice is passed as `a.ref` the first time.
 */
import { init, jit, valueAndGrad, numpy as np, nn, blockUntilReady } from '@jax-js/jax';
import { batchRows, forwardFlops, initialWeights, inferenceWeights, processMemory, scoreOutputs, stepsOf, warmInference, warmThenTime } from './common.js';

let started = null;
/** Starts the wasm device once. */
async function ready() {
  started ??= init('wasm');
  await started;
}

const ACT = { relu: (z) => nn.relu(z), sigmoid: (z) => nn.sigmoid(z), tanh: (z) => np.tanh(z), identity: (z) => z };

/** The network's output for x; takes ownership of params (an array of W, b) and x. */
function forward(w, params, x) {
  let a = x;
  w.layers.forEach((l, i) => {
    a = ACT[l.activation](np.matmul(a, params[2 * i]).add(params[2 * i + 1]));
  });
  return a;
}

/** The workload's loss of outputs y against targets t, as a scalar (takes ownership of both). */
export function lossOf(w, y, t) {
  switch (w.loss) {
    case 'mse': {
      const d = y.sub(t);
      return np.mean(d.ref.mul(d));
    }
    case 'sse': {
      const d = y.sub(t);
      return np.sum(d.ref.mul(d)).mul(0.5);
    }
    // max(z, 0) - z·t + log(1 + e^-|z|)
    case 'bce_logits':
      return np.mean(
        nn
          .relu(y.ref)
          .sub(y.ref.mul(t))
          .add(nn.softplus(np.abs(y).mul(-1))),
      );
    case 'softmax_ce':
      return np.mean(np.sum(t.mul(nn.logSoftmax(y, -1)), 1)).mul(-1);
    default:
      throw new Error(`jax-js peer: no loss ${w.loss}`);
  }
}

/** The jit-compiled training step: (params, x, t) -> [loss, new params]. */
function makeStep(w) {
  const loss = (params, x, t) => lossOf(w, forward(w, params, x), t);
  return jit((params, x, t) => {
    const [value, grads] = valueAndGrad(loss)(
      params.map((p) => p.ref),
      x,
      t,
    );
    return [value, params.map((p, i) => p.sub(grads[i].mul(w.lr)))];
  });
}

/** Initial parameters as jax-js arrays. */
function toParams(w, weights) {
  let width = w.inputs;
  const out = [];
  w.layers.forEach((l, i) => {
    out.push(np.array(Float32Array.from(weights[2 * i]), { shape: [width, l.units] }));
    out.push(np.array(Float32Array.from(weights[2 * i + 1]), { shape: [l.units] }));
    width = l.units;
  });
  return out;
}

/** Outputs on a split as a Float32Array (batches of 1024); params are kept (refs passed). */
function outputsOn(w, params, split) {
  const out = new Float32Array(split.rows * split.targetCols);
  for (let r = 0; r < split.rows; r += 1024) {
    const n = Math.min(1024, split.rows - r);
    const y = forward(
      w,
      params.map((p) => p.ref),
      np.array(split.x.subarray(r * w.inputs, (r + n) * w.inputs), { shape: [n, w.inputs] }),
    );
    out.set(y.dataSync(), r * split.targetCols);
  }
  return out;
}

/** Trains fresh parameters on schedule s; resolves with { seconds, params, loss }. */
async function train(w, data, s) {
  const step = makeStep(w);
  let params = toParams(w, initialWeights(w));
  const b = batchRows(w, s.rows);
  const tc = data.train.targetCols;
  let loss = NaN;
  const t0 = performance.now();
  for (let e = 0; e < s.epochs; e++) {
    for (let r = 0; r < s.rows; r += b) {
      const n = Math.min(b, s.rows - r);
      const x = np.array(data.train.x.subarray(r * w.inputs, (r + n) * w.inputs), { shape: [n, w.inputs] });
      const t = np.array(data.train.targets.subarray(r * tc, (r + n) * tc), { shape: [n, tc] });
      let value;
      [value, params] = step(params, x, t);
      if (e === s.epochs - 1 && r + b >= s.rows) loss = value.dataSync()[0];
      else value.dispose();
    }
  }
  await blockUntilReady(params);
  return { seconds: (performance.now() - t0) / 1000, params, loss };
}

/** One step's loss on the first batch (for the suite's plumbing test). */
export async function firstStepLoss(w, data) {
  await ready();
  const r = await train(w, data, { epochs: 1, rows: batchRows(w, data.train.rows) });
  r.params.forEach((p) => p.dispose());
  return r.loss;
}

/** Runs workload w with jax-js; returns its record. */
export async function runJax(w, data, opts) {
  await ready();
  if (w.kind === 'infer') {
    const params = toParams(w, await inferenceWeights(w, opts.quick));
    const f = jit((ps, x) => forward(w, ps, x));
    const test = data.test;
    const b = w.inferBatch;
    const out = new Float32Array(test.rows * test.targetCols);
    const pass = (rows) => {
      for (let r = 0; r < rows; r += b) {
        const n = Math.min(b, rows - r);
        const y = f(
          params.map((p) => p.ref),
          np.array(test.x.subarray(r * w.inputs, (r + n) * w.inputs), { shape: [n, w.inputs] }),
        );
        out.set(y.dataSync(), r * test.targetCols);
      }
    };
    warmInference(pass, test.rows, b, opts.quick);
    const t0 = performance.now();
    pass(test.rows);
    const seconds = (performance.now() - t0) / 1000;
    const score = scoreOutputs(w, out, test);
    return {
      system: 'jax-js',
      workload: w.id,
      threads: 1,
      seconds,
      samples_per_s: test.rows / seconds,
      final_loss: score.loss,
      accuracy: score.accuracy,
      notes: `jit(forward) per ${b === 1 ? 'sample' : `batch of ${b}`} + dataSync, wasm device; the weights wasmlp trained`,
      gflops: forwardFlops(w, test.rows) / seconds / 1e9,
      ...processMemory(),
    };
  }
  const { result, schedule, cut } = await warmThenTime(w, data, opts, async (s) => {
    const r = await train(w, data, s);
    return r;
  });
  const split = data.test ?? data.train;
  const score = scoreOutputs(w, outputsOn(w, result.params, split), split);
  result.params.forEach((p) => p.dispose());
  return {
    system: 'jax-js',
    workload: w.id,
    threads: 1,
    seconds: result.seconds,
    samples_per_s: (schedule.epochs * schedule.rows) / result.seconds,
    final_loss: score.loss,
    accuracy: score.accuracy,
    notes: [
      `jit(valueAndGrad) + SGD step, wasm device; ${stepsOf(w, schedule, batchRows(w, schedule.rows))} steps`,
      cut,
      data.test ? 'test loss and accuracy' : 'training-set loss and accuracy',
    ]
      .filter(Boolean)
      .join('; '),
    ...processMemory(),
  };
}
