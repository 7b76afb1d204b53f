/**
 * The checks of the engine contract (src/engine.ts) on both engines: the same bad call throws
 * the same error class with the same message on the reference and on the WebAssembly engine,
 * and both keep exactly the optimiser state buffers optimizerStateBuffers names; trainSteps is
 * that many trainStep calls, bit for bit, on either engine.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/wasm/core.js';
import { preload } from '../src/model/parts.js';
import { WasmEngine } from '../src/wasm/engine.js';
import { ReferenceEngine } from '../src/reference/engine.js';
import { MAX_OPTIMIZER_STEP, optimizerStateBuffers, StepStatus, type Engine, type StepRun } from '../src/engine.js';
import { DisposedError, ShapeError, StateError, ValueError, type WasmlpError } from '../src/errors.js';
import type { OptimizerConfig, Plan } from '../src/plan.js';

beforeAll(async () => {
  await ready();
  await preload(); // the staging calls come with the extras (streamed training loads them)
});

const adam: OptimizerConfig = { type: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decayBiases: true, amsgrad: false };
const plan: Plan = {
  inputSize: 2,
  outputSize: 1,
  loss: 'mse',
  optimizer: adam,
  stages: [
    { kind: 'dense', inSize: 2, outSize: 3, useBias: true, activation: 'tanh', alpha: 0 },
    { kind: 'dense', inSize: 3, outSize: 1, useBias: true, activation: 'sigmoid', alpha: 0 },
  ],
};
const SIZE = 2 * 3 + 3 + 3 + 1;
const ENGINES: [string, (p: Plan) => Engine][] = [
  ['reference', (p) => new ReferenceEngine(p)],
  ['wasm', (p) => new WasmEngine(p)],
];

/** What a call threw: its class and message (null when it did not throw). */
function thrown(f: () => unknown): { type: string; message: string } | null {
  try {
    f();
    return null;
  } catch (e) {
    return { type: (e as Error).constructor.name, message: (e as Error).message };
  }
}

