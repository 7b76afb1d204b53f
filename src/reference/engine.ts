/**
 * The float64 reference engine: the plan executed with plain loops, nothing clever. This is
 * the code a reader checks the maths against; the WebAssembly core is tested against it.
 *
 * Parameters live in one flat Float64Array in Keras order [W0, b0, W1, b1, ...] (W row-major
 * [in, out], y = x·W + b); gradients and every optimiser state buffer use the same layout.
 * A new engine's parameters are zero: the model sets its initial weights with setParameters.
 */
import {
  checkBatch,
  checkDataSizes,
  checkHandle,
  checkLive,
  checkStepRoom,
  checkOptimizerState,
  checkParameters,
  checkPredictSize,
  parameterSlots,
  StepStatus,
  type DataHandle,
  type Engine,
  type OptimizerState,
  type ParameterSlot,
  type StageOutputs,
  type StepRun,
  type StepTrace,
} from '../engine.js';
import { trainStepsOneByOne } from '../steps-one-by-one.js';
import { fusesSoftmaxCrossEntropy, keepsLinear, stageWidth, type Plan } from '../plan.js';
import { dropoutMask } from '../dropout-mask.js';
import { activationForward } from './activations.js';
import { activationBackward } from './activation-backward.js';
import { batchNormBackward, batchNormEval, batchNormTrain, batchNormUpdateRunning, type BatchNormCache } from './batchnorm.js';
import { denseBackward, denseForward } from './dense.js';
import { lossAndGradient } from './loss-gradient.js';
import { weightedLossAndGradient } from './weighted-loss.js';
import { clipGradients } from './clip.js';
import { cloneState, initialState, optimizerStep } from './optimizers.js';
import { ReferenceData, createReferenceStaging, loadReferenceBatch } from './data.js';

/**
 * How a pass treats the training-mode stages: 'predict' uses BatchNorm's running estimates and
 * no dropout; 'gradients' batch statistics and no dropout; 'train' batch statistics and dropout.
 */
type Mode = 'predict' | 'gradients' | 'train';

/**
 * What a forward pass keeps per stage for the backward pass: its input x, z and a = act(z),
 * and for BatchNorm its cache, for an active Dropout its scaled mask (null otherwise).
 */
interface Trace {
  x: Float64Array[];
  z: Float64Array[];
  a: Float64Array[];
  /** dL/dz per stage, filled by the backward pass. */
  dz: Float64Array[];
  bn: (BatchNormCache | null)[];
  mask: (Float64Array | null)[];
}

function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** The float64 reference backend. Implements the Engine contract of src/engine.ts. */
export class ReferenceEngine implements Engine {
  readonly backend = 'reference' as const;
  readonly dtype = 'float64' as const;
  readonly plan: Plan;
  private status: StepStatus = StepStatus.Ok;
  private disposed = false;
  private readonly slots: ParameterSlot[];
  private readonly size: number;
  /** 1 where weight decay applies to the element, 0 where it does not (biases with decayBiases false). */
  private readonly decays: Uint8Array;
  private params: Float64Array;
  private grads: Float64Array;
  private state: OptimizerState;
  private noiseSeed = 0;
  /** The learning rate of the next steps (setLearningRate; starts as the plan's). */
  private lr: number;

  /** Allocates zero parameters, gradients and optimiser state for `plan`. */
  constructor(plan: Plan) {
    this.plan = plan;
    ({ slots: this.slots, size: this.size } = parameterSlots(plan));
    this.decays = new Uint8Array(this.size);
    for (const s of this.slots) this.decays.fill(!s.trainable || (s.isBias && !plan.optimizer.decayBiases) ? 0 : 1, s.offset, s.offset + s.length);
    this.params = new Float64Array(this.size);
    this.grads = new Float64Array(this.size);
    this.state = initialState(plan.optimizer, this.size);
    this.lr = plan.optimizer.lr;
  }

  get lastStatus(): StepStatus {
    return this.status;
  }

  /** Copies of the parameters, Keras order. */
  getParameters(): Float64Array[] {
    this.live();
    return this.slots.map((s) => this.params.slice(s.offset, s.offset + s.length));
  }

  /** Overwrites every parameter. Mutates the parameters only (not the optimiser state). */
  setParameters(params: readonly ArrayLike<number>[]): void {
    this.live();
    checkParameters(this.slots, params);
    this.slots.forEach((s, i) => this.params.set(params[i], s.offset));
  }

