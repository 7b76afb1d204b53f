/**
 * The checks of the engine contract (src/engine.ts) on both engines: the same bad call throws
 * the same error class with the same message on the reference and on the WebAssembly engine,
 * and both keep exactly the optimiser state buffers optimizerStateBuffers names.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/wasm/core.js';
import { preload } from '../src/model/parts.js';
import { WasmEngine } from '../src/wasm/engine.js';
import { ReferenceEngine } from '../src/reference/engine.js';
import { optimizerStateBuffers, type Engine } from '../src/engine.js';
import { DisposedError, ShapeError, ValueError } from '../src/errors.js';
import type { OptimizerConfig, Plan } from '../src/plan.js';

beforeAll(async () => {
  await ready();
  await preload(); // the staging calls come with the extras (streamed training loads them)
});

const adam: OptimizerConfig = { type: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decayBiases: true, amsgrad: false };
const plan: Plan = {
  inputSize: 2, outputSize: 1, loss: 'mse', optimizer: adam,
  stages: [{ kind: 'dense', inSize: 2, outSize: 3, useBias: true, activation: 'tanh', alpha: 0 },
    { kind: 'dense', inSize: 3, outSize: 1, useBias: true, activation: 'sigmoid', alpha: 0 }],
};
const SIZE = 2 * 3 + 3 + 3 + 1;
const ENGINES: [string, (p: Plan) => Engine][] = [['reference', (p) => new ReferenceEngine(p)], ['wasm', (p) => new WasmEngine(p)]];

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
const BAD_CALLS: [string, typeof Error, (e: Engine, other: Engine) => unknown][] = [
  ['setParameters with a tensor too few', ShapeError, (e) => e.setParameters(e.getParameters().slice(1))],
  ['setParameters with a short tensor', ShapeError, (e) => e.setParameters(e.getParameters().map((t, i) => (i === 2 ? t.slice(1) : t)))],
  ['setOptimizerState with a negative step', ValueError, (e) => e.setOptimizerState({ ...e.getOptimizerState(), step: -1 })],
  ['setOptimizerState with a fractional step', ValueError, (e) => e.setOptimizerState({ ...e.getOptimizerState(), step: 1.5 })],
  ['setOptimizerState with a buffer missing', ShapeError, (e) => e.setOptimizerState({ step: 1, buffers: { m: new Float64Array(SIZE) } })],
  ['setOptimizerState with a short buffer', ShapeError, (e) => e.setOptimizerState({ step: 1, buffers: { m: new Float64Array(SIZE), v: new Float64Array(2) } })],
  ['setOptimizerState with a foreign buffer', ShapeError, (e) => e.setOptimizerState({ step: 1, buffers: { m: new Float64Array(SIZE), momentum: new Float64Array(SIZE) } })],
  ['loadData with fractional rows', ValueError, (e) => e.loadData([1, 2], [1], 1.5)],
  ['loadData with x of the wrong size', ShapeError, (e) => e.loadData([1, 2, 3], [1], 1)],
  ['loadData with y of the wrong size', ShapeError, (e) => e.loadData([1, 2], [1, 0], 1)],
  ['predict with x of the wrong size', ShapeError, (e) => e.predict([1, 2, 3], 1)],
  ['predict with negative rows', ShapeError, (e) => e.predict([], -1)],
  ['trainStep past the end', ValueError, (e) => e.trainStep(data(e), 3, 2)],
  ['trainStep with count 0', ValueError, (e) => e.trainStep(data(e), 0, 0)],
  ['computeGradients from a negative start', ValueError, (e) => e.computeGradients(data(e), -1, 2)],
  ['trainStep past the end of a shorter order', ValueError, (e) => { const d = data(e); d.setOrder(Int32Array.of(3, 1)); return e.trainStep(d, 1, 2); }],
  ['setOrder with a row out of range', ValueError, (e) => data(e).setOrder(Int32Array.of(0, 4))],
  ['setOrder with a negative row', ValueError, (e) => data(e).setOrder(Int32Array.of(-1))],
  ['trainStep on a handle another engine loaded', ValueError, (e, other) => e.trainStep(data(other), 0, 1)],
  ['trainStep on a disposed handle', DisposedError, (e) => { const d = data(e); d.dispose(); return e.trainStep(d, 0, 1); }],
  ['setOrder on a disposed handle', DisposedError, (e) => { const d = data(e); d.dispose(); d.setOrder(null); }],
  ['createStaging with capacity 0', ValueError, (e) => e.createStaging(0, false)],
  ['loadBatch on a handle loadData made', ValueError, (e) => e.loadBatch(data(e), [1, 2], [1], 1)],
  ['loadBatch past the staging capacity', ValueError, (e) => e.loadBatch(e.createStaging(1, false), [1, 2, 3, 4], [1, 0], 2)],
  ['loadBatch with x not whole rows', ShapeError, (e) => e.loadBatch(e.createStaging(2, false), [1, 2, 3], [1, 0], 1)],
  ['loadBatch without the weights of a weighted handle', ValueError, (e) => e.loadBatch(e.createStaging(2, true), [1, 2], [1], 1)],
  ['loadBatch with a negative weight', ValueError, (e) => e.loadBatch(e.createStaging(2, true), [1, 2], [1], 1, [-1])],
  ['loadBatch with an index out of range', ValueError, (e) => e.loadBatch(e.createStaging(2, false), [1, 2], [1], 1, null, Int32Array.of(1))],
  ['trainStep on staging past its loaded rows', ValueError, (e) => { const s = e.createStaging(2, false); e.loadBatch(s, [1, 2], [1], 1); return e.trainStep(s, 0, 2); }],
  ['setOrder on a staging handle', ValueError, (e) => e.createStaging(2, false).setOrder(Int32Array.of(0))],
  ['loadBatch on a disposed staging handle', DisposedError, (e) => { const s = e.createStaging(2, false); s.dispose(); e.loadBatch(s, [1, 2], [1], 1); }],
];

function data(e: Engine) {
  return e.loadData([0, 0, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0], 4);
}

describe('the same bad call on both engines', () => {
  it.each(BAD_CALLS)('%s throws %o with the same message', (_, type, call) => {
    const outcomes = ENGINES.map(([, make]) => {
      const e = make(plan), other = make(plan);
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
      () => e.getParameters(), () => e.setParameters(params), () => e.getGradients(), () => e.getOptimizerState(),
      () => e.setOptimizerState(state), () => e.resetOptimizer(), () => e.loadData([1, 2], [1], 1),
      () => e.trainStep(d, 0, 1), () => e.computeGradients(d, 0, 1), () => e.predict([1, 2], 1),
    ];
    for (const call of calls) expect(call).toThrow(DisposedError);
  });
});

describe('optimiser state buffers', () => {
  const sgd = (momentum: number): OptimizerConfig => ({ type: 'sgd', lr: 0.1, momentum, dampening: 0, nesterov: false, weightDecay: 0, decayBiases: true });
  const rms = (centered: boolean, momentum: number): OptimizerConfig =>
    ({ type: 'rmsprop', lr: 0.01, alpha: 0.99, eps: 1e-8, momentum, centered, weightDecay: 0, decayBiases: true });
  const CASES: [OptimizerConfig, string[]][] = [
    [sgd(0), []], [sgd(0.9), ['momentum']],
    [adam, ['m', 'v']], [{ ...adam, amsgrad: true }, ['m', 'v', 'vMax']], [{ ...adam, type: 'adamw' }, ['m', 'v']],
    [rms(false, 0), ['squareAvg']], [rms(true, 0), ['squareAvg', 'gradAvg']], [rms(false, 0.5), ['squareAvg', 'momentum']],
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
