/**
 * model.trace(x, y): one training step on (x, y) made visible, in the tutorials' notation, without
 * taking it. Layer l (a plan stage: a Dense with the activation fused after it, a BatchNorm, a
 * Dropout or a standalone activation) has its input a⁽ˡ⁻¹⁾ (a⁽⁰⁾ = x), z⁽ˡ⁾ = a⁽ˡ⁻¹⁾·W⁽ˡ⁾ + b⁽ˡ⁾,
 * a⁽ˡ⁾ = f(z⁽ˡ⁾), δ⁽ˡ⁾ = ∂L/∂z⁽ˡ⁾, dW⁽ˡ⁾ = a⁽ˡ⁻¹⁾ᵀ·δ⁽ˡ⁾ and db⁽ˡ⁾ = Σ_rows δ⁽ˡ⁾, the update ΔW⁽ˡ⁾ the
 * optimiser would apply and ‖ΔW⁽ˡ⁾‖/‖W⁽ˡ⁾‖, and diagnostics (trace-stats.ts).
 *
 * The trace is computed in float64 on a throwaway reference engine holding copies of the
 * model's weights, optimiser state and next learning rate (Engine.traceStep), whatever the
 * model's backend: the model's own engine is only read.
 */
import { createEngine } from '../backends.js';
import type { Engine, StepTrace } from '../engine.js';
import { parameterLayout, stageInputWidth, stageWidth, type ActivationName, type Stage } from '../plan.js';
import { toRows, type Matrix } from './input.js';
import { Activation, Dense, type Layer } from './layers.js';
import { BatchNorm } from './batchnorm.js';
import { Dropout } from './dropout.js';
import { scheduleLr } from './schedule-lr.js';
import type { ModelSchedule } from './schedule.js';
import { deadShare, histogram, norm, saturatedShare, saturates, type Histogram } from './trace-stats.js';

/** One parameter tensor of a traced layer: its value, gradient and would-be update, nested as getWeights gives it. */
export interface TraceParameter {
  /** getWeights's name: W0, b0, bn0_gamma, bn0_beta, bn0_running_mean, bn0_running_var. */
  name: string;
  value: number[] | number[][];
  grad: number[] | number[][];
  /** The optimiser's change to value (0 for the running estimates, which the optimiser does not train). */
  update: number[] | number[][];
  /** ‖update‖ / ‖value‖ (Infinity when value is all 0 and update is not, 0 when both are). */
  ratio: number;
}

/** One layer (plan stage) of a trace; matrices are rows of the batch × units. */
export interface LayerTrace {
  kind: Stage['kind'];
  activation: ActivationName;
  /** Indices in model.layers of the layers this stage computes (a Dense and its activation: two). */
  layers: number[];
  /** a⁽ˡ⁻¹⁾: the layer's input. */
  input: number[][];
  /** Before the activation (BatchNorm: gamma · x̂ + beta; Dropout or activation stage: the input). */
  z: number[][];
  /** f(z): the layer's output. */
  a: number[][];
  /** ∂L/∂z. */
  delta: number[][];
  /** Dense only: W [in][out], b, dW = inputᵀ·delta, db = Σ delta, ΔW, Δb, ‖ΔW‖/‖W‖ (b absent without bias). */
  W?: number[][];
  b?: number[];
  dW?: number[][];
  db?: number[];
  dWUpdate?: number[][];
  dbUpdate?: number[];
  updateRatio?: number;
  /** This stage's parameter tensors (Dense: W, b; BatchNorm: gamma, beta, running mean and variance). */
  parameters: TraceParameter[];
  diagnostics: {
    /** ReLU stages: share of units with z ≤ 0 on every row of the batch. */
    deadReLU?: number;
    /** Sigmoid / tanh stages: share of values whose derivative is under 1% of its peak. */
    saturated?: number;
    /** weights: the stage's trained tensors (absent without any); activations: a; gradients: their gradients, or delta without parameters. */
    histograms: { weights?: Histogram; activations: Histogram; gradients: Histogram };
  };
}

/** What model.trace returns. */
export interface StepTraceReport {
  /** The batch's loss before the step. */
  loss: number;
  /** The learning rate the step would use. */
  lr: number;
  layers: LayerTrace[];
}

