/**
 * Property-based tests of the public API with fast-check. Random networks, optimisers, losses and
 * data — mostly valid, sometimes with a bad cell (NaN, ±Infinity, 1e39, a string, null, a BigInt,
 * an object), a ragged row or a bad label — are trained on both backends. The property: either
 * both backends refuse with the same WasmlpError (class and message), or both train and the
 * wasm result matches the reference within the documented f32 bound; never a raw error, a trap or
 * a hang. After every case the arena walk passes and no bytes leak; after every refusal the
 * canary model still trains to its baseline weights.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dense, Sequential, WasmlpError, activationLayer, type LossName, type OptimizerSpec, type Weights } from '../src/index.js';
import { arenaBytesInUse } from '../src/wasm/core.js';
import { canaryWeights, expectArenaIntact, snapshot } from './helpers/hardening.js';
import { fuzzBudgetMs } from './helpers/mutate.js';

const BUDGET = fuzzBudgetMs(6000);
const LONG = process.env.FUZZ_LONG === '1';
const SEED = Number(process.env.FUZZ_SEED ?? 42);
/** The documented wasm-vs-reference bound (README, "Numeric conventions and tolerances"). */
const F32_BOUND = 1e-5;
const stats = { trained: 0, refused: 0, predicted: 0, predictRefused: 0 };

const BAD_CELLS = [NaN, Infinity, -Infinity, 1e39, -1e300, '1', null, undefined, {}, 1n, [], true];
const BAD_LABELS = [-1, 0.5, NaN, '0', 1e9, null];
const cell = fc.oneof({ weight: 30, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_CELLS) });

/** A random training problem: sizes, settings and data (rows may be ragged, cells and labels bad). */
const problem = fc
  .record({
    inputs: fc.integer({ min: 1, max: 4 }),
    hidden: fc.integer({ min: 1, max: 5 }),
    outputs: fc.integer({ min: 1, max: 3 }),
    activation: fc.constantFrom('tanh', 'sigmoid', 'identity'),
    lossPick: fc.nat(2),
    optimizer: fc.constantFrom('sgd', 'adam', 'adamw', 'rmsprop'),
    lr: fc.double({ min: 1e-3, max: 0.2, noNaN: true }),
    rows: fc.integer({ min: 1, max: 8 }),
    batchSize: fc.integer({ min: 1, max: 10 }),
    epochs: fc.integer({ min: 1, max: 2 }),
    shuffle: fc.boolean(),
    seed: fc.nat({ max: 2 ** 32 - 1 }),
  })
  .chain((p) =>
    fc.record({
      p: fc.constant(p),
      x: fc.array(
        fc.oneof(
          { weight: 40, arbitrary: fc.array(cell, { minLength: p.inputs, maxLength: p.inputs }) },
          { weight: 1, arbitrary: fc.array(cell, { maxLength: 6 }) },
        ),
        { minLength: p.rows, maxLength: p.rows },
      ),
      y: fc.array(fc.oneof({ weight: 40, arbitrary: fc.nat(Math.max(p.outputs, 2) - 1) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_LABELS) }), {
        minLength: p.rows,
        maxLength: p.rows,
      }),
    }),
  );

type Problem = typeof problem extends fc.Arbitrary<infer T> ? T : never;

function lossOf(p: Problem['p']): LossName {
  const names: LossName[] = p.outputs === 1 ? ['mse', 'sse', 'bce_logits'] : ['mse', 'softmax_ce', 'sigmoid_mse'];
  return names[p.lossPick];
}

/** Trains the problem on one backend: the weights and losses, or the WasmlpError it threw. Disposes the model. */
async function train(c: Problem, backend: 'wasm' | 'reference'): Promise<{ weights: Weights; loss: number[] } | WasmlpError> {
  const { p } = c;
  const model = new Sequential([new Dense(p.inputs, p.hidden), activationLayer(p.activation), new Dense(p.hidden, p.outputs)], { backend, seed: p.seed });
  try {
    // TypeScript does not split an object whose type is a union of names over OptimizerSpec's members.
    model.compile({ loss: lossOf(p), optimizer: { type: p.optimizer, lr: p.lr } as OptimizerSpec });
    const before = snapshot(model);
    try {
      const h = await model.fit(c.x as never, c.y as never, { epochs: p.epochs, batchSize: p.batchSize, shuffle: p.shuffle });
      return { weights: model.getWeights(), loss: h.loss };
    } catch (e) {
      if (!(e instanceof WasmlpError)) throw e;
      expect(snapshot(model)).toEqual(before);
      return e;
    }
  } finally {
    model.dispose();
  }
}

