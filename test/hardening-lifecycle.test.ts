/**
 * The model's lifecycle under misuse: every call after dispose, a second fit (or compile,
 * setWeights, dispose) while fit runs, an AbortSignal fired mid-epoch; and the values that are
 * accepted on purpose, with what they do: -0 (a zero), 1e30 (within float32: the f32 step may
 * overflow, giving NonFiniteError with the weights untouched), batchSize 1e9 (a full batch,
 * nothing allocated for 1e9 rows), empty predict (an empty result).
 */
import { describe, expect, it } from 'vitest';
import { Dense, DisposedError, NonFiniteError, ReLU, Sequential, SGD, StateError } from '../src/index.js';
import { arenaBytesInUse } from '../src/wasm/core.js';
import { expectArenaIntact, refusal, snapshot } from './helpers/hardening.js';

const backends = ['wasm', 'reference'] as const;
const x = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const y = [0, 1, 1, 0];

function net(backend: 'wasm' | 'reference'): Sequential {
  const model = new Sequential([new Dense(2, 4), new ReLU(), new Dense(4, 1)], { backend, seed: 6 });
  model.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.1 }) });
  return model;
}

/** Every method of a disposed model: each must throw DisposedError. */
const afterDispose: [string, (m: Sequential) => unknown][] = [
  ['fit', (m) => m.fit(x, y)],
  ['predict', (m) => m.predict(x)],
  ['predictProba', (m) => m.predictProba(x)],
  ['predictClasses', (m) => m.predictClasses(x)],
  ['evaluate', (m) => m.evaluate(x, y)],
  ['gradients', (m) => m.gradients(x, y)],
  ['compile', (m) => m.compile({ loss: 'mse' })],
  ['getWeights', (m) => m.getWeights()],
  ['setWeights', (m) => m.setWeights([])],
  ['summary', (m) => m.summary()],
  ['toJSON', (m) => m.toJSON()],
  ['save', (m) => m.save()],
  ['toONNX', (m) => m.toONNX()],
];

/** The number of bad-input cases in this file (both backends count once each). */
export const CASES = (afterDispose.length + 5) * backends.length;

describe.each(backends)('lifecycle on %s', (backend) => {
  it.each(afterDispose)('after dispose: %s throws DisposedError', async (_, call) => {
    const model = net(backend);
    const bytes = arenaBytesInUse();
    model.dispose();
    model.dispose(); // idempotent
    const e = await refusal(() => call(model));
    expect(e).toBeInstanceOf(DisposedError);
    expect(e.message).toMatch(/disposed/);
    if (backend === 'wasm') expect(arenaBytesInUse()).toBeLessThan(bytes);
    expectArenaIntact();
  });

  it('while fit runs: a second fit, compile, setWeights and dispose throw StateError and change nothing', async () => {
    const model = net(backend);
    const controller = new AbortController();
    let refusals = 0;
    const running = model.fit(x, y, {
      epochs: 1000,
      batchSize: 1,
      onEpochEnd: async (epoch) => {
        if (epoch !== 2) return;
        const before = snapshot(model);
        for (const call of [() => model.fit(x, y), () => model.compile({ loss: 'mse' }), () => model.setWeights(model.getWeights()), () => model.dispose()]) {
          const e = await refusal(call);
          expect(e).toBeInstanceOf(StateError);
          expect(e.message).toMatch(/this model is training/);
          refusals++;
        }
        expect(snapshot(model)).toEqual(before);
        controller.abort();
      },
      signal: controller.signal,
    });
    const history = await running;
    expect(refusals).toBe(4);
    expect(history).toMatchObject({ epochs: 3, stopped: 'aborted' });
    model.dispose();
  });

  it('an AbortSignal fired mid-epoch stops after the current batch, keeping that batch', async () => {
    const model = net(backend);
    const controller = new AbortController();
    let after: unknown = null;
    const history = await model.fit(x, y, {
      epochs: 5,
      batchSize: 1,
      shuffle: false,
      signal: controller.signal,
      onBatchEnd: (b, logs) => {
        if (logs.epoch === 1 && b === 2) {
          controller.abort();
          after = model.getWeights();
        }
      },
    });
    expect(history).toMatchObject({ epochs: 1, stopped: 'aborted' });
    expect(model.getWeights()).toEqual(after);
    expect(model.pendingEpoch).toMatchObject({ nextBatch: 3, rows: 4, batchSize: 1 });
    expectArenaIntact();
    model.dispose();
  });

  it('accepts -0 as a zero, in data and in weights', () => {
    const model = net(backend);
    expect(model.predict([[-0, 1]])[0][0]).toBe(model.predict([[0, 1]])[0][0]);
    const w = model.getWeights() as number[][];
    w[1][0] = -0;
    model.setWeights(w as never);
    expect(Object.is(model.getWeights()[1][0] as number, -0) || model.getWeights()[1][0] === 0).toBe(true);
    model.dispose();
  });

  it('accepts 1e30 inputs: predict stays finite here; fit either trains (float64) or stops with NonFiniteError, weights untouched (f32)', async () => {
    const model = net(backend);
    const big = [
      [1e30, -1e30],
      [1e30, 1e30],
    ];
    expect(model.predict(big).flat().every(Number.isFinite)).toBe(true);
    const before = snapshot(model);
    const result = await model.fit(big, [[1e30], [0]], { epochs: 1, batchSize: 2 }).catch((e) => e);
    if (backend === 'wasm') {
      expect(result).toBeInstanceOf(NonFiniteError);
      expect(result.message).toMatch(/epoch 0, batch 0: .*the weights are those from before this step/);
      // The epoch had started (its shuffle order drawn): everything but the shuffle RNG is as before.
      expect({ ...snapshot(model), shuffle: null }).toEqual({ ...before, shuffle: null });
      expectArenaIntact();
    } else {
      expect(result.epochs).toBe(1);
    }
    model.dispose();
  });

  it('accepts batchSize 1e9 as a full batch, allocating for the 4 rows only', async () => {
    const a = net(backend),
      b = net(backend);
    await a.fit(x, y, { epochs: 3, batchSize: 1e9 });
    await b.fit(x, y, { epochs: 3, batchSize: 4 });
    expect(a.getWeights()).toEqual(b.getWeights());
    a.dispose();
    b.dispose();
  });

  it('predict of no rows returns an empty result', () => {
    const model = net(backend);
    expect(model.predict([])).toEqual([]);
    expect(model.predict({ data: new Float32Array(0), shape: [0, 2] }).shape).toEqual([0, 1]);
    model.dispose();
  });
});