/** A bad call on a fresh engine (with data of 4 rows loaded) and the class it must throw. */
const BAD_CALLS: [string, typeof WasmlpError, (e: Engine, other: Engine) => unknown][] = [
  ['setParameters with a tensor too few', ShapeError, (e) => e.setParameters(e.getParameters().slice(1))],
  ['setParameters with a short tensor', ShapeError, (e) => e.setParameters(e.getParameters().map((t, i) => (i === 2 ? t.slice(1) : t)))],
  ['setOptimizerState with a negative step', ValueError, (e) => e.setOptimizerState({ ...e.getOptimizerState(), step: -1 })],
  ['setOptimizerState with a fractional step', ValueError, (e) => e.setOptimizerState({ ...e.getOptimizerState(), step: 1.5 })],
  ['setOptimizerState with a buffer missing', ShapeError, (e) => e.setOptimizerState({ step: 1, buffers: { m: new Float64Array(SIZE) } })],
  [
    'setOptimizerState with a short buffer',
    ShapeError,
    (e) => e.setOptimizerState({ step: 1, buffers: { m: new Float64Array(SIZE), v: new Float64Array(2) } }),
  ],
  [
    'setOptimizerState with a foreign buffer',
    ShapeError,
    (e) => e.setOptimizerState({ step: 1, buffers: { m: new Float64Array(SIZE), momentum: new Float64Array(SIZE) } }),
  ],
  ['loadData with fractional rows', ValueError, (e) => e.loadData([1, 2], [1], 1.5)],
  ['loadData with x of the wrong size', ShapeError, (e) => e.loadData([1, 2, 3], [1], 1)],
  ['loadData with y of the wrong size', ShapeError, (e) => e.loadData([1, 2], [1, 0], 1)],
  ['predict with x of the wrong size', ShapeError, (e) => e.predict([1, 2, 3], 1)],
  ['predict with negative rows', ShapeError, (e) => e.predict([], -1)],
  ['trainStep past the end', ValueError, (e) => e.trainStep(data(e), 3, 2)],
  ['trainStep with count 0', ValueError, (e) => e.trainStep(data(e), 0, 0)],
  ['computeGradients from a negative start', ValueError, (e) => e.computeGradients(data(e), -1, 2)],
  [
    'trainStep past the end of a shorter order',
    ValueError,
    (e) => {
      const d = data(e);
      d.setOrder(Int32Array.of(3, 1));
      return e.trainStep(d, 1, 2);
    },
  ],
  ['setOrder with a row out of range', ValueError, (e) => data(e).setOrder(Int32Array.of(0, 4))],
  ['setOrder with a negative row', ValueError, (e) => data(e).setOrder(Int32Array.of(-1))],
  ['trainStep on a handle another engine loaded', ValueError, (e, other) => e.trainStep(data(other), 0, 1)],
  [
    'trainStep on a disposed handle',
    DisposedError,
    (e) => {
      const d = data(e);
      d.dispose();
      return e.trainStep(d, 0, 1);
    },
  ],
  [
    'setOrder on a disposed handle',
    DisposedError,
    (e) => {
      const d = data(e);
      d.dispose();
      d.setOrder(null);
    },
  ],
  ['trainSteps with batchSize 0', ValueError, (e) => e.trainSteps(data(e), run(0, 0, 1), new Float64Array(1))],
  ['trainSteps from a batch past the end', ValueError, (e) => e.trainSteps(data(e), run(2, 2, 1), new Float64Array(1))],
  ['trainSteps with fractional steps', ValueError, (e) => e.trainSteps(data(e), run(2, 0, 1.5), new Float64Array(2))],
  ['trainSteps with too few losses', ValueError, (e) => e.trainSteps(data(e), run(2, 0, 3), new Float64Array(2))],
  ['trainSteps with too few seeds', ValueError, (e) => e.trainSteps(data(e), { ...run(2, 0, 3), seeds: new Uint32Array(2) }, new Float64Array(3))],
  [
    'trainSteps past the end of a shorter order',
    ValueError,
    (e) => {
      const d = data(e);
      d.setOrder(Int32Array.of(3, 1));
      return e.trainSteps(d, run(1, 2, 1), new Float64Array(1));
    },
  ],
  ['trainSteps on a handle another engine loaded', ValueError, (e, other) => e.trainSteps(data(other), run(2, 0, 1), new Float64Array(1))],
  [
    'trainSteps on a disposed handle',
    DisposedError,
    (e) => {
      const d = data(e);
      d.dispose();
      return e.trainSteps(d, run(2, 0, 1), new Float64Array(1));
    },
  ],
  ['createStaging with capacity 0', ValueError, (e) => e.createStaging(0, false)],
  ['loadBatch on a handle loadData made', ValueError, (e) => e.loadBatch(data(e), [1, 2], [1], 1)],
  ['loadBatch past the staging capacity', ValueError, (e) => e.loadBatch(e.createStaging(1, false), [1, 2, 3, 4], [1, 0], 2)],
  ['loadBatch with x not whole rows', ShapeError, (e) => e.loadBatch(e.createStaging(2, false), [1, 2, 3], [1, 0], 1)],
  ['loadBatch without the weights of a weighted handle', ValueError, (e) => e.loadBatch(e.createStaging(2, true), [1, 2], [1], 1)],
  ['loadBatch with a negative weight', ValueError, (e) => e.loadBatch(e.createStaging(2, true), [1, 2], [1], 1, [-1])],
  ['loadBatch with an index out of range', ValueError, (e) => e.loadBatch(e.createStaging(2, false), [1, 2], [1], 1, null, Int32Array.of(1))],
  [
    'trainStep on staging past its loaded rows',
    ValueError,
    (e) => {
      const s = e.createStaging(2, false);
      e.loadBatch(s, [1, 2], [1], 1);
      return e.trainStep(s, 0, 2);
    },
  ],
  ['setOrder on a staging handle', ValueError, (e) => e.createStaging(2, false).setOrder(Int32Array.of(0))],
  [
    'loadBatch on a disposed staging handle',
    DisposedError,
    (e) => {
      const s = e.createStaging(2, false);
      s.dispose();
      e.loadBatch(s, [1, 2], [1], 1);
    },
  ],
];

/** A trainSteps run without seeds. */
function run(batchSize: number, first: number, steps: number): StepRun {
  return { batchSize, first, steps, seeds: null };
}

function data(e: Engine) {
  return e.loadData([0, 0, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0], 4);
}