function maxScaledError(a: unknown, b: unknown): number {
  const fa = [a].flat(3) as number[],
    fb = [b].flat(3) as number[];
  expect(fa.length).toBe(fb.length);
  return fa.reduce((worst, v, i) => Math.max(worst, Math.abs(v - fb[i]) / Math.max(1, Math.abs(fb[i]))), 0);
}

describe('public API properties (fast-check)', () => {
  let canary: Weights;
  let bytes0 = 0;
  beforeAll(async () => {
    canary = await canaryWeights('wasm');
    bytes0 = arenaBytesInUse();
  });
  afterAll(() => console.log(`fuzz-api: ${JSON.stringify(stats)} in ${BUDGET} ms per property`));

  it('fit: the same refusal on both backends, or results within the f32 bound; never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(problem, async (c) => {
        const wasm = await train(c, 'wasm');
        const reference = await train(c, 'reference');
        expectArenaIntact();
        expect(arenaBytesInUse()).toBe(bytes0);
        if (wasm instanceof WasmlpError || reference instanceof WasmlpError) {
          expect(wasm).toBeInstanceOf(WasmlpError);
          expect(reference).toBeInstanceOf(WasmlpError);
          expect([wasm.constructor, (wasm as Error).message]).toEqual([reference.constructor, (reference as Error).message]);
          stats.refused++;
          expect(await canaryWeights('wasm')).toEqual(canary);
          return;
        }
        stats.trained++;
        const all = [...([wasm.weights].flat(3) as number[]), ...wasm.loss];
        expect(all.every(Number.isFinite)).toBe(true);
        if (c.p.optimizer === 'sgd') {
          // The bound is per step (README); it may add up over the steps of a run. Adam, AdamW and
          // RMSprop divide by sqrt(v): a gradient near 0 that f32 rounds differently gets a different
          // normalised step, so only SGD runs are compared value by value.
          const steps = c.p.epochs * Math.ceil(c.p.rows / c.p.batchSize);
          expect(maxScaledError(wasm.weights, reference.weights)).toBeLessThanOrEqual(F32_BOUND * steps);
          expect(maxScaledError(wasm.loss, reference.loss)).toBeLessThanOrEqual(F32_BOUND * steps);
        }
      }),
      { seed: SEED, numRuns: LONG ? 1e9 : 1000, interruptAfterTimeLimit: BUDGET },
    );
    expect(stats.trained).toBeGreaterThan(0);
    expect(stats.refused).toBeGreaterThan(0);
  });

  it('predict on any value: outputs matching the reference or a WasmlpError; the model unchanged', async () => {
    const wasm = new Sequential([new Dense(3, 4), activationLayer('tanh'), new Dense(4, 2)], { seed: 3 });
    const reference = Sequential.fromJSON(wasm.toJSON(), { backend: 'reference' });
    const before = snapshot(wasm);
    const input = fc.oneof(
      fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 5 }),
      fc.array(cell, { maxLength: 4 }),
      fc.record({
        data: fc.oneof(fc.float32Array({ maxLength: 9 }), fc.array(cell, { maxLength: 9 })),
        shape: fc.array(fc.integer({ min: -1, max: 4 }), { minLength: 0, maxLength: 3 }),
      }),
      fc.constantFrom(null, undefined, 'abc', 42, 7n, {}, new BigInt64Array(3), [[]]),
    );
    await fc.assert(
      fc.asyncProperty(input, async (x) => {
        let out: unknown;
        try {
          out = wasm.predict(x as never);
        } catch (e) {
          if (!(e instanceof WasmlpError)) throw e;
          expect(() => reference.predict(x as never)).toThrow(e.message);
          stats.predictRefused++;
          expect(snapshot(wasm)).toEqual(before);
          return;
        }
        stats.predicted++;
        const want = reference.predict(x as never);
        const flat = (o: unknown): number[] => (Array.isArray(o) ? o.flat() : Array.from((o as { data: Float64Array }).data));
        expect(maxScaledError(flat(out), flat(want))).toBeLessThanOrEqual(F32_BOUND);
        expectArenaIntact();
      }),
      { seed: SEED, numRuns: LONG ? 1e9 : 2000, interruptAfterTimeLimit: BUDGET },
    );
    wasm.dispose();
    reference.dispose();
    expect(await canaryWeights('wasm')).toEqual(canary);
  });
});
