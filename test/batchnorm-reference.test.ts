/**
 * BatchNorm on the float64 reference: gradients against central finite differences (every
 * trainable tensor, through two BatchNorms, a fused activation and the Dense before them), the
 * modes (batch statistics in training steps and gradients, running estimates in predict), the
 * running update, and the layer's checks and place in getWeights.
 */
import { describe, expect, it } from 'vitest';
import { ReferenceEngine } from '../src/reference/engine.js';
import { parameterLayout, type Plan } from '../src/plan.js';
import { BatchNorm, ConfigError, Dense, Dropout, ReLU, Sequential, ShapeError, ValueError } from '../src/index.js';
import { rng } from './helpers/rng.js';

const PLAN: Plan = {
  inputSize: 4,
  outputSize: 3,
  loss: 'mse',
  optimizer: { type: 'sgd', lr: 0, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, decayBiases: true },
  stages: [
    { kind: 'dense', inSize: 4, outSize: 6, useBias: true, activation: 'identity', alpha: 0 },
    { kind: 'batchnorm', size: 6, eps: 1e-5, momentum: 0.1, activation: 'tanh', alpha: 0 },
    { kind: 'dense', inSize: 6, outSize: 3, useBias: true, activation: 'identity', alpha: 0 },
    { kind: 'batchnorm', size: 3, eps: 0.01, momentum: 0.4, activation: 'identity', alpha: 0 },
  ],
};

function setup(seed: number, rows: number) {
  const r = rng(seed);
  const engine = new ReferenceEngine(PLAN);
  const layout = parameterLayout(PLAN);
  const params = layout.map((e) => Float64Array.from({ length: e.length }, () => (e.name.endsWith('_var') || e.name.endsWith('_gamma') ? 1 + 0.5 * r() : r())));
  engine.setParameters(params);
  const x = Float64Array.from({ length: rows * 4 }, () => 2 * r() + 0.3);
  const y = Float64Array.from({ length: rows * 3 }, () => r());
  return { engine, layout, params, data: engine.loadData(x, y, rows), x, y };
}

