// Every bad input named by the core issue gets a clear Error before any work, and leaves the
// model exactly as it was.
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  Dense,
  DisposedError,
  LeakyReLU,
  NonFiniteError,
  ReLU,
  Sequential,
  SGD,
  ShapeError,
  Sigmoid,
  StateError,
  ValueError,
  mlp,
  type LossSpec,
} from '../src/index.js';

const backends = ['reference', 'wasm'] as const;

function compiled(backend: 'wasm' | 'reference', loss: LossSpec = 'mse') {
  const model = mlp([2, 4, 1], { activation: 'sigmoid', outputActivation: 'sigmoid', backend, seed: 1 });
  model.compile({ loss, optimizer: new SGD({ lr: 0.1 }) });
  return model;
}

const x = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const y = [0, 1, 1, 0];

describe.each(backends)('bad input on %s', (backend) => {
  it('refuses layer sizes that do not chain, naming the layer and both sizes', () => {
    expect(() => new Sequential([new Dense(2, 8), new ReLU(), new Dense(4, 1)], { backend })).toThrow(ShapeError);
    expect(() => new Sequential([new Dense(2, 8), new ReLU(), new Dense(4, 1)], { backend })).toThrow(
      /layer 2 \(Dense 4→1\) expects 4 inputs but layer 0 \(Dense 2→8\) gives 8/,
    );
    expect(() => new Sequential([], { backend })).toThrow(ConfigError);
    expect(() => new Dense(0, 3)).toThrow(ValueError);
    expect(() => new Dense(2.5, 3)).toThrow(/positive integer/);
  });

  it('refuses absurd sizes before allocating anything', () => {
    expect(() => new Sequential([new Dense(1e6, 1e6)], { backend })).toThrow(/more than the limit/);
  });

  it('lists the valid names for unknown loss, optimiser, activation, initialiser and metric', () => {
    const model = mlp([2, 3, 1], { backend, seed: 1 });
    // @ts-expect-error an unknown loss name, refused at run time
    expect(() => model.compile({ loss: 'hinge' })).toThrow(/unknown loss "hinge" \(valid: sse, mse/);
    // @ts-expect-error an unknown optimiser name, refused at run time
    expect(() => model.compile({ loss: 'mse', optimizer: 'adagrad' })).toThrow(/unknown optimizer "adagrad" \(valid: sgd, adam, adamw, rmsprop\)/);
    // @ts-expect-error an unknown metric name, refused at run time
    expect(() => model.compile({ loss: 'mse', metrics: ['auc'] })).toThrow(ConfigError);
    // @ts-expect-error an unknown activation name, refused at run time
    expect(() => mlp([2, 3, 1], { activation: 'swish', backend })).toThrow(/unknown activation "swish" \(valid: identity, sigmoid/);
    // @ts-expect-error an unknown initialiser name, refused at run time
    expect(() => new Sequential([new Dense(2, 2, { init: 'magic' })], { backend })).toThrow(/magic/);
    expect(() => new SGD({ lr: -1 })).toThrow(/lr must be a finite number > 0/);
    expect(() => new LeakyReLU(-0.1)).toThrow(/alpha/);
    expect(model.compiled).toBe(false);
    model.dispose();
  });

  it('refuses wrong shapes, ragged rows, NaN, Infinity and non-numbers in x and y, without touching the weights', async () => {
    const model = compiled(backend);
    const before = model.getWeights();
    await expect(model.fit([[0, 0, 0]], [0])).rejects.toThrow(/row 0 has 3 values but the model expects 2/);
    await expect(model.fit([[0, 0], [1]], [0, 1])).rejects.toThrow(ShapeError);
    await expect(model.fit([[0, NaN]], [0])).rejects.toThrow(/row 0, column 1 is NaN/);
    await expect(model.fit([[0, Infinity]], [0])).rejects.toThrow(ValueError);
    await expect(model.fit([[0, 1]], [Infinity])).rejects.toThrow(ValueError);
    await expect(model.fit([[0, '1' as unknown as number]], [0])).rejects.toThrow(/not a number/);
    await expect(model.fit(x, [0, 1, 1])).rejects.toThrow(/x has 4 rows but y has 3/);
    await expect(model.fit([], [])).rejects.toThrow(/empty/);
    expect(() => model.predict([[1, 2, 3]])).toThrow(ShapeError);
    expect(model.getWeights()).toEqual(before);
    model.dispose();
  });

  it('refuses labels out of range or non-integer for class losses', async () => {
    const model = mlp([2, 4, 3], { backend, seed: 2, outputActivation: null });
    model.compile({ loss: 'softmax_ce', optimizer: 'sgd' });
    await expect(model.fit(x, [0, 1, 2, 3])).rejects.toThrow(/label 3 at row 3 is not a class index in \[0, 2\]/);
    await expect(model.fit(x, [0, 1.5, 2, 0])).rejects.toThrow(ValueError);
    await expect(model.fit(x, [-1, 1, 2, 0])).rejects.toThrow(ValueError);
    const bce = compiled(backend, 'bce');
    await expect(bce.fit(x, [0, 2, 1, 0])).rejects.toThrow(/needs targets in \[0, 1\]/);
    model.dispose();
    bce.dispose();
  });

  it('refuses bad fit options: batchSize < 1, epochs < 0, unknown keys', async () => {
    const model = compiled(backend);
    await expect(model.fit(x, y, { batchSize: 0 })).rejects.toThrow(/batchSize must be an integer >= 1/);
    await expect(model.fit(x, y, { epochs: -1 })).rejects.toThrow(/epochs must be an integer >= 0/);
    await expect(model.fit(x, y, { epochz: 3 } as never)).rejects.toThrow(/unknown option 'epochz'/);
    await expect(model.fit(x, y, { validationSplit: 1 })).rejects.toThrow(ValueError);
    model.dispose();
  });

  it('refuses fit before compile, and a second fit while one runs', async () => {
    const model = mlp([2, 3, 1], { backend, seed: 1 });
    await expect(model.fit(x, y)).rejects.toThrow(StateError);
    model.compile({ loss: 'mse' });
    const running = model.fit(x, y, { epochs: 2000, batchSize: 1 });
    await expect(model.fit(x, y)).rejects.toThrow(/training/);
    expect(() => model.setWeights(model.getWeights())).toThrow(StateError);
    model.stopTraining = true;
    await running;
    model.dispose();
  });

  it('refuses setWeights with a wrong count, shape or NaN, changing nothing', () => {
    const model = compiled(backend);
    const before = model.getWeights();
    expect(() => model.setWeights(before.slice(0, 3) as never)).toThrow(/expected 4 weight tensors/);
    const wrong = before.slice();
    wrong[1] = [1, 2];
    expect(() => model.setWeights(wrong as never)).toThrow(/b0 must have 4 values/);
    const nan = structuredClone(before) as number[][][];
    nan[2][3][0] = NaN;
    expect(() => model.setWeights(nan as never)).toThrow(/W1\[3\] is NaN/);
    expect(model.getWeights()).toEqual(before);
    model.dispose();
  });

  it('throws DisposedError for any use after dispose', async () => {
    const model = compiled(backend);
    model.dispose();
    model.dispose(); // idempotent
    expect(() => model.predict(x)).toThrow(DisposedError);
    expect(() => model.getWeights()).toThrow(DisposedError);
    expect(() => model.summary()).toThrow(DisposedError);
    await expect(model.fit(x, y)).rejects.toThrow(DisposedError);
  });

  it('stops a diverging run with NonFiniteError naming epoch and batch, keeping the weights before that step', async () => {
    const model = new Sequential([new Dense(2, 8), new ReLU(), new Dense(8, 1)], { backend, seed: 3 });
    model.compile({ loss: 'mse', optimizer: new SGD({ lr: 1e6 }) });
    const big = [
      [1e3, -1e3],
      [2e3, 5e2],
      [-1e3, 3e3],
      [4e2, 4e2],
    ];
    let lastGood = model.getWeights();
    const error = await model
      .fit(big, [[1], [2], [3], [4]], {
        epochs: 50,
        batchSize: 2,
        shuffle: false,
        onBatchEnd: () => {
          lastGood = model.getWeights();
        },
      })
      .catch((e) => e);
    expect(error).toBeInstanceOf(NonFiniteError);
    expect(error.message).toMatch(/epoch \d+, batch \d+/);
    expect(model.getWeights()).toEqual(lastGood);
    for (const w of model.getWeights().flat(2) as number[]) expect(Number.isFinite(w)).toBe(true);
    model.dispose();
  });

  it('refuses a model that is not built from wasmlp layers', () => {
    expect(() => new Sequential([new Dense(2, 2), {} as never], { backend })).toThrow(ConfigError);
    expect(() => new Sequential([new Sigmoid()], { backend })).toThrow(/at least one Dense/);
  });
});
