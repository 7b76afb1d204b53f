/**
 * What the teaching views read from the model, computed in the Worker: the rows of the batch the
 * next training step will take, the step panel's summary of a trace, a hovered neuron's numbers,
 * a clicked link's numbers, and a weight edit. Only the edit changes the model.
 */
import { Random, type Sequential, type StepTraceReport } from 'wasmlp';
import type { EdgeInfo, EdgeRef, LayerStep, NeuronInfo, NeuronRef, StepReport, Values } from './protocol.js';
import { MAX_EDIT_WEIGHT, type WeightEdit } from './state.js';

/** Values a summary lists before it gives only the norm. */
export const SHOWN_VALUES = 6;

/**
 * The training-set rows (in order) of the batch the next step of `fit(..., { batchSize, shuffle:
 * true })` takes: the next batch of the epoch the model left unfinished, or the first batch of
 * the order the next epoch will draw from the model's shuffle stream (read from a copy of it).
 */
export function nextBatchRows(model: Sequential, n: number, batchSize: number): number[] {
  const batch = Math.min(batchSize, n);
  const p = model.pendingEpoch;
  let order: Int32Array | null;
  let b = 0;
  if (p && p.rows === n && p.batchSize === batch && p.shuffle) {
    order = p.order;
    b = p.nextBatch;
  } else {
    const copy = new Random(0);
    copy.setState(model.shuffleRandom.getState());
    order = copy.permutation(n);
  }
  const out: number[] = [];
  for (let r = b * batch; r < Math.min(n, (b + 1) * batch); r++) out.push(order ? order[r] : r);
  return out;
}

/** The first SHOWN_VALUES values, the count, the 2-norm and the largest |v|. */
export function values(v: ArrayLike<number> | readonly (readonly number[])[]): Values {
  const flat: number[] = Array.isArray(v) && Array.isArray(v[0]) ? (v as number[][]).flat() : Array.from(v as ArrayLike<number>);
  let sq = 0;
  let maxAbs = 0;
  for (const x of flat) {
    sq += x * x;
    maxAbs = Math.max(maxAbs, Math.abs(x));
  }
  return { first: flat.slice(0, SHOWN_VALUES), size: flat.length, norm: Math.sqrt(sq), maxAbs };
}

/** The dense stages of a trace (the playground's network has no other kind): stage k feeds diagram column k + 1. */
function dense(t: StepTraceReport): StepTraceReport['layers'] {
  return t.layers.filter((l) => l.kind === 'dense');
}

/** The step panel's report of a trace on one batch (rows of the training set), the step being the run's `step`-th. */
export function stepReport(t: StepTraceReport, rows: number[], step: number, epoch: number): StepReport {
  const layers: LayerStep[] = dense(t).map((l, k, all) => ({
    name: k === all.length - 1 ? `output (Dense ${k + 1})` : `hidden ${k + 1} (Dense ${k + 1})`,
    activation: l.activation,
    shape: [l.W!.length, l.W![0].length],
    z: values(l.z[0]),
    a: values(l.a[0]),
    delta: values(l.delta[0]),
    dW: values(l.dW!),
    db: values(l.db!),
    dWUpdate: values(l.dWUpdate!),
    dbUpdate: values(l.dbUpdate!),
    updateRatio: l.updateRatio!,
  }));
  return { step, epoch, rows: rows.length, firstRow: rows[0], loss: t.loss, lr: t.lr, layers };
}

/** The numbers of one neuron, from a trace (row 1 of its batch); `scale` is its heatmap's. */
export function neuronInfo(t: StepTraceReport, ref: NeuronRef, source: string, scale: number): NeuronInfo {
  const stages = dense(t);
  if (ref.column === 0) {
    const a = t.layers[0].input[0]?.[ref.unit];
    if (a === undefined) throw new Error(`no input unit ${ref.unit}`);
    return { ref, source, activation: 'input', z: null, a, delta: null, meanAbsDelta: null, bias: null, incoming: null, scale };
  }
  const l = stages[ref.column - 1];
  if (!l || ref.unit >= l.z[0].length) throw new Error(`no unit ${ref.unit} in column ${ref.column}`);
  const u = ref.unit;
  const w = l.W!.map((row) => row[u]);
  let largest = 0;
  w.forEach((v, i) => {
    if (Math.abs(v) > Math.abs(w[largest])) largest = i;
  });
  return {
    ref,
    source,
    activation: l.activation,
    z: l.z[0][u],
    a: l.a[0][u],
    delta: l.delta[0][u],
    meanAbsDelta: l.delta.reduce((s, r) => s + Math.abs(r[u]), 0) / l.delta.length,
    bias: l.b?.[u] ?? null,
    incoming: { ...values(w), largest },
    scale,
  };
}

/** A link's weight, gradient dW and would-be update ΔW, from a trace. Throws for a link the network does not have. */
export function edgeInfo(t: StepTraceReport, ref: EdgeRef, source: string): EdgeInfo {
  const l = dense(t)[ref.layer];
  const weight = l?.W?.[ref.i]?.[ref.j];
  if (weight === undefined) throw new Error(`the network has no link ${ref.layer}:${ref.i}→${ref.j}`);
  return { ref, weight, gradient: l.dW![ref.i][ref.j], update: l.dWUpdate![ref.i][ref.j], source };
}

/**
 * Sets W[i][j] of the model's Dense layer `layer` (getWeights order: W0, b0, W1, b1, ...; every
 * Dense has a bias here) to `value`. Throws an Error, changing nothing, for a link the network
 * does not have or a value that is not finite or beyond ±MAX_EDIT_WEIGHT.
 */
export function applyEdit(model: Sequential, edit: Pick<WeightEdit, 'layer' | 'i' | 'j' | 'value'>): void {
  if (!Number.isFinite(edit.value) || Math.abs(edit.value) > MAX_EDIT_WEIGHT) {
    throw new Error(`a weight must be a finite number within ±${MAX_EDIT_WEIGHT}, got ${edit.value}`);
  }
  const ws = model.getWeights() as (number[][] | number[])[];
  const W = ws[2 * edit.layer] as number[][] | undefined;
  if (!W || !Array.isArray(W[0]) || W[edit.i]?.[edit.j] === undefined) throw new Error(`the network has no link ${edit.layer}:${edit.i}→${edit.j}`);
  W[edit.i][edit.j] = edit.value;
  model.setWeights(ws);
}

/** The backprop view of a trace: every Dense layer's dW (flat, [in][out]) and each of its units' mean |δ| over the traced rows. */
export function backpropView(t: StepTraceReport): { gradients: Float32Array[]; deltas: Float32Array[] } {
  const stages = dense(t);
  return {
    gradients: stages.map((l) => Float32Array.from(l.dW!.flat())),
    deltas: stages.map((l) => Float32Array.from(l.delta[0].map((_, j) => l.delta.reduce((s, r) => s + Math.abs(r[j]), 0) / l.delta.length))),
  };
}
