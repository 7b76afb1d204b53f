/**
 * Writes a workload's data for the Python peers (bench/peers/python_peer.py): one JSON header
 * line (network, loss, schedule, the names and lengths of the arrays), then those arrays as raw
 * little-endian float32: training inputs and targets, test inputs, targets and labels where the
 * workload has a test split, the shared initial weights, and for the inference workloads the
 * weights wasmlp trained (the same every peer gets).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { WORKLOADS, loadWorkloadData, baseSchedule, initialWeights, inferenceWeights } from './peers/common.js';

/** The file's bytes for workload `id` (quick: the --quick schedule). */
export async function workloadFile(id, quick) {
  const w = WORKLOADS[id];
  const data = await loadWorkloadData(w);
  const s = baseSchedule(w, data, quick);
  const arrays = [
    ['trainX', data.train.x],
    ['trainT', data.train.targets],
    ['trainLabels', Float32Array.from(data.train.labels)],
  ];
  if (data.test) arrays.push(['testX', data.test.x], ['testT', data.test.targets], ['testLabels', Float32Array.from(data.test.labels)]);
  const init = initialWeights(w);
  const trained = w.kind === 'infer' ? await inferenceWeights(w, quick) : null;
  w.layers.forEach((_, i) => {
    arrays.push([`initW${i}`, Float32Array.from(init[2 * i])], [`initb${i}`, Float32Array.from(init[2 * i + 1])]);
    if (trained) arrays.push([`trainedW${i}`, Float32Array.from(trained[2 * i])], [`trainedb${i}`, Float32Array.from(trained[2 * i + 1])]);
  });
  const header = {
    id,
    kind: w.kind,
    inputs: w.inputs,
    layers: w.layers.map((l) => ({ units: l.units, activation: l.activation })),
    loss: w.loss,
    lr: w.lr,
    batch: w.batch,
    epochs: s.epochs,
    rows: s.rows,
    trainRows: data.train.rows,
    targetCols: data.train.targetCols,
    inferBatch: w.inferBatch ?? 1,
    arrays: arrays.map(([n, v]) => [n, v.length]),
  };
  const parts = [Buffer.from(`${JSON.stringify(header)}\n`), ...arrays.map(([, v]) => Buffer.from(v.buffer, v.byteOffset, v.byteLength))];
  return Buffer.concat(parts);
}

/** Writes workload `id`'s file into `dir` and returns its path. */
export async function writeWorkloadFile(dir, id, quick) {
  await mkdir(dir, { recursive: true });
  const path = `${dir}/${id}${quick ? '-quick' : ''}.bin`;
  await writeFile(path, await workloadFile(id, quick));
  return path;
}