  /** Copies of the last gradients (before weight decay), Keras order. */
  getGradients(): Float64Array[] {
    this.live();
    return this.slots.map((s) => this.grads.slice(s.offset, s.offset + s.length));
  }

  /** A deep copy of the optimiser state: step and the buffers named by optimizerStateBuffers. */
  getOptimizerState(): OptimizerState {
    this.live();
    return cloneState(this.state);
  }

  /** Replaces the optimiser state with a copy of `state`; throws if its buffers do not fit this plan. */
  setOptimizerState(state: OptimizerState): void {
    this.live();
    checkOptimizerState(this.plan.optimizer, this.size, state);
    this.state = cloneState(state);
  }

  /** Sets the learning rate of the following training steps. Mutates only that setting. */
  setLearningRate(lr: number): void {
    this.live();
    this.lr = lr;
  }

  /** Zeroes the optimiser state and its step count. */
  resetOptimizer(): void {
    this.live();
    this.state = initialState(this.plan.optimizer, this.size);
  }

  /** Copies x (rows × inputSize), y (rows × outputSize) and the row weights, if any, into a new data handle. */
  loadData(x: ArrayLike<number>, y: ArrayLike<number>, rows: number, weights?: ArrayLike<number> | null): DataHandle {
    this.live();
    checkDataSizes(this.plan, x, y, rows, weights);
    return new ReferenceData(this, Float64Array.from(x), Float64Array.from(y), rows, weights ? Float64Array.from(weights) : null);
  }

  /** Float64 room for one batch of `capacity` rows (see Engine.createStaging). */
  createStaging(capacity: number, weighted: boolean): DataHandle {
    this.live();
    return createReferenceStaging(this, this.plan, capacity, weighted);
  }

  /** Copies one batch into a staging handle as float64 (see Engine.loadBatch). */
  loadBatch(handle: DataHandle, x: ArrayLike<number>, y: ArrayLike<number>, rows: number, weights?: ArrayLike<number> | null, index?: Int32Array | null): void {
    this.live();
    const ours = handle instanceof ReferenceData && handle.owner === this;
    checkHandle(ours, ours && (handle as ReferenceData).disposed);
    loadReferenceBatch(handle as ReferenceData, this.plan, x, y, rows, weights, index);
  }

  /**
   * Forward, loss, backward and update on batch rows order[start .. start+count). Returns the
   * loss before the update. If the loss, a gradient, or a new parameter or state value is
   * non-finite, nothing changes (parameters, state and gradients) and lastStatus says which.
   * With clipping in the plan the kept gradients are the clipped ones (as PyTorch's p.grad).
   */
  trainStep(data: DataHandle, start: number, count: number): number {
    this.live();
    checkStepRoom(this.state.step);
    const { loss, grads: raw, trace } = this.lossAndGradients(data, start, count, 'train');
    if (!Number.isFinite(loss)) return this.fail(StepStatus.NonFiniteLoss, loss);
    if (!allFinite(raw)) return this.fail(StepStatus.NonFiniteGradient, loss);
    // BatchNorm's gamma and beta are in raw, so the clip norm and clip value include them.
    const grads = clipGradients(raw, this.plan.clipGradNorm, this.plan.clipValue);
    const o = this.plan.optimizer;
    const next = optimizerStep(this.lr === o.lr ? o : { ...o, lr: this.lr }, this.params, grads, this.decays, this.state);
    // The running estimates are not the optimiser's (zero gradient, no decay): the step moves them.
    this.plan.stages.forEach((s, i) => {
      const cache = trace.bn[i];
      if (s.kind !== 'batchnorm' || !cache) return;
      const [, , mean, variance] = this.slots.filter((t) => t.stage === i);
      const view = (t: ParameterSlot) => next.params.subarray(t.offset, t.offset + t.length);
      batchNormUpdateRunning(view(mean), view(variance), cache, count, s.momentum);
    });
    if (!allFinite(next.params) || !Object.values(next.state.buffers).every(allFinite)) {
      return this.fail(StepStatus.NonFiniteUpdate, loss);
    }
    this.grads = grads;
    this.params = next.params;
    this.state = next.state;
    this.status = StepStatus.Ok;
    return loss;
  }

  /** Several trainSteps one after another (see Engine.trainSteps): the plain loop of engine.ts. */
  trainSteps(data: DataHandle, run: StepRun, losses: Float64Array): number {
    this.live();
    const ours = data instanceof ReferenceData && data.owner === this;
    checkHandle(ours, ours && (data as ReferenceData).disposed);
    const d = data as ReferenceData;
    return trainStepsOneByOne(this, d, d.order ? d.order.length : d.rows, run, losses);
  }