describe('the same bad call on both engines', () => {
  it.each(BAD_CALLS)('%s throws %o with the same message', (_, type, call) => {
    const outcomes = ENGINES.map(([, make]) => {
      const e = make(plan),
        other = make(plan);
      try {
        return thrown(() => call(e, other));
      } finally {
        e.dispose();
        other.dispose();
      }
    });
    expect(outcomes[0]?.type).toBe(type.name);
    expect(outcomes[1]).toEqual(outcomes[0]);
  });

  it.each(ENGINES)('every call on a disposed %s engine throws DisposedError', (_, make) => {
    const e = make(plan);
    const d = data(e);
    const params = e.getParameters();
    const state = e.getOptimizerState();
    e.dispose();
    e.dispose(); // idempotent
    const calls: (() => unknown)[] = [
      () => e.getParameters(),
      () => e.setParameters(params),
      () => e.getGradients(),
      () => e.getOptimizerState(),
      () => e.setOptimizerState(state),
      () => e.resetOptimizer(),
      () => e.loadData([1, 2], [1], 1),
      () => e.trainStep(d, 0, 1),
      () => e.computeGradients(d, 0, 1),
      () => e.predict([1, 2], 1),
      () => e.trainSteps(d, run(1, 0, 1), new Float64Array(1)),
    ];
    for (const call of calls) expect(call).toThrow(DisposedError);
  });
});

describe('optimiser state buffers', () => {
  const sgd = (momentum: number): OptimizerConfig => ({ type: 'sgd', lr: 0.1, momentum, dampening: 0, nesterov: false, weightDecay: 0, decayBiases: true });
  const rms = (centered: boolean, momentum: number): OptimizerConfig => ({
    type: 'rmsprop',
    lr: 0.01,
    alpha: 0.99,
    eps: 1e-8,
    momentum,
    centered,
    weightDecay: 0,
    decayBiases: true,
  });
  const CASES: [OptimizerConfig, string[]][] = [
    [sgd(0), []],
    [sgd(0.9), ['momentum']],
    [adam, ['m', 'v']],
    [{ ...adam, amsgrad: true }, ['m', 'v', 'vMax']],
    [{ ...adam, type: 'adamw' }, ['m', 'v']],
    [rms(false, 0), ['squareAvg']],
    [rms(true, 0), ['squareAvg', 'gradAvg']],
    [rms(false, 0.5), ['squareAvg', 'momentum']],
    [rms(true, 0.5), ['squareAvg', 'gradAvg', 'momentum']],
  ];

  it.each(CASES)('%o keeps %o on both engines, and a state moves between them', (optimizer, names) => {
    expect(optimizerStateBuffers(optimizer)).toEqual(names);
    const p = { ...plan, optimizer };
    const [ref, wasm] = ENGINES.map(([, make]) => make(p));
    try {
      ref.setParameters(ref.getParameters().map((t) => t.map((_, i) => Math.fround(0.1 * (i + 1)))));
      const d = data(ref);
      ref.trainStep(d, 0, 4);
      const state = ref.getOptimizerState();
      expect(Object.keys(state.buffers)).toEqual(names);
      expect(Object.keys(wasm.getOptimizerState().buffers)).toEqual(names);
      const f32 = { step: state.step, buffers: Object.fromEntries(Object.entries(state.buffers).map(([n, b]) => [n, b.map(Math.fround)])) };
      wasm.setOptimizerState(f32);
      expect(wasm.getOptimizerState()).toEqual(f32);
    } finally {
      ref.dispose();
      wasm.dispose();
    }
  });
});

