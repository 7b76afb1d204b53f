/**
 * The WebAssembly backend: the Engine contract (src/engine.ts) on the AssemblyScript core.
 *
 * The engine owns one network descriptor in the core's arena (parameters, gradients, optimiser
 * state and batch buffers) plus the data handles it loaded. Arrays cross the boundary as
 * float64 copies, rounded to f32 on the way in. Usable synchronously once `ready()` resolved.
 *
 * Threads: when `prepare({ threads })` (fit calls it) asks for more than one thread for the
 * plan's steps (threads/thread-count.ts), it loads the thread team (threads/team.ts), which may
 * move the network to the threads build of the core and start a pool of workers; each call
 * then runs on the team, which picks its thread count per step. Results are bit for bit those
 * of one thread, so moving changes nothing but speed; one thread never loads the threads code.
 */
import {
  checkBatch,
  checkHandle,
  checkStepRoom,
  checkStepRun,
  checkLive,
  checkOptimizerState,
  checkParameters,
  checkPredictSize,
  MAX_OPTIMIZER_STEP,
  optimizerStateBuffers,
  parameterSlots,
  StepStatus,
  type DataHandle,
  type Engine,
  type OptimizerState,
  type ParameterSlot,
  type StageOutputs,
  type StepRun,
} from '../engine.js';
import { INITIAL_ROWS, PREDICT_ROWS, type Plan, type Stage } from '../plan.js';
import { core, type Core } from './core.js';
import { stateSlots } from './state-slots.js';
import { WasmData, isFloatArray, loadWasmData, writeF32 } from './data.js';
import { stagingCode } from './staging-pass.js';
import { stagePass } from './stage-pass.js';
import { growCapacity, MAX_CAPACITY } from './memory.js';
import { createNet } from './create-net.js';
import { StepRunBlock } from './step-run.js';
import { checkPlan } from './check-plan.js';
import type { ThreadPool } from './threads/pool.js';
import type { MoveNet } from './threads/move-net.js';
import type { Team } from './threads/team.js';
import type { ThreadsOption } from '../engine-options.js';
import { threadsFor, trainFlops } from './threads/thread-count.js';

export { ready, isReady, arenaBytesInUse, wasmMemoryBytes } from './core.js';

/** Rows per predict call at least (predict grows the batch capacity to this). */
const PREDICT_CHUNK = PREDICT_ROWS;

/** The WebAssembly backend of one model. `await ready()` before constructing it. */
export class WasmEngine implements Engine {
  readonly backend = 'wasm' as const;
  readonly dtype = 'float32' as const;
  readonly plan: Plan;
  #net: number;
  #core: Core;
  /** The thread team (threads/team.ts), once a prepare asked for threads where they run; null on one thread. */
  #team: Team | null = null;
  /** The last prepare() in flight (resolved when none): the next one waits for it. */
  #preparing: Promise<void> = Promise.resolve();
  readonly #layout: ParameterSlot[];
  readonly #size: number;
  readonly #slots: [string, number][];
  readonly #stages: readonly Stage[];
  readonly #data = new Set<WasmData>();
  #rowWeights = 0; // the row-weights pointer the core has (0: unweighted); set when a handle's differs
  #status: StepStatus = StepStatus.Ok;
  #disposed = false;
  readonly #runBlock = new StepRunBlock();
  /** The learning rate set by setLearningRate (undefined: the plan's), carried when the net moves to a threads core. */
  #lr: number | undefined;