/** Model layer indices per stage, in the order lowering (lower.ts) makes stages. */
function layersPerStage(layers: readonly Layer[]): number[][] {
  const out: number[][] = [];
  let open = false;
  layers.forEach((layer, i) => {
    if (layer instanceof Activation && open) out[out.length - 1].push(i);
    else if (layer instanceof Dense || layer instanceof BatchNorm || layer instanceof Dropout || layer instanceof Activation) out.push([i]);
    open = layer instanceof Dense || layer instanceof BatchNorm;
  });
  return out;
}

const rows = (data: Float64Array, n: number, width: number): number[][] => toRows({ data, rows: n, cols: width });
const shaped = (data: Float64Array, shape: readonly number[]): number[] | number[][] =>
  shape.length === 1 ? Array.from(data) : toRows({ data, rows: shape[0], cols: shape[1] });

/**
 * The trace of one step of the model's engine on x (checked matrix) and t (its targets): reads
 * the engine's parameters and optimiser state into a fresh float64 engine (disposed before
 * returning) and changes nothing of the model's.
 */
export function traceStep(engine: Engine, layers: readonly Layer[], schedule: ModelSchedule, x: Matrix, t: Matrix): StepTraceReport {
  const plan = engine.plan;
  const lr = schedule.config !== null ? scheduleLr(schedule.config, plan.optimizer.lr, schedule.step) : plan.optimizer.lr;
  const tracer = createEngine(plan, 'reference');
  let raw: StepTrace;
  try {
    tracer.setParameters(engine.getParameters());
    tracer.setOptimizerState(engine.getOptimizerState());
    tracer.setLearningRate(lr);
    const data = tracer.loadData(x.data, t.data, x.rows);
    raw = tracer.traceStep!(data, 0, x.rows);
  } finally {
    tracer.dispose();
  }
  const params = engine.getParameters();
  const layout = parameterLayout(plan);
  const owners = layersPerStage(layers);
  const n = x.rows;
  const out = plan.stages.map((s, i): LayerTrace => {
    const st = raw.stages[i];
    const w = stageWidth(s);
    const mine = layout.map((l, k) => ({ l, k })).filter(({ l }) => l.stage === i);
    const parameters = mine.map(({ l, k }) => ({
      name: l.name,
      value: shaped(params[k], l.shape),
      grad: shaped(raw.gradients[k], l.shape),
      update: shaped(raw.update[k], l.shape),
      ratio: ratio(raw.update[k], params[k]),
    }));
    const trained = mine.filter(({ l }) => l.trainable);
    const histograms: LayerTrace['diagnostics']['histograms'] = {
      activations: histogram(st.a),
      gradients: histogram(trained.length > 0 ? concat(trained.map(({ k }) => raw.gradients[k])) : st.delta),
    };
    if (trained.length > 0) histograms.weights = histogram(concat(trained.map(({ k }) => params[k])));
    const trace: LayerTrace = {
      kind: s.kind,
      activation: s.activation,
      layers: owners[i] ?? [],
      input: rows(st.x, n, stageInputWidth(s)),
      z: rows(st.z, n, w),
      a: rows(st.a, n, w),
      delta: rows(st.delta, n, w),
      parameters,
      diagnostics: { histograms },
    };
    if (s.activation === 'relu') trace.diagnostics.deadReLU = deadShare(st.z, n, w);
    if (saturates(s.activation)) trace.diagnostics.saturated = saturatedShare(s.activation, st.a);
    if (s.kind === 'dense') {
      const [W, b] = mine;
      Object.assign(trace, {
        W: parameters[0].value,
        dW: parameters[0].grad,
        dWUpdate: parameters[0].update,
        updateRatio: ratio(raw.update[W.k], params[W.k]),
      });
      if (b !== undefined) Object.assign(trace, { b: parameters[1].value, db: parameters[1].grad, dbUpdate: parameters[1].update });
    }
    return trace;
  });
  return { loss: raw.loss, lr, layers: out };
}

function concat(arrays: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(arrays.reduce((s, a) => s + a.length, 0));
  let o = 0;
  for (const a of arrays) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

/** ‖d‖ / ‖w‖, with 0/0 = 0. */
function ratio(d: Float64Array, w: Float64Array): number {
  const nd = norm([d]),
    nw = norm([w]);
  return nd === 0 ? 0 : nd / nw;
}
