/**
 * softmax_ce and categorical_ce (fused with a final Softmax) on target rows that do not sum to 1:
 * the gradient fit follows must be the gradient of the loss evaluate reports, (p·Σt - t)/B per
 * row. Checked against central finite differences of evaluate's float64 loss on the reference
 * backend, and the f32 core against the reference.
 */
import { describe, expect, it } from 'vitest';
import { Dense, Sequential, Softmax } from '../src/index.js';

const x = [
  [0.3, -0.2, 0.5],
  [-0.4, 0.1, 0.2],
  [0.6, 0.4, -0.3],
  [0.1, -0.5, -0.1],
];
// Soft, partial, all-zero and over-full rows: none but the first sums to 1.
const t = [
  [0.7, 0.3, 0, 0],
  [0.2, 0.1, 0, 0.1],
  [0, 0, 0, 0],
  [0.5, 0.5, 0.5, 0.5],
];

function model(loss: 'softmax_ce' | 'categorical_ce', backend: 'wasm' | 'reference'): Sequential {
  const layers = loss === 'softmax_ce' ? [new Dense(3, 4)] : [new Dense(3, 4), new Softmax()];
  const m = new Sequential(layers, { seed: 5, backend });
  m.compile({ loss, optimizer: { type: 'sgd', lr: 0.1 } });
  return m;
}

/** Central differences of evaluate's loss with respect to every weight (flat, Keras order). */
function numericGradient(m: Sequential): number[][] {
  const ws = m.getWeights().map((w) => (Array.isArray(w[0]) ? (w as number[][]).flat() : (w as number[])));
  const h = 1e-6;
  const out = ws.map((w) => w.map(() => 0));
  for (let k = 0; k < ws.length; k++) {
    for (let i = 0; i < ws[k].length; i++) {
      const at = (d: number) => {
        const copy = ws.map((w) => w.slice());
        copy[k][i] += d;
        m.setWeights(copy);
        return m.evaluate(x, t).loss;
      };
      out[k][i] = (at(h) - at(-h)) / (2 * h);
    }
  }
  m.setWeights(ws);
  return out;
}

const flat = (g: unknown[]) => g.map((w) => (Array.isArray((w as unknown[])[0]) ? (w as number[][]).flat() : (w as number[])));

describe.each(['softmax_ce', 'categorical_ce'] as const)('%s on soft and partial target rows', (loss) => {
  it('follows the gradient of the loss it reports (reference, finite differences)', () => {
    const m = model(loss, 'reference');
    const numeric = numericGradient(m);
    const analytic = flat(m.gradients(x, t).gradients);
    for (let k = 0; k < numeric.length; k++) {
      for (let i = 0; i < numeric[k].length; i++) expect(Math.abs(analytic[k][i] - numeric[k][i])).toBeLessThan(1e-7);
    }
    m.dispose();
  });

  it('the f32 core gives the reference gradient', () => {
    const ref = model(loss, 'reference');
    const core = model(loss, 'wasm');
    const a = flat(ref.gradients(x, t).gradients);
    const b = flat(core.gradients(x, t).gradients);
    for (let k = 0; k < a.length; k++) for (let i = 0; i < a[k].length; i++) expect(Math.abs(a[k][i] - b[k][i])).toBeLessThan(1e-6);
    ref.dispose();
    core.dispose();
  });

  it('an all-zero target row has loss 0 and moves nothing', async () => {
    for (const backend of ['wasm', 'reference'] as const) {
      const m = model(loss, backend);
      const before = m.getWeights();
      const g = m.gradients([x[0]], [[0, 0, 0, 0]]);
      expect(Math.abs(g.loss)).toBe(0);
      expect(
        flat(g.gradients)
          .flat()
          .every((v) => v === 0),
      ).toBe(true);
      await m.fit([x[0]], [[0, 0, 0, 0]], { epochs: 5, batchSize: 1 });
      expect(m.getWeights()).toEqual(before);
      m.dispose();
    }
  });
});
