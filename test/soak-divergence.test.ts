/**
 * Divergence storms: learning rates of 1e6 and exploding inputs (up to 1e30, inside the float32
 * range) over many seeds and optimisers, on both backends. Every run must stop with a
 * NonFiniteError whose epoch and batch fields match its message, leave exactly the weights and
 * optimiser state from before the failing step (captured after the previous batch), leave the
 * arena intact, and leave the model usable: given sane weights and rate again, it trains on.
 */
import { describe, expect, it } from 'vitest';
import { Dense, NonFiniteError, ReLU, Sequential } from '../src/index.js';
import { expectArenaIntact, refusal } from './helpers/hardening.js';

const backends = ['wasm', 'reference'] as const;
const SEEDS = Array.from({ length: 12 }, (_, i) => 7 * i + 1);

/**
 * Each storm diverges on the backends listed: with float64 the reference survives what overflows
 * f32: Adam and RMSprop take bounded steps, and after one float64 step on 1e30 inputs the ReLUs
 * die, so training stalls finite there instead of overflowing.
 */
const storms = [
  { name: 'SGD lr 1e6, inputs ~1e3', optimizer: { type: 'sgd', lr: 1e6 }, scale: 1e3, on: ['wasm', 'reference'] },
  { name: 'SGD momentum lr 1e6, inputs ~1', optimizer: { type: 'sgd', lr: 1e6, momentum: 0.9 }, scale: 1, on: ['wasm', 'reference'] },
  { name: 'SGD lr 0.1, exploding inputs 1e30', optimizer: { type: 'sgd', lr: 0.1 }, scale: 1e30, on: ['wasm'] },
  { name: 'Adam lr 1e6, inputs ~1e30', optimizer: { type: 'adam', lr: 1e6 }, scale: 1e30, on: ['wasm'] },
  { name: 'RMSprop lr 1e6, inputs ~1e20', optimizer: { type: 'rmsprop', lr: 1e6 }, scale: 1e20, on: ['wasm'] },
] as const;

function data(seed: number, scale: number): { x: number[][]; y: number[][] } {
  const x = Array.from({ length: 12 }, (_, i) => [Math.sin(seed + i) * scale, Math.cos(seed * i) * scale, ((i % 5) - 2) * scale]);
  return { x, y: x.map((_, i) => [i % 3, -(i % 2)]) };
}

describe.each(backends)('divergence storms on %s', (backend) => {
  const mine = storms.filter((s) => (s.on as readonly string[]).includes(backend));
  it.each(mine.map((s) => [s.name, s] as const))('%s: NonFiniteError with the weights from before the step, every seed', async (_, storm) => {
    for (const seed of SEEDS) {
      const model = new Sequential([new Dense(3, 8), new ReLU(), new Dense(8, 6), new ReLU(), new Dense(6, 2)], { backend, seed });
      model.compile({ loss: 'mse', optimizer: storm.optimizer as never });
      const { x, y } = data(seed, storm.scale);
      const initial = model.getWeights();
      let good = { weights: initial, state: model.liveEngine.getOptimizerState() };
      const e = await refusal(() =>
        model.fit(x, y, {
          epochs: 2000,
          batchSize: 4,
          shuffle: seed % 2 === 0,
          onBatchEnd: () => {
            good = { weights: model.getWeights(), state: model.liveEngine.getOptimizerState() };
          },
        }),
      );
      expect(e).toBeInstanceOf(NonFiniteError);
      const err = e as NonFiniteError;
      expect(err.message).toContain(`epoch ${err.epoch}, batch ${err.batch}:`);
      expect(err.message).toMatch(/the weights are those from before this step/);
      expect(model.getWeights()).toEqual(good.weights);
      expect(model.liveEngine.getOptimizerState()).toEqual(good.state);
      for (const w of model.getWeights().flat(2) as number[]) expect(Number.isFinite(w)).toBe(true);
      expectArenaIntact();
      model.setWeights(initial);
      model.compile({ loss: 'mse', optimizer: { type: 'sgd', lr: 1e-3 } });
      const h = await model.fit([[0.1, 0.2, 0.3]], [[0, 0]], { epochs: 1 });
      expect(Number.isFinite(h.loss[0])).toBe(true);
      model.dispose();
    }
  });
});