  /** Builds the network in the core with zero parameters and room for `capacity` rows per batch. */
  constructor(plan: Plan, capacity = INITIAL_ROWS) {
    this.plan = plan;
    this.#core = core();
    // A plan with no stage (only Flatten) still needs one buffer to hold its output.
    const stages: readonly Stage[] = plan.stages.length > 0 ? plan.stages : [{ kind: 'activation', size: plan.inputSize, activation: 'identity', alpha: 0 }];
    checkPlan(plan, stages);
    this.#stages = stages;
    ({ slots: this.#layout, size: this.#size } = parameterSlots(plan));
    this.#net = createNet(this.#core, plan, stages, this.#size, Math.max(1, Math.min(Math.floor(capacity), MAX_CAPACITY)), this.#lr);
    this.#slots = stateSlots(this.#core, this.#net, optimizerStateBuffers(plan.optimizer), plan.optimizer.type);
  }

  /** @internal the core whose memory holds this engine's buffers (it changes when threads start). */
  get memoryCore(): Core {
    return this.#core;
  }

  /** Threads of this engine's pool (1 while it runs on the ordinary build). */
  get threads(): number {
    return this.#team?.threads ?? 1;
  }

  /** @internal the pool, for tests (null on one thread). */
  get threadPool(): ThreadPool | null {
    return this.#team?.pool ?? null;
  }

  /** @internal whether a data handle lives in this engine's core (a thread team then leaves the network there). */
  get holdsData(): boolean {
    return this.#data.size > 0;
  }

  /**
   * Sets up threads for training with batches of `batchSize` rows: `threads` 1 keeps one thread;
   * n > 1, or 'auto' when a step of that size is worth it, moves the network to the threads
   * build and starts a pool. Where threads are unavailable it stays on one thread and says so
   * once (console.info). Call while no data handle is loaded (fit does, before loadData).
   * Concurrent calls run one after another, so a model never starts a second team.
   */
  prepare(options: { threads: ThreadsOption; batchSize: number }): Promise<void> {
    const run = this.#preparing.then(() => this.#prepareNow(options));
    this.#preparing = run.catch(() => undefined);
    return run;
  }

  async #prepareNow(options: { threads: ThreadsOption; batchSize: number }): Promise<void> {
    this.#live();
    const option = options.threads;
    if (this.#team) this.#team.option = option;
    const flops = trainFlops(this.plan, options.batchSize);
    if (threadsFor(option, flops, Infinity) <= 1) return;
    // The threads code loads only here (chunks of its own in a bundle), and only where threads run.
    if (!(await import('./threads/threads-gate.js')).threadsHere()) return;
    this.#team ??= new (await import('./threads/team.js')).Team(this);
    await this.#team.prepare(option, flops);
  }

  /**
   * @internal Rebuilds the network in core `to` (OutOfMemoryError, changing nothing, when it cannot
   * hold it), has `move` (threads/move-net.ts) carry its numbers over and free it here; a thread team calls it.
   */
  moveTo(to: Core, move: MoveNet): void {
    const from = this.#core;
    const net = createNet(to, this.plan, this.#stages, this.#size, from.exports.netCapacity(this.#net), this.#lr);
    move(from, to, this.#net, net, this.#size, this.#slots);
    this.#runBlock.free(from);
    this.#core = to;
    this.#net = net;
    this.#rowWeights = 0;
  }

  /** Drops a disposed data handle from the set freed by dispose(); with the last one goes trainSteps' block, so a fit leaves the arena as it found it. */
  forget(d: DataHandle): void {
    this.#data.delete(d as WasmData);
    if (this.#data.size === 0) this.#runBlock.free(this.#core);
  }

  /** True until dispose(). */
  get isLive(): boolean {
    return !this.#disposed;
  }

  get lastStatus(): StepStatus {
    return this.#status;
  }

  /** Rows the batch buffers currently hold. */
  get capacity(): number {
    this.#live();
    return this.#core.exports.netCapacity(this.#net);
  }

  /** Copies of the parameters in Keras order, as float64. */
  getParameters(): Float64Array[] {
    return this.#readTensors(this.#core.exports.netParams(this.#live()));
  }

  /** Overwrites every parameter (rounded to f32). Does not touch the optimiser state. */
  setParameters(params: readonly ArrayLike<number>[]): void {
    const base = this.#core.exports.netParams(this.#live()) >>> 0;
    checkParameters(this.#layout, params);
    this.#layout.forEach((l, i) => writeF32(this.#core, base, params[i], l.offset));
  }

  /** Copies of dL/dp of the last step (before weight decay), Keras order. */
  getGradients(): Float64Array[] {
    return this.#readTensors(this.#core.exports.netGrads(this.#live()));
  }

  /** The step count and a float64 copy of every state buffer. */
  getOptimizerState(): OptimizerState {
    const e = this.#core.exports;
    const net = this.#live();
    const buffers: Record<string, Float64Array> = {};
    for (const [name, slot] of this.#slots) {
      const p = e.netState(net, slot) >>> 2;
      buffers[name] = Float64Array.from(this.#core.f32().subarray(p, p + this.#size));
    }
    return { step: e.netStep(net), buffers };
  }

  /** Restores a state from getOptimizerState of an engine with the same plan (either backend). */
  setOptimizerState(state: OptimizerState): void {
    const e = this.#core.exports;
    const net = this.#live();
    checkOptimizerState(this.plan.optimizer, this.#size, state);
    for (const [name, slot] of this.#slots) writeF32(this.#core, e.netState(net, slot) >>> 0, state.buffers[name]);
    e.netSetStep(net, state.step);
  }

  /** Sets the learning rate of the following steps in the core (one call, no allocation). */
  setLearningRate(lr: number): void {
    this.#lr = lr;
    this.#core.exports.netSetLearningRate(this.#live(), lr);
  }

  /** Zeroes the optimiser state and its step count. */
  resetOptimizer(): void {
    this.#core.exports.netResetOptimizer(this.#live());
  }

  /** Copies x (rows × inputSize), y (rows × outputSize) and the row weights, if any, into the arena as f32. */
  loadData(x: ArrayLike<number>, y: ArrayLike<number>, rows: number, weights?: ArrayLike<number> | null): DataHandle {
    this.#live();
    return this.#keep(loadWasmData(this, this.#core, this.plan, x, y, rows, weights));
  }

  /** Allocates f32 staging for one batch of `capacity` rows in the arena (see Engine.createStaging). */
  createStaging(capacity: number, weighted: boolean): DataHandle {
    this.#live();
    return this.#keep(stagingCode().createWasmStaging(this, this.#core, this.plan, capacity, weighted));
  }

  /** Copies one batch into a staging handle as f32 (see Engine.loadBatch). */
  loadBatch(handle: DataHandle, x: ArrayLike<number>, y: ArrayLike<number>, rows: number, weights?: ArrayLike<number> | null, index?: Int32Array | null): void {
    this.#live();
    const ours = handle instanceof WasmData && handle.owner === this;
    checkHandle(ours, ours && (handle as WasmData).disposed);
    stagingCode().loadWasmBatch(handle as WasmData, this.#core, this.plan, x, y, rows, weights, index);
  }

  #keep(d: WasmData): WasmData {
    this.#data.add(d);
    return d;
  }

  /** One training step on batch rows [start, start+count) of the handle's order. Returns the loss before the update. */
  trainStep(data: DataHandle, start: number, count: number): number {
    const e = this.#core.exports;
    checkStepRoom(e.netStep(this.#live()));
    const d = this.#batch(data, start, count);
    const loss = this.#team ? this.#team.trainStep(this.#net, d, start, count) : e.netTrainStep(this.#net, d.x, d.y, d.order, start, count);
    this.#status = e.netStatus(this.#net) as StepStatus;
    return loss;
  }

  /**
   * Several training steps in one core call (Engine.trainSteps; assembly/steps.ts), bit for bit
   * those of as many trainStep calls; on a thread team one trainStep after another (its steps are
   * large, and a team picks its size per step). Mutates what the steps mutate, and losses.
   */
  trainSteps(data: DataHandle, run: StepRun, losses: Float64Array): number {
    const e = this.#core.exports;
    const step = e.netStep(this.#live());
    const d = this.#batch(data, 0, 1);
    const available = d.order ? d.orderLength : d.rows;
    if (this.#team?.pool) return this.#team.trainSteps(d, available, run, losses);
    checkStepRun(run, available, losses);
    // Past the optimiser's last countable step: the steps that fit, then trainStep's own refusal.
    const n = Math.min(run.steps, MAX_OPTIMIZER_STEP - step);
    if (n < run.steps && n === 0) checkStepRoom(step);
    if (n === 0) return 0;
    this.#batch(d, 0, Math.min(run.batchSize, available));
    const done = this.#runBlock.run(this.#core, this.#net, d, available, run, n, losses);
    this.#status = e.netStatus(this.#net) as StepStatus;
    if (done === n && n < run.steps) checkStepRoom(step + n);
    return done;
  }

  /** Sets the noise seed of the next training steps' dropout masks (uint32). Mutates only that seed. */
  setNoiseSeed(seed: number): void {
    this.#core.exports.netSetNoiseSeed(this.#live(), seed >>> 0);
  }

  /** Forward, loss and backward without an update; writes only the gradients. Returns the loss. */
  computeGradients(data: DataHandle, start: number, count: number): number {
    const d = this.#batch(data, start, count);
    const e = this.#core.exports;
    return this.#team ? this.#team.computeGradients(this.#net, d, start, count) : e.netComputeGradients(this.#net, d.x, d.y, d.order, start, count);
  }

  /** The raw network output for rows × inputSize values, in chunks of at least 1024 rows. */
  predict(x: ArrayLike<number>, rows: number, onNonFinite?: (index: number) => never): Float64Array {
    const net = this.#live();
    const { inputSize, outputSize } = this.plan;
    checkPredictSize(this.plan, x, rows);
    const e = this.#core.exports;
    const out = new Float64Array(rows * outputSize);
    const chunk = Math.max(e.netCapacity(net), Math.min(rows, PREDICT_CHUNK));
    if (rows > 0) growCapacity(this.#core, this.#net, this.plan, this.#stages, Math.min(rows, chunk));
    const staging = e.netStaging(net) >>> 2;
    const output = e.netOutput(net) >>> 2;
    for (let r = 0; r < rows; r += chunk) {
      const n = Math.min(chunk, rows - r);
      const f32 = this.#core.f32();
      const from = r * inputSize,
        len = n * inputSize;
      if (isFloatArray(x)) f32.set(x.subarray(from, from + len), staging);
      else for (let i = 0; i < len; i++) f32[staging + i] = x[from + i];
      if (onNonFinite) {
        const bad = e.firstNonFinite(staging << 2, len);
        if (bad >= 0) onNonFinite(from + bad);
      }
      if (this.#team) this.#team.forward(net, staging << 2, n);
      else e.netForward(net, staging << 2, n);
      out.set(this.#core.f32().subarray(output, output + n * outputSize), r * outputSize);
    }
    return out;
  }

  /** Every stage's values for rows × inputSize values, on one thread (forward-stages.ts, once installed); writes only scratch memory. */
  forwardStages(x: ArrayLike<number>, rows: number): StageOutputs[] {
    const net = this.#live();
    checkPredictSize(this.plan, x, rows, 'forwardStages');
    return stagePass()(this.#core, this.#core.exports.netParams(net) >>> 0, this.plan, x, rows);
  }

  /** Frees the network and every data handle it loaded. Idempotent; any later call throws. */
  dispose(): void {
    if (this.#disposed) return;
    for (const d of [...this.#data]) d.dispose();
    this.#data.clear();
    this.#team?.dispose();
    this.#team = null;
    this.#core.exports.netDestroy(this.#net);
    this.#runBlock.free(this.#core);
    this.#disposed = true;
    this.#net = 0;
  }

  /** Throws after dispose(); returns the network pointer. */
  #live(): number {
    checkLive(this.#disposed, 'WasmEngine');
    return this.#net;
  }

  #readTensors(ptr: number): Float64Array[] {
    const base = ptr >>> 2;
    const f32 = this.#core.f32();
    return this.#layout.map((l) => Float64Array.from(f32.subarray(base + l.offset, base + l.offset + l.length)));
  }

  /** Validates a batch request and makes room for it; returns the handle's pointers. */
  #batch(data: DataHandle, start: number, count: number): WasmData {
    this.#live();
    const ours = data instanceof WasmData && data.owner === this;
    checkHandle(ours, ours && (data as WasmData).disposed);
    const d = data as WasmData;
    checkBatch(start, count, d.order ? d.orderLength : d.rows);
    growCapacity(this.#core, this.#net, this.plan, this.#stages, count);
    if (d.w !== this.#rowWeights) this.#core.exports.netSetRowWeights(this.#net, (this.#rowWeights = d.w));
    return d;
  }
}

/** Creates a WasmEngine for `plan`; `await ready()` first. */
export function createWasmEngine(plan: Plan, capacity?: number): WasmEngine {
  return new WasmEngine(plan, capacity);
}