describe('trainSteps', () => {
  // Dropout and BatchNorm draw on the noise seed and the batch's rows: the run must hand each step its own.
  const noisy: Plan = {
    inputSize: 2,
    outputSize: 1,
    loss: 'mse',
    optimizer: adam,
    stages: [
      { kind: 'dense', inSize: 2, outSize: 6, useBias: true, activation: 'identity', alpha: 0 },
      { kind: 'batchnorm', size: 6, eps: 1e-5, momentum: 0.1, activation: 'relu', alpha: 0 },
      { kind: 'dropout', size: 6, rate: 0.3, activation: 'identity', alpha: 0 },
      { kind: 'dense', inSize: 6, outSize: 1, useBias: true, activation: 'sigmoid', alpha: 0 },
    ],
  };
  const X = Array.from({ length: 7 * 2 }, (_, i) => Math.sin(i * 1.7));
  const Y = Array.from({ length: 7 }, (_, i) => i % 2);
  const start = (make: (p: Plan) => Engine, p: Plan) => {
    const e = make(p);
    e.setParameters(e.getParameters().map((t) => t.map((_, i) => Math.fround(0.3 * Math.cos(i + t.length)))));
    const d = e.loadData(
      X,
      Y,
      7,
      Y.map((v) => 1 + v),
    );
    d.setOrder(Int32Array.of(6, 2, 4, 0, 1, 5, 3));
    return { e, d };
  };

  it.each(ENGINES)('on the %s engine equals one trainStep after another, going on into the next pass', (_, make) => {
    const seeds = Uint32Array.from({ length: 9 }, (_, i) => (i * 2654435761) >>> 0);
    const a = start(make, noisy),
      b = start(make, noisy);
    // Batches of 3 over 7 rows: [0,3) [3,6) [6,7); from batch 1, 9 steps wrap around three times.
    const losses = new Float64Array(9);
    expect(a.e.trainSteps(a.d, { batchSize: 3, first: 1, steps: 9, seeds }, losses)).toBe(9);
    const one: number[] = [];
    for (let i = 0; i < 9; i++) {
      const batch = (1 + i) % 3;
      b.e.setNoiseSeed(seeds[i]);
      one.push(b.e.trainStep(b.d, batch * 3, Math.min(3, 7 - batch * 3)));
    }
    expect(Array.from(losses)).toEqual(one);
    expect(a.e.getParameters()).toEqual(b.e.getParameters());
    expect(a.e.getOptimizerState()).toEqual(b.e.getOptimizerState());
    expect(a.e.getGradients()).toEqual(b.e.getGradients());
    expect(a.e.trainSteps(a.d, run(3, 0, 0), new Float64Array(0))).toBe(0);
    a.e.dispose();
    b.e.dispose();
  });

  it.each(ENGINES)('on the %s engine stops at the first step that fails, that step changing nothing', (_, make) => {
    const { e } = start(make, plan);
    const x = X.slice();
    x[2 * 6] = NaN; // row 6 leads the order: batch 0 of 3 rows has a NaN loss
    const bad = e.loadData(x, Y, 7);
    bad.setOrder(Int32Array.of(6, 2, 4, 0, 1, 5, 3));
    const losses = new Float64Array(5);
    expect(e.trainSteps(bad, run(3, 1, 2), losses)).toBe(2);
    const after = { params: e.getParameters(), state: e.getOptimizerState(), grads: e.getGradients() };
    // Batches 1, 2, then 0 again: the third step fails and changes nothing.
    expect(e.trainSteps(bad, run(3, 1, 5), losses)).toBe(2);
    expect(e.lastStatus).toBe(StepStatus.NonFiniteLoss);
    expect(Number.isNaN(losses[2])).toBe(true);
    expect(Array.from(losses.subarray(0, 2)).every(Number.isFinite)).toBe(true);
    const twice = { params: e.getParameters(), state: e.getOptimizerState(), grads: e.getGradients() };
    const ref = start(make, plan);
    const rb = ref.e.loadData(x, Y, 7);
    rb.setOrder(Int32Array.of(6, 2, 4, 0, 1, 5, 3));
    for (const [s0, n] of [
      [3, 3],
      [6, 1],
      [3, 3],
      [6, 1],
    ])
      ref.e.trainStep(rb, s0, n);
    expect(twice).toEqual({ params: ref.e.getParameters(), state: ref.e.getOptimizerState(), grads: ref.e.getGradients() });
    expect(after.state.step).toBe(2);
    e.dispose();
    ref.e.dispose();
  });

  it.each(ENGINES)('on the %s engine takes the steps the optimiser can still count, then refuses as trainStep does', (_, make) => {
    const { e, d } = start(make, plan);
    e.setOptimizerState({ ...e.getOptimizerState(), step: MAX_OPTIMIZER_STEP - 2 });
    const losses = new Float64Array(5);
    expect(() => e.trainSteps(d, run(4, 0, 5), losses)).toThrow(StateError);
    expect(e.getOptimizerState().step).toBe(MAX_OPTIMIZER_STEP);
    e.dispose();
  });
});
