/**
 * brain.js 1.6.1 on the standard workloads: `NeuralNetwork.train`, which is per-sample SGD
 * (one update per sample, its squared-error delta through the activation's derivative) with
 * one activation for every layer, the output included. Where a workload needs what brain.js
 * cannot express (mixed activations, a linear output, full-batch GD, cross-entropy), the row
 * runs the closest form and its notes say what differs. Same data and initial weights.
 */
import { createRequire } from 'node:module';
import { initialWeights, inferenceWeights, processMemory, scoreOutputs, warmInference, warmThenTime } from './common.js';

const brain = createRequire(import.meta.url)('brain.js');

/**
 * The closest brain.js form of a workload: its one activation and per-sample learning rate.
 * Full-batch workloads: the batch-mean gradient's lr divided by the rows (times 2 for MSE),
 * so an epoch of per-sample steps moves the weights as far as one full-batch step.
 */
export function brainForm(w, rows) {
  const hidden = w.layers.slice(0, -1).map((l) => l.activation);
  // Sigmoid everywhere, brain.js's default: its relu (output included) diverges on MNIST at lr 0.1.
  const activation = 'sigmoid';
  let lr = w.lr;
  if (w.batch === 0 && w.loss === 'mse') lr = (2 * w.lr) / rows;
  else if (w.batch === 0 && w.loss === 'bce_logits') lr = w.lr / rows;
  const differs = [];
  if (hidden.some((a) => a !== activation) || w.layers[w.layers.length - 1].activation !== activation) {
    differs.push(`${activation} on every layer (workload: ${w.layers.map((l) => l.activation).join('/')})`);
  }
  if (w.loss !== 'sse' && w.loss !== 'mse') differs.push(`squared-error delta instead of ${w.loss}`);
  if (w.batch === 0)
    differs.push(
      w.loss === 'sse'
        ? 'per-sample steps instead of full-batch GD (same lr: SSE sums)'
        : `per-sample steps at lr ${lr.toPrecision(3)} instead of full-batch lr ${w.lr}`,
    );
  else differs.push(`per-sample steps at lr ${lr} instead of batches of ${w.batch}`);
  return { activation, lr, notes: differs.join('; ') };
}

/** A brain.js network of the workload's sizes holding `weights` (Keras order: W [in][out], b). */
function buildNet(w, weights, activation) {
  const net = new brain.NeuralNetwork({ activation, hiddenLayers: w.layers.slice(0, -1).map((l) => l.units) });
  net.sizes = [w.inputs, ...w.layers.map((l) => l.units)];
  net.initialize();
  let width = w.inputs;
  w.layers.forEach((l, i) => {
    const W = weights[2 * i],
      b = weights[2 * i + 1];
    for (let node = 0; node < l.units; node++) {
      net.biases[i + 1][node] = b[node];
      for (let k = 0; k < width; k++) net.weights[i + 1][node][k] = W[k * l.units + node];
    }
    width = l.units;
  });
  return net;
}

/** brain.js training data: {input, output} plain arrays for the first `rows` rows. */
function samples(w, split, rows) {
  const out = [];
  for (let r = 0; r < rows; r++) {
    out.push({
      input: Array.from(split.x.subarray(r * w.inputs, (r + 1) * w.inputs)),
      output: Array.from(split.targets.subarray(r * split.targetCols, (r + 1) * split.targetCols)),
    });
  }
  return out;
}

/** Outputs of a brain.js net on a split, one `run` per sample. */
function outputsOn(net, w, split) {
  const out = new Float32Array(split.rows * split.targetCols);
  for (let r = 0; r < split.rows; r++) {
    const y = net.run(Array.from(split.x.subarray(r * w.inputs, (r + 1) * w.inputs)));
    out.set(y, r * split.targetCols);
  }
  return out;
}

/** One brain.js row. Options: { quick, maxSeconds }. Resolves with a BenchRecord. */
export async function runBrain(w, data, options) {
  if (w.kind === 'infer') return inferBrain(w, data, options);
  const form = brainForm(w, data.train.rows);
  const cache = new Map();
  const { result, schedule, cut } = await warmThenTime(w, data, options, async (s) => {
    if (!cache.has(s.rows)) cache.set(s.rows, samples(w, data.train, s.rows));
    const net = buildNet(w, initialWeights(w), form.activation);
    const started = performance.now();
    net.train(cache.get(s.rows), { iterations: s.epochs, errorThresh: 1e-12, learningRate: form.lr, momentum: 1e-9, log: false });
    return { seconds: (performance.now() - started) / 1000, net };
  });
  const memory = processMemory();
  const split = data.test ?? data.train;
  const score = scoreOutputs(w, outputsOn(result.net, w, split), split, true);
  const n = schedule.epochs * schedule.rows;
  return {
    system: 'brain.js',
    workload: w.id,
    threads: 1,
    seconds: result.seconds,
    samples_per_s: n / result.seconds,
    final_loss: score.loss,
    accuracy: score.accuracy,
    notes: ['NeuralNetwork.train (momentum 1e-9: brain.js refuses 0)', form.notes, cut, 'float64 JS arrays', 'loss of its outputs taken as probabilities']
      .filter(Boolean)
      .join('; '),
    samples: n,
    ...memory,
  };
}

/** Inference rows: `net.run` per sample (brain.js has no batched forward), relu output instead of linear. */
async function inferBrain(w, data, { quick }) {
  const test = data.test;
  const net = buildNet(w, await inferenceWeights(w, quick), 'relu');
  warmInference((rows) => outputsOn(net, w, { ...test, rows }), test.rows, 1, quick);
  const started = performance.now();
  const out = outputsOn(net, w, test);
  const seconds = (performance.now() - started) / 1000;
  const memory = processMemory();
  const score = scoreOutputs(w, out, test, true);
  return {
    system: 'brain.js',
    workload: w.id,
    threads: 1,
    seconds,
    samples_per_s: test.rows / seconds,
    final_loss: score.loss,
    accuracy: score.accuracy,
    notes: `net.run per sample${w.inferBatch > 1 ? ' (no batched forward)' : ''}; relu on the output too (the workload's is linear); the weights wasmlp trained`,
    samples: test.rows,
    ...memory,
  };
}
