// Defaults that used to do the wrong thing silently: mlp()'s output, loss / output pairs that
// cannot train, familiar aliases, an uncompiled summary, and metadata kept through every format.
import { describe, expect, it } from 'vitest';
import { ConfigError, Dense, ReLU, Sequential, SGD, Adam, Sigmoid, Softmax, Tanh, mlp } from '../src/index.js';

const backends = ['reference', 'wasm'] as const;

describe.each(backends)('defaults on %s', (backend) => {
  it('mlp() ends in a linear output, so a regression predicts below 0', async () => {
    const model = mlp([1, 8, 1], { activation: 'tanh', backend, seed: 3 });
    model.compile({ loss: 'mse', optimizer: new Adam({ lr: 0.05 }) });
    const x = [[-1], [-0.5], [0], [0.5], [1]];
    const y = x.map(([v]) => [2 * v - 3]); // every target is negative
    await model.fit(x, y, { epochs: 400, batchSize: 5 });
    const out = model.predict(x).map((r) => r[0]);
    expect(Math.max(...out)).toBeLessThan(0);
    expect(Math.abs(out[0] - -5)).toBeLessThan(0.5);
    model.dispose();
  });

  it('refuses loss / output pairs that cannot be right, naming the fix, and changes nothing', () => {
    const linear3 = () => new Sequential([new Dense(2, 4), new ReLU(), new Dense(4, 3)], { backend, seed: 1 });
    const cases: [() => Sequential, string, RegExp][] = [
      [linear3, 'categorical_ce', /categorical_ce' takes probabilities .* output is linear .*use loss 'softmax_ce' on logits.*Softmax layer/],
      [linear3, 'sparse_categorical_crossentropy', /use loss 'softmax_ce'/],
      [
        () => new Sequential([new Dense(2, 4), new ReLU(), new Dense(4, 1), new Tanh()], { backend, seed: 1 }),
        'bce',
        /bce' takes probabilities in \[0, 1\], but the model's output is 'tanh': use loss 'bce_logits'.*Sigmoid layer/,
      ],
      [
        () => new Sequential([new Dense(2, 3), new Softmax()], { backend, seed: 1 }),
        'softmax_ce',
        /applies softmax itself .*remove the final Softmax .*'categorical_ce'/,
      ],
      [() => new Sequential([new Dense(2, 1), new Sigmoid()], { backend, seed: 1 }), 'bce_logits', /remove the final Sigmoid .*'bce'/],
      [() => new Sequential([new Dense(2, 1), new ReLU()], { backend, seed: 1 }), 'bce_logits', /never negative/],
    ];
    for (const [make, loss, message] of cases) {
      const model = make();
      const before = model.getWeights();
      expect(() => model.compile({ loss: loss as 'mse' }), loss).toThrow(ConfigError);
      expect(() => model.compile({ loss: loss as 'mse' }), loss).toThrow(message);
      expect(model.compiled).toBe(false);
      expect(model.getWeights()).toEqual(before);
      model.dispose();
    }
    // The right pairs compile.
    const ok = new Sequential([new Dense(2, 3), new Softmax()], { backend, seed: 1 });
    ok.compile({ loss: 'categorical_ce' });
    ok.compile({ loss: 'sparse_categorical_crossentropy' });
    expect(ok.plan.loss).toBe('categorical_ce');
    ok.dispose();
  });

  it('takes learningRate for lr, and acc / mae / mse metrics', async () => {
    expect(new SGD({ learningRate: 0.2 }).config.lr).toBe(0.2);
    expect(new Adam({ learningRate: 0.003 }).config.lr).toBe(0.003);
    expect(() => new SGD({ lr: 0.1, learningRate: 0.2 })).toThrow(/lr or learningRate/);
    const model = mlp([2, 4, 1], { activation: 'tanh', outputActivation: 'sigmoid', backend, seed: 2 });
    model.compile({ loss: 'bce', optimizer: { type: 'sgd', learningRate: 0.5 }, metrics: ['acc', 'mae', 'mse'] });
    expect(model.plan.optimizer.lr).toBe(0.5);
    expect(model.metrics).toEqual(['accuracy', 'mae', 'mse']);
    const x = [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ];
    const y = [0, 1, 1, 0];
    const h = await model.fit(x, y, { epochs: 3, batchSize: 4, validationData: [x, y] });
    expect(h.accuracy).toHaveLength(3);
    expect(h.history.mae).toHaveLength(3);
    expect(h.history.val_mse).toHaveLength(3);
    const p = model.predict(x).map((r) => r[0]);
    const mae = p.reduce((s, v, i) => s + Math.abs(v - y[i]), 0) / 4;
    const mse = p.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / 4;
    const e = model.evaluate(x, y);
    expect(e.mae).toBeCloseTo(mae, 12);
    expect(e.mse).toBeCloseTo(mse, 12);
    expect(h.history.val_mae[2]).toBeCloseTo(mae, 12);
    model.dispose();
  });

  it('summary of an uncompiled model claims no loss', () => {
    const model = mlp([2, 3, 1], { backend, seed: 1 });
    expect(model.summary()).toContain('Not compiled');
    expect(model.summary()).not.toContain('Loss:');
    model.compile({ loss: 'mse' });
    expect(model.summary()).toContain('Loss: mse');
    model.dispose();
  });

  it('keeps metadata through JSON, binary and ONNX, and refuses metadata that is not JSON', () => {
    const model = mlp([2, 3, 1], { backend, seed: 1 });
    model.metadata = { labels: ['cat', 'dog'], scale: { mean: [1, 2] }, note: null };
    const viaJSON = Sequential.fromJSON(JSON.parse(JSON.stringify(model)));
    const viaBytes = Sequential.fromBytes(model.save());
    const viaONNX = Sequential.fromONNX(model.toONNX());
    for (const m of [viaJSON, viaBytes, viaONNX]) expect(m.metadata).toEqual(model.metadata);
    model.metadata = { bad: NaN };
    expect(() => model.toJSON()).toThrow(/metadata.bad is NaN/);
    model.metadata = { f: (() => 1) as never };
    expect(() => model.save()).toThrow(/only JSON values/);
    const empty = mlp([2, 3, 1], { backend, seed: 1 });
    expect('metadata' in empty.toJSON()).toBe(false); // documents without metadata are unchanged
    for (const m of [model, viaJSON, viaBytes, viaONNX, empty]) m.dispose();
  });
});