describe('BatchNorm on the reference backend', () => {
  it('gradients match central finite differences (batch statistics)', () => {
    const { engine, layout, params, data } = setup(1, 7);
    engine.computeGradients(data, 0, 7);
    const grads = engine.getGradients();
    const h = 1e-6;
    let checked = 0;
    layout.forEach((e, t) => {
      for (let j = 0; j < e.length; j++) {
        const at = (v: number) => {
          const p = params.map((q) => q.slice());
          p[t][j] = v;
          engine.setParameters(p);
          return engine.computeGradients(data, 0, 7);
        };
        const fd = (at(params[t][j] + h) - at(params[t][j] - h)) / (2 * h);
        // The running estimates do not enter the training-mode loss: their gradient is 0.
        if (!e.trainable) expect(fd).toBe(0);
        expect(Math.abs(grads[t][j] - fd), `${e.name}[${j}]`).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
        checked++;
      }
    });
    expect(checked).toBe(4 * 6 + 6 + 4 * 6 + 6 * 3 + 3 + 4 * 3);
  });

  it('predict normalises by the running estimates, a training step by the batch', () => {
    const { engine, params, data, x } = setup(2, 5);
    const out = engine.predict(x, 5);
    // By hand for the last BatchNorm: its input is the second Dense's output in evaluation mode.
    const [W0, b0, g0, be0, m0, v0, W1, b1, g1, be1, m1, v1] = params;
    for (let r = 0; r < 5; r++) {
      const h = Array.from({ length: 6 }, (_, j) => {
        let z = b0[j];
        for (let i = 0; i < 4; i++) z += x[r * 4 + i] * W0[i * 6 + j];
        return Math.tanh((g0[j] * (z - m0[j])) / Math.sqrt(v0[j] + 1e-5) + be0[j]);
      });
      for (let k = 0; k < 3; k++) {
        let z = b1[k];
        for (let j = 0; j < 6; j++) z += h[j] * W1[j * 3 + k];
        expect(out[r * 3 + k]).toBeCloseTo((g1[k] * (z - m1[k])) / Math.sqrt(v1[k] + 0.01) + be1[k], 12);
      }
    }
    // Training mode: the last BatchNorm's outputs have the batch mean beta (so the loss differs).
    expect(engine.computeGradients(data, 0, 5)).not.toBeCloseTo(0, 12);
  });

  it('an accepted step moves the running estimates by momentum (unbiased variance); one row moves nothing', () => {
    const { engine, layout, params, data, x } = setup(3, 6);
    engine.trainStep(data, 0, 6); // lr 0: only the running estimates change
    const after = engine.getParameters();
    const pre = x.subarray(0, 6 * 4);
    const mean = new Float64Array(6),
      uvar = new Float64Array(6);
    const z = Array.from({ length: 6 }, (_, r) =>
      Array.from({ length: 6 }, (_, j) => {
        let s = params[1][j];
        for (let i = 0; i < 4; i++) s += pre[r * 4 + i] * params[0][i * 6 + j];
        return s;
      }),
    );
    for (let j = 0; j < 6; j++) {
      mean[j] = z.reduce((a, row) => a + row[j], 0) / 6;
      uvar[j] = z.reduce((a, row) => a + (row[j] - mean[j]) ** 2, 0) / 5;
    }
    const at = (name: string) => layout.findIndex((e) => e.name === name);
    for (let j = 0; j < 6; j++) {
      expect(after[at('bn0_running_mean')][j]).toBeCloseTo(0.9 * params[at('bn0_running_mean')][j] + 0.1 * mean[j], 12);
      expect(after[at('bn0_running_var')][j]).toBeCloseTo(0.9 * params[at('bn0_running_var')][j] + 0.1 * uvar[j], 12);
    }
    for (const name of ['W0', 'b0', 'bn0_gamma', 'bn0_beta', 'W1', 'b1']) expect(after[at(name)]).toEqual(params[at(name)]);
    // computeGradients leaves them alone; so does a batch of one row.
    engine.computeGradients(data, 0, 6);
    expect(engine.getParameters()).toEqual(after);
    engine.trainStep(data, 2, 1);
    expect(engine.getParameters()).toEqual(after);
  });

  it('weights in Keras order: W, b, gamma, beta, running mean, running variance', () => {
    const model = new Sequential([new Dense(3, 4), new BatchNorm(4, { momentum: 0.2, eps: 1e-3 }), new ReLU(), new Dense(4, 2)], {
      backend: 'reference',
      seed: 1,
    });
    const w = model.getWeights();
    expect(w).toHaveLength(8);
    expect(w.slice(2, 6)).toEqual([
      [1, 1, 1, 1],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [1, 1, 1, 1],
    ]);
    expect(() => model.setWeights(w.slice(0, 6))).toThrow(/bn0_running_var/);
    const bad = w.slice();
    bad[5] = [1, 1, 1];
    expect(() => model.setWeights(bad)).toThrow(/bn0_running_var must have 4 values/);
    expect(model.summary()).toMatch(/BatchNorm \(4, momentum 0.2, eps 0.001\)\s+\[n, 4\]\s+16/);
    model.dispose();
  });

  it('refuses bad settings before any work', () => {
    expect(() => new BatchNorm(0)).toThrow(ValueError);
    expect(() => new BatchNorm(4, { momentum: 1.5 })).toThrow(ValueError);
    expect(() => new BatchNorm(4, { eps: 0 })).toThrow(ValueError);
    expect(() => new BatchNorm(4, { eps: Number.NaN })).toThrow(ValueError);
    expect(() => new BatchNorm(4, { axis: 1 } as never)).toThrow(ConfigError);
    expect(() => new Sequential([new Dense(3, 4), new BatchNorm(5)])).toThrow(ShapeError);
    expect(() => new Sequential([new Dense(3, 4), new BatchNorm(5)])).toThrow(/layer 1 \(BatchNorm 5\) expects 5 features but layer 0 \(Dense 3→4\) gives 4/);
    expect(() => new Dropout(1)).toThrow(ValueError);
    expect(() => new Dropout(-0.1)).toThrow(ValueError);
    expect(() => new Dropout('0.5' as never)).toThrow(ValueError);
  });
});
