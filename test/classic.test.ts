// Seed 002's perceptron (separates the toy data, fails on XOR) next to an MLP that solves XOR,
// and seed 000's logistic regression as a one-layer network.
import { describe, expect, it } from 'vitest';
import { logisticRegression, mlp, Perceptron, SGD } from '../src/index.js';

const toyX = [
  [0.5, 0.25],
  [0.2, 0.5],
  [0.3, 1.1],
  [0.4, 1.1],
]; // seed 002
const toyY = [1, 1, 0, 0];
const xorX = [
  [1, 1],
  [-1, 1],
  [-1, -1],
  [1, -1],
]; // seed 002's XOR in ±1 coordinates
const xorY = [1, 0, 1, 0];

describe('Perceptron', () => {
  it('separates the seed 002 toy data and says it converged', () => {
    const p = new Perceptron(2);
    const result = p.fit(toyX, toyY, { epochs: 100 });
    expect(result.converged).toBe(true);
    expect(result.mistakes[result.mistakes.length - 1]).toBe(0);
    expect(p.predict(toyX)).toEqual(toyY);
  });

  it('fails on XOR and reports that it did not converge', () => {
    const p = new Perceptron(2);
    const result = p.fit(xorX, xorY, { epochs: 200 });
    expect(result.converged).toBe(false);
    expect(result.epochs).toBe(200);
    const hits = p.predict(xorX).filter((c, i) => c === xorY[i]).length;
    expect(hits).toBeLessThan(4);
  });

  it('refuses labels that are not 0/1', () => {
    expect(() => new Perceptron(2).fit(toyX, [1, 2, 0, 0])).toThrow(/label 2 at row 1/);
  });

  it('is solved by a 2-layer MLP (100% on XOR)', async () => {
    const model = mlp([2, 4, 1], { activation: 'tanh', outputActivation: 'sigmoid', seed: 1 });
    model.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.5 }) });
    await model.fit(xorX, xorY, { epochs: 2000, batchSize: 4, shuffle: false });
    expect(model.predictClasses(xorX)).toEqual(xorY);
    model.dispose();
  });
});

describe('logisticRegression', () => {
  it('is one Dense(2, 1) on logits with BCE and SGD lr 0.1', () => {
    const model = logisticRegression(2, { seed: 1 });
    expect(model.plan.stages).toEqual([{ kind: 'dense', inSize: 2, outSize: 1, useBias: true, activation: 'identity', alpha: 0 }]);
    expect(model.plan.loss).toBe('bce_logits');
    expect(model.plan.optimizer).toMatchObject({ type: 'sgd', lr: 0.1 });
    model.dispose();
  });
});