  /** Forward, loss and backward on one batch; stores the gradients (whatever they are) and returns the loss. */
  computeGradients(data: DataHandle, start: number, count: number): number {
    this.live();
    const { loss, grads } = this.lossAndGradients(data, start, count, 'gradients');
    this.grads = grads;
    return loss;
  }

  /** The StepTrace of one batch (see Engine.traceStep): the gradients pass kept whole, and the optimiser run on copies. Mutates nothing. */
  traceStep(data: DataHandle, start: number, count: number): StepTrace {
    this.live();
    const { loss, grads, trace } = this.lossAndGradients(data, start, count, 'gradients');
    const clipped = clipGradients(grads, this.plan.clipGradNorm, this.plan.clipValue);
    const o = this.plan.optimizer;
    // optimizerStep copies the parameters and the state: this engine's own stay as they are.
    const next = optimizerStep(this.lr === o.lr ? o : { ...o, lr: this.lr }, this.params, clipped, this.decays, this.state);
    const stages = this.plan.stages.map((_, i) => ({ x: trace.x[i], z: trace.z[i], a: trace.a[i], delta: trace.dz[i] }));
    const update = this.slots.map((s) => {
      const d = new Float64Array(s.length);
      if (s.trainable) for (let k = 0; k < s.length; k++) d[k] = next.params[s.offset + k] - this.params[s.offset + k];
      return d;
    });
    return { loss, stages, gradients: this.slots.map((s) => grads.slice(s.offset, s.offset + s.length)), update };
  }

  /** Sets the noise seed of the following training steps' dropout masks (see src/dropout-mask.ts). */
  setNoiseSeed(seed: number): void {
    this.live();
    this.noiseSeed = seed >>> 0;
  }

  /** The raw last-stage output for rows × inputSize values. Mutates nothing. */
  predict(x: ArrayLike<number>, rows: number, onNonFinite?: (index: number) => never): Float64Array {
    this.live();
    checkPredictSize(this.plan, x, rows);
    if (onNonFinite) for (let i = 0; i < rows * this.plan.inputSize; i++) if (!Number.isFinite(x[i])) onNonFinite(i);
    const trace = this.forward(Float64Array.from(x), rows, 'predict');
    return trace.a[trace.a.length - 1] ?? Float64Array.from(x);
  }

  /** Each stage's z (Dense and BatchNorm stages) and a = act(z) for rows × inputSize values: the trace predict drops. Mutates nothing. */
  forwardStages(x: ArrayLike<number>, rows: number): StageOutputs[] {
    this.live();
    checkPredictSize(this.plan, x, rows, 'forwardStages');
    const trace = this.forward(Float64Array.from(x), rows, 'predict');
    return this.plan.stages.map((s, i) => ({ linear: keepsLinear(s) ? trace.z[i] : null, output: trace.a[i] }));
  }

  /** Drops everything. Idempotent; any later call throws. */
  dispose(): void {
    this.disposed = true;
    this.params = new Float64Array(0);
    this.grads = new Float64Array(0);
  }

  private live(): void {
    checkLive(this.disposed, 'ReferenceEngine');
  }

  private fail(status: StepStatus, loss: number): number {
    this.status = status;
    return loss;
  }

  /** The batch's rows of x and y, gathered in the handle's order. */
  private batch(data: DataHandle, start: number, count: number): { x: Float64Array; y: Float64Array; w: Float64Array | null } {
    const ours = data instanceof ReferenceData && data.owner === this;
    checkHandle(ours, ours && (data as ReferenceData).disposed);
    const d = data as ReferenceData;
    checkBatch(start, count, d.order ? d.order.length : d.rows);
    const { inputSize: I, outputSize: O } = this.plan;
    const x = new Float64Array(count * I);
    const y = new Float64Array(count * O);
    for (let r = 0; r < count; r++) {
      const row = d.order ? d.order[start + r] : start + r;
      x.set(d.x.subarray(row * I, row * I + I), r * I);
      y.set(d.y.subarray(row * O, row * O + O), r * O);
    }
    const w = d.w === null ? null : Float64Array.from({ length: count }, (_, r) => d.w![d.order ? d.order[start + r] : start + r]);
    return { x, y, w };
  }

