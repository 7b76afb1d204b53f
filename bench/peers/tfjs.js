/**
 * TensorFlow.js 4.22 on the standard workloads, with the wasm backend (XNNPACK, SIMD; one
 * thread: Node gets no threads from tfjs-backend-wasm) or the cpu backend (plain JS), in two
 * styles: the idiomatic `model.fit`, and a tight `optimizer.minimize` loop that feeds each batch
 * as fresh tensors (`slice` on the wasm backend copies the whole source tensor per call, so
 * batches are made from Float32Array subarrays instead). Same data, initial weights, loss and
 * SGD as wasmlp; the loss written out in tfjs ops.
 */
import * as tf from '@tensorflow/tfjs';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';
import { batchRows, forwardFlops, initialWeights, inferenceWeights, processMemory, scoreOutputs, stepsOf, warmInference, warmThenTime } from './common.js';

const ACTIVATION = { identity: 'linear', relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh' };

let ready = null;
/** Selects a backend ('wasm' or 'cpu'); the wasm backend on one thread. */
export async function useBackend(name) {
  if (!ready) {
    tfwasm.setThreadsCount?.(1);
    ready = true;
  }
  // The cpu backend greets Node users with a banner about tfjs-node on creation: not in our output.
  const warn = console.warn;
  console.warn = (...a) => {
    if (!String(a[0]).includes('tfjs-node') && !String(a[0]).includes('=====')) warn(...a);
  };
  try {
    await tf.setBackend(name);
    await tf.ready();
  } finally {
    console.warn = warn;
  }
}

/** The workload's loss as a tfjs function (yTrue, yPred) -> scalar. */
function lossFn(w) {
  switch (w.loss) {
    case 'mse':
      return (t, y) => tf.losses.meanSquaredError(t, y);
    case 'sse':
      return (t, y) => tf.mul(0.5, tf.sum(tf.squaredDifference(y, t)));
    case 'bce_logits':
      return (t, y) => tf.losses.sigmoidCrossEntropy(t, y);
    case 'softmax_ce':
      return (t, y) => tf.losses.softmaxCrossEntropy(t, y);
    default:
      throw new Error(`tfjs peer: no loss ${w.loss}`);
  }
}

/** A tf.sequential of the workload's layers holding `weights` (Keras order). */
function buildModel(w, weights) {
  const model = tf.sequential();
  w.layers.forEach((l, i) => {
    model.add(tf.layers.dense({ units: l.units, activation: ACTIVATION[l.activation], ...(i === 0 ? { inputShape: [w.inputs] } : {}) }));
  });
  let width = w.inputs;
  const tensors = [];
  w.layers.forEach((l, i) => {
    tensors.push(tf.tensor2d(Float32Array.from(weights[2 * i]), [width, l.units]));
    tensors.push(tf.tensor1d(Float32Array.from(weights[2 * i + 1])));
    width = l.units;
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
  return model;
}

/** Outputs of the model on a split, as a Float32Array (batches of 1024). */
function outputsOn(model, w, split) {
  const out = new Float32Array(split.rows * split.targetCols);
  for (let r = 0; r < split.rows; r += 1024) {
    const n = Math.min(1024, split.rows - r);
    const y = tf.tidy(() => model.predict(tf.tensor2d(split.x.subarray(r * w.inputs, (r + n) * w.inputs), [n, w.inputs])));
    out.set(y.dataSync(), r * split.targetCols);
    y.dispose();
  }
  return out;
}

/** WebAssembly memory of the tfjs wasm backend, when it can be read. */
function wasmBytes() {
  const b = tf.backend();
  return b?.wasm?.HEAPU8?.byteLength ?? b?.wasm?.wasmMemory?.buffer?.byteLength;
}

/** Trains a fresh model on schedule `s` in the given style; resolves with { seconds, model }. */
async function trainOnce(w, data, s, style) {
  const model = buildModel(w, initialWeights(w));
  const loss = lossFn(w);
  const optimizer = tf.train.sgd(w.lr);
  const b = batchRows(w, s.rows);
  const { x, targets, targetCols } = data.train;
  let seconds;
  if (style === 'fit') {
    model.compile({ optimizer, loss });
    const xs = tf.tensor2d(x.subarray(0, s.rows * w.inputs), [s.rows, w.inputs]);
    const ys = tf.tensor2d(targets.subarray(0, s.rows * targetCols), [s.rows, targetCols]);
    const started = performance.now();
    await model.fit(xs, ys, { epochs: s.epochs, batchSize: b, shuffle: false, verbose: 0 });
    seconds = (performance.now() - started) / 1000;
    tf.dispose([xs, ys]);
  } else {
    const full = b === s.rows;
    const tensorsOf = (r, n) => [
      tf.tensor2d(x.subarray(r * w.inputs, (r + n) * w.inputs), [n, w.inputs]),
      tf.tensor2d(targets.subarray(r * targetCols, (r + n) * targetCols), [n, targetCols]),
    ];
    // Full batch: the one batch's tensors are made once, as a user would.
    const fixed = full ? tensorsOf(0, s.rows) : null;
    const started = performance.now();
    for (let e = 0; e < s.epochs; e++) {
      for (let r = 0; r < s.rows; r += b) {
        const [xs, ys] = fixed ?? tensorsOf(r, Math.min(b, s.rows - r));
        optimizer.minimize(() => loss(ys, model.apply(xs)), false);
        if (!fixed) tf.dispose([xs, ys]);
      }
    }
    await model.getWeights()[0].data(); // the queue drained
    seconds = (performance.now() - started) / 1000;
    if (fixed) tf.dispose(fixed);
  }
  optimizer.dispose();
  return { seconds, model };
}

/**
 * One tfjs row: backend 'wasm' | 'cpu', style 'fit' | 'minimize' (inference: predict).
 * Options: { quick, maxSeconds }. Resolves with a BenchRecord.
 */
export async function runTfjs(w, data, backend, style, options) {
  await useBackend(backend);
  const system = `tfjs ${backend} ${w.kind === 'infer' ? 'predict' : style === 'fit' ? 'model.fit' : 'minimize'}`;
  if (w.kind === 'infer') return inferTfjs(w, data, system, options);
  let last = null;
  const { result, schedule, cut } = await warmThenTime(w, data, options, async (s) => {
    if (last) last.dispose();
    const r = await trainOnce(w, data, s, style);
    last = r.model;
    return r;
  });
  const memory = processMemory();
  const wasm = backend === 'wasm' ? wasmBytes() : undefined;
  const split = data.test ?? data.train;
  const score = scoreOutputs(w, outputsOn(result.model, w, split), split);
  result.model.dispose();
  const samples = schedule.epochs * schedule.rows;
  const b = batchRows(w, schedule.rows);
  const notes = [
    style === 'fit'
      ? 'model.fit (shuffle off)'
      : `optimizer.minimize per step${b === schedule.rows ? ' (full-batch tensors made once)' : ', fresh batch tensors from Float32Array subarrays'}`,
    `${stepsOf(w, schedule, b)} steps`,
    cut,
    backend === 'wasm' ? 'XNNPACK SIMD, 1 thread (tfjs-backend-wasm has no threads in Node)' : 'plain JS kernels',
    data.test ? 'test loss and accuracy' : 'training-set loss and accuracy',
  ]
    .filter(Boolean)
    .join('; ');
  return {
    system,
    workload: w.id,
    threads: 1,
    seconds: result.seconds,
    samples_per_s: samples / result.seconds,
    final_loss: score.loss,
    accuracy: score.accuracy,
    notes,
    samples,
    ...memory,
    ...(wasm ? { wasm_memory_bytes: wasm } : {}),
  };
}

/** Inference rows: model.predict on fresh input tensors of w.inferBatch rows, read back with dataSync. */
async function inferTfjs(w, data, system, { quick }) {
  const test = data.test;
  const model = buildModel(w, await inferenceWeights(w, quick));
  const b = w.inferBatch;
  const out = new Float32Array(test.rows * test.targetCols);
  const pass = (rows) => {
    for (let r = 0; r < rows; r += b) {
      const n = Math.min(b, rows - r);
      const xs = tf.tensor2d(test.x.subarray(r * w.inputs, (r + n) * w.inputs), [n, w.inputs]);
      const y = model.predict(xs);
      out.set(y.dataSync(), r * test.targetCols);
      tf.dispose([xs, y]);
    }
  };
  warmInference(pass, test.rows, b, quick);
  const started = performance.now();
  pass(test.rows);
  const seconds = (performance.now() - started) / 1000;
  const memory = processMemory();
  const wasm = tf.getBackend() === 'wasm' ? wasmBytes() : undefined;
  const score = scoreOutputs(w, out, test);
  model.dispose();
  return {
    system,
    workload: w.id,
    threads: 1,
    seconds,
    samples_per_s: test.rows / seconds,
    final_loss: score.loss,
    accuracy: score.accuracy,
    notes: `model.predict per ${b === 1 ? 'sample' : `batch of ${b}`} + dataSync; the weights wasmlp trained; test loss and accuracy`,
    samples: test.rows,
    gflops: forwardFlops(w, test.rows) / seconds / 1e9,
    ...memory,
    ...(wasm ? { wasm_memory_bytes: wasm } : {}),
  };
}
