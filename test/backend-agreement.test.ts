// The f32 WebAssembly core and the float64 reference, given the same seed, data and batch order,
// agree step by step for 120 steps on random networks (every activation, loss and optimiser).
import { describe, expect, it } from 'vitest';
import { Activation, Dense, Random, Sequential, scaledError, type ActivationName, type Layer, type LossSpec } from '../src/index.js';

/** The bound on |wasm - reference| / max(1, |reference|) after 120 steps (README: tolerances). */
const AGREEMENT_BOUND = 1e-5;

const HIDDEN: ActivationName[] = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'identity'];
const CASES: { loss: LossSpec; out: ActivationName | null; outputs: number; optimizer: object }[] = [
  { loss: 'mse', out: 'sigmoid', outputs: 1, optimizer: { type: 'sgd', lr: 0.1 } },
  { loss: 'sse', out: 'sigmoid', outputs: 2, optimizer: { type: 'sgd', lr: 0.02, momentum: 0.9 } },
  { loss: 'bce', out: 'sigmoid', outputs: 1, optimizer: { type: 'adam', lr: 0.01 } },
  { loss: 'bce_logits', out: null, outputs: 1, optimizer: { type: 'sgd', lr: 0.1, momentum: 0.5, nesterov: true, weightDecay: 1e-3 } },
  { loss: 'softmax_ce', out: null, outputs: 3, optimizer: { type: 'adamw', lr: 0.01 } },
  { loss: 'categorical_ce', out: 'softmax', outputs: 4, optimizer: { type: 'rmsprop', lr: 0.005, momentum: 0.5, centered: true } },
  { loss: 'sigmoid_mse', out: 'tanh', outputs: 2, optimizer: { type: 'adam', lr: 0.01, amsgrad: true, weightDecay: 1e-4, decayBiases: false } },
  { loss: 'mse', out: 'softmax', outputs: 3, optimizer: { type: 'sgd', lr: 0.3, dampening: 0.1, momentum: 0.8 } },
];

function randomNetwork(random: Random, inputs: number, outputs: number, out: ActivationName | null): Layer[] {
  const layers: Layer[] = [];
  let width = inputs;
  const depth = 1 + random.int(3);
  for (let i = 0; i < depth; i++) {
    const units = 1 + random.int(40);
    layers.push(new Dense(width, units, { useBias: random.int(5) > 0 }));
    const act = HIDDEN[random.int(HIDDEN.length)];
    layers.push(new Activation(act, act === 'leaky_relu' ? 0.1 : 0));
    width = units;
  }
  layers.push(new Dense(width, outputs));
  if (out) layers.push(new Activation(out));
  return layers;
}

describe('wasm and reference agree step by step', () => {
  CASES.forEach((c, i) => {
    it(`${c.loss} / ${(c.optimizer as { type: string }).type}, case ${i}`, async () => {
      const random = new Random(100 + i);
      const inputs = 1 + random.int(9);
      const rows = 37;
      const x = Array.from({ length: rows }, () => Array.from({ length: inputs }, () => random.normal()));
      const y = Array.from({ length: rows }, () => random.int(c.outputs));
      const targets = c.outputs === 1 ? y.map((v) => v % 2) : y;
      const layers = randomNetwork(random, inputs, c.outputs, c.out);
      const losses: Record<string, number[]> = {};
      const weights: Record<string, number[]> = {};
      for (const backend of ['reference', 'wasm'] as const) {
        const model = new Sequential(layers, { backend, seed: 7 + i });
        model.compile({ loss: c.loss, optimizer: c.optimizer as never });
        losses[backend] = [];
        await model.fit(x, targets, { epochs: 30, batchSize: 10, shuffle: true, onBatchEnd: (_b, l) => losses[backend].push(l.loss) });
        weights[backend] = (model.getWeights() as unknown[]).flat(2) as number[];
        model.dispose();
      }
      expect(losses.wasm.length).toBe(120);
      expect(scaledError(losses.wasm, losses.reference)).toBeLessThanOrEqual(AGREEMENT_BOUND);
      expect(scaledError(weights.wasm, weights.reference)).toBeLessThanOrEqual(AGREEMENT_BOUND);
    });
  });
});