  /** W and b of dense stage i (b = null without bias), as views on the parameters. */
  private weights(stage: number): { w: Float64Array; b: Float64Array | null } {
    const own = this.tensors(stage);
    return { w: own[0], b: own[1] ?? null };
  }

  /** Views on the parameter tensors of stage i, in layout order. */
  private tensors(stage: number): Float64Array[] {
    return this.slots.filter((s) => s.stage === stage).map((s) => this.params.subarray(s.offset, s.offset + s.length));
  }

  /** Runs every stage on x[rows × inputSize] in `mode`, keeping what the backward pass needs. */
  private forward(x: Float64Array, rows: number, mode: Mode): Trace {
    const trace: Trace = { x: [], z: [], a: [], dz: [], bn: [], mask: [] };
    let input = x;
    let dropouts = 0;
    this.plan.stages.forEach((s, i) => {
      let z: Float64Array, a: Float64Array;
      let cache: BatchNormCache | null = null,
        mask: Float64Array | null = null;
      if (s.kind === 'dense') {
        const { w, b } = this.weights(i);
        ({ z, a } = denseForward(input, w, b, rows, s.inSize, s.outSize, s.activation, s.alpha));
      } else if (s.kind === 'batchnorm') {
        const [gamma, beta, mean, variance] = this.tensors(i);
        if (mode === 'predict') z = batchNormEval(input, gamma, beta, mean, variance, rows, s.size, s.eps);
        else ({ z, cache } = batchNormTrain(input, gamma, beta, rows, s.size, s.eps));
        a = activationForward(s.activation, s.alpha, z, rows, s.size);
      } else if (s.kind === 'dropout') {
        z = input;
        a = input;
        if (mode === 'train') {
          mask = dropoutMask(new Float64Array(rows * s.size), this.noiseSeed, dropouts, s.rate);
          a = input.map((v, k) => v * mask![k]);
        }
        dropouts++;
      } else {
        z = input;
        a = activationForward(s.activation, s.alpha, z, rows, s.size);
      }
      trace.x.push(input);
      trace.z.push(z);
      trace.a.push(a);
      trace.bn.push(cache);
      trace.mask.push(mask);
      input = a;
    });
    return trace;
  }

  /** The batch loss and a new flat gradient array dL/dp by the chain rule. Mutates nothing. */
  private lossAndGradients(data: DataHandle, start: number, count: number, mode: Mode): { loss: number; grads: Float64Array; trace: Trace } {
    const { x, y, w } = this.batch(data, start, count);
    const trace = this.forward(x, count, mode);
    const stages = this.plan.stages;
    const out = trace.a[stages.length - 1] ?? x;
    const fused = fusesSoftmaxCrossEntropy(this.plan);
    const { value, grad } =
      w === null
        ? lossAndGradient(this.plan.loss, out, y, count, this.plan.outputSize, fused, this.plan.huberDelta)
        : weightedLossAndGradient(this.plan.loss, out, y, w, count, this.plan.outputSize, fused, this.plan.huberDelta);
    const grads = new Float64Array(this.size);
    let g = grad; // dL/d(output of stage i)
    for (let i = stages.length - 1; i >= 0; i--) {
      const s = stages[i];
      const width = stageWidth(s);
      // With the fused loss, grad is already dL/dz of the last stage: skip its softmax Jacobian.
      const dz = fused && i === stages.length - 1 ? g : activationBackward(s.activation, s.alpha, trace.z[i], trace.a[i], g, count, width);
      trace.dz[i] = dz;
      if (s.kind === 'dense') {
        const { dw, db, dx } = denseBackward(trace.x[i], this.weights(i).w, dz, count, s.inSize, s.outSize);
        for (const slot of this.slots.filter((t) => t.stage === i)) grads.set(slot.isBias ? db : dw, slot.offset);
        g = dx;
      } else if (s.kind === 'batchnorm') {
        const { dgamma, dbeta, dx } = batchNormBackward(dz, this.tensors(i)[0], trace.bn[i]!, count, s.size);
        const [gamma, beta] = this.slots.filter((t) => t.stage === i);
        grads.set(dgamma, gamma.offset);
        grads.set(dbeta, beta.offset);
        g = dx;
      } else if (trace.mask[i]) {
        const mask = trace.mask[i]!;
        g = dz.map((v, k) => v * mask[k]);
      } else {
        g = dz;
      }
    }
    return { loss: value, grads, trace };
  }
}
