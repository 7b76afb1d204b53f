// Seed 003: the fixed-weight 3-layer forward pass must print [0.31682708, 0.69627909].
import { describe, expect, it } from 'vitest';
import { Dense, Identity, Sequential, Sigmoid } from '../src/index.js';

const weights = [
  [
    [0.1, 0.3, 0.5],
    [0.2, 0.4, 0.6],
  ],
  [0.1, 0.2, 0.3],
  [
    [0.1, 0.4],
    [0.2, 0.5],
    [0.3, 0.6],
  ],
  [0.1, 0.2],
  [
    [0.1, 0.3],
    [0.2, 0.4],
  ],
  [0.1, 0.2],
];

describe('seed 003 fixed forward pass', () => {
  for (const backend of ['reference', 'wasm'] as const) {
    it(`gives [0.31682708, 0.69627909] on ${backend}`, () => {
      const model = new Sequential([new Dense(2, 3), new Sigmoid(), new Dense(3, 2), new Sigmoid(), new Dense(2, 2), new Identity()], { backend, seed: 3 });
      model.setWeights(weights);
      const [[a, b]] = model.predict([[1.0, 0.5]]);
      if (backend === 'reference') {
        expect(a.toFixed(8)).toBe('0.31682708');
        expect(b.toFixed(8)).toBe('0.69627909');
      } else {
        // f32: 0.3168270[9] — within 3e-8 of the seed's printed decimals (see README tolerances).
        expect(Math.abs(a - 0.31682708)).toBeLessThan(3e-8);
        expect(Math.abs(b - 0.69627909)).toBeLessThan(3e-8);
      }
      model.dispose();
    });
  }
});
