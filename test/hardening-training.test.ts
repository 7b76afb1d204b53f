/**
 * Bad inputs to fit, predict, predictProba, predictClasses, evaluate, gradients and setWeights:
 * wrong shapes, ragged rows, empty data, NaN / ±Infinity, values beyond float32, labels out of
 * range or not integers, wrong dtypes (strings, objects, BigInt, BigInt64Array), bad options.
 * Each is refused with its named class and a message naming the row, column, tensor or field,
 * and leaves the model exactly as it was (weights, optimiser and shuffle state, arena bytes).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, ConfigError, Dense, ReLU, Sequential, ShapeError, Sigmoid, ValueError } from '../src/index.js';
import { canaryWeights, expectRefused, expectUnchanged, snapshot, type RefusalCase } from './helpers/hardening.js';

const backends = ['wasm', 'reference'] as const;
// A bad value typed never, so it fits any parameter (fit's overloads defeat inferring one).
const never = (v: unknown) => v as never;
const x = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const labels = [0, 1, 2, 1];

/** The subject: 2 inputs, 3 softmax_ce outputs, Adam, trained one epoch (so its state is not zero). */
async function classifier(backend: 'wasm' | 'reference'): Promise<Sequential> {
  const model = new Sequential([new Dense(2, 6), new ReLU(), new Dense(6, 3)], { backend, seed: 8 });
  model.compile({ loss: 'softmax_ce', optimizer: new Adam({ lr: 0.01 }), metrics: ['accuracy'] });
  await model.fit(x, labels, { epochs: 1, batchSize: 2 });
  return model;
}

const fitting: RefusalCase<Sequential>[] = [
  { name: 'x rows of the wrong width', call: (m) => m.fit([[0, 0, 0]], [0]), error: ShapeError, message: /x: row 0 has 3 values but the model expects 2/ },
  { name: 'ragged x rows', call: (m) => m.fit([[0, 0], [1]], [0, 1]), error: ShapeError, message: /x: row 1 has 1 values .*ragged/ },
  { name: 'a ragged image sample', call: (m) => m.fit([[[0], [1, 2]]], [0]), error: ShapeError, message: /sample 0 is ragged/ },
  { name: 'empty x', call: (m) => m.fit([], []), error: ValueError, message: /fit: x is empty/ },
  { name: 'empty tensor', call: (m) => m.fit({ data: [], shape: [0, 2] }, []), error: ValueError, message: /fit: x is empty/ },
  { name: 'NaN in x', call: (m) => m.fit([[0, NaN]], [0]), error: ValueError, message: /x: row 0, column 1 is NaN/ },
  { name: 'Infinity in x', call: (m) => m.fit([[Infinity, 0]], [0]), error: ValueError, message: /x: row 0, column 0 is Infinity/ },
  {
    name: '-Infinity in x',
    call: (m) =>
      m.fit(
        [
          [0, 0],
          [0, -Infinity],
        ],
        [0, 1],
      ),
    error: ValueError,
    message: /row 1, column 1 is -Infinity/,
  },
  {
    name: '1e39 (beyond float32) in x',
    call: (m) => m.fit([[1e39, 0]], [0]),
    error: ValueError,
    message: /row 0, column 0 is 1e\+39, beyond the float32 range/,
  },
  { name: 'a string in x', call: (m) => m.fit([[0, never('1')]], [0]), error: ValueError, message: /row 0, column 1 is "1", not a number/ },
  { name: 'an object in x', call: (m) => m.fit([[0, never({})]], [0]), error: ValueError, message: /column 1 is an object, not a number/ },
  { name: 'a BigInt in x', call: (m) => m.fit([[0, never(1n)]], [0]), error: ValueError, message: /column 1 is 1n \(a BigInt\), not a number/ },
  {
    name: 'a BigInt64Array as x data',
    call: (m) => m.fit({ data: never(new BigInt64Array(2)), shape: [1, 2] }, [0]),
    error: ValueError,
    message: /x: row 0, column 0 is 0n \(a BigInt\)/,
  },
  { name: 'a hole in x', call: (m) => m.fit([[0, never(undefined)]], [0]), error: ValueError, message: /column 1 is undefined/ },
  { name: 'x null', call: (m) => m.fit(never(null), [0]), error: ValueError, message: /x must be an array of rows or \{ data, shape \}, got null/ },
  { name: 'x a string', call: (m) => m.fit(never('abcd'), [0]), error: ValueError, message: /got "abcd"/ },
  {
    name: 'x shape not matching data',
    call: (m) => m.fit({ data: [1, 2, 3], shape: [2, 2] }, [0, 1]),
    error: ShapeError,
    message: /shape \[2, 2\] needs 4 values but data has 3/,
  },
  {
    name: 'x shape with a negative size',
    call: (m) => m.fit({ data: [], shape: [-1, -2] }, []),
    error: ShapeError,
    message: /non-negative integers, got \[-1, -2\]/,
  },
  { name: 'x shape of 1e300 rows', call: (m) => m.fit({ data: [1, 2], shape: [1e300, 2] }, [0]), error: ShapeError, message: /non-negative integers/ },
  {
    name: 'x shape not an array',
    call: (m) => m.fit({ data: [1, 2], shape: never('12') }, [0]),
    error: ShapeError,
    message: /shape must be a non-empty array/,
  },
  {
    name: 'x data null',
    call: (m) => m.fit({ data: never(null), shape: [1, 2] }, [0]),
    error: ValueError,
    message: /x\.data must be an array or typed array, got null/,
  },
  { name: 'fewer labels than rows', call: (m) => m.fit(x, [0, 1, 1]), error: ShapeError, message: /x has 4 rows but y has 3/ },
  { name: 'label 3 of 3 classes', call: (m) => m.fit(x, [0, 1, 2, 3]), error: ValueError, message: /label 3 at row 3 is not a class index in \[0, 2\]/ },
  { name: 'label 1.5', call: (m) => m.fit(x, [0, 1.5, 2, 0]), error: ValueError, message: /label 1.5 at row 1/ },
  { name: 'label -1', call: (m) => m.fit(x, [-1, 1, 2, 0]), error: ValueError, message: /label -1 at row 0/ },
  { name: 'label NaN', call: (m) => m.fit(x, [0, NaN, 2, 0]), error: ValueError, message: /label NaN at row 1/ },
  { name: 'label as a string', call: (m) => m.fit(x, never(['0', 1, 2, 0])), error: ValueError, message: /label "0" at row 0/ },
  { name: 'labels as a BigInt64Array', call: (m) => m.fit(x, never(new BigInt64Array(4))), error: ValueError, message: /label 0n \(a BigInt\) at row 0/ },
  {
    name: 'one-hot targets outside [0, 1]',
    call: (m) =>
      m.fit(x, [
        [2, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
        [1, 0, 0],
      ]),
    error: ValueError,
    message: /row 0 has target 2; loss 'softmax_ce' needs targets in \[0, 1\]/,
  },
  {
    name: 'target rows of the wrong width',
    call: (m) =>
      m.fit(x, [
        [1, 0],
        [0, 1],
        [1, 0],
        [0, 1],
      ]),
    error: ShapeError,
    message: /y: row 0 has 2 values but the model expects 3/,
  },
  {
    name: 'y a string',
    call: (m) => m.fit(x, never('abcd')),
    error: ValueError,
    message: /y must be an array of rows, a list of labels or \{ data, shape \}, got "abcd"/,
  },
  { name: 'y null', call: (m) => m.fit(x, never(null)), error: ValueError, message: /y must be .* got null/ },
  { name: 'y an object', call: (m) => m.fit(x, never({ a: 1 })), error: ValueError, message: /got an object/ },
  { name: 'batchSize 0', call: (m) => m.fit(x, labels, { batchSize: 0 }), error: ValueError, message: /batchSize must be an integer >= 1, got 0/ },
  { name: 'batchSize 1.5', call: (m) => m.fit(x, labels, { batchSize: 1.5 }), error: ValueError, message: /got 1.5/ },
  { name: 'batchSize as a BigInt', call: (m) => m.fit(x, labels, { batchSize: never(32n) }), error: ValueError, message: /got 32n/ },
  { name: 'epochs -1', call: (m) => m.fit(x, labels, { epochs: -1 }), error: ValueError, message: /epochs must be an integer >= 0, got -1/ },
  { name: 'epochs Infinity', call: (m) => m.fit(x, labels, { epochs: Infinity }), error: ValueError, message: /got Infinity/ },
  { name: 'epochs as a string', call: (m) => m.fit(x, labels, { epochs: never('3') }), error: ValueError, message: /got "3"/ },
  { name: 'unknown fit option', call: (m) => m.fit(x, labels, never({ epochz: 3 })), error: ConfigError, message: /unknown option 'epochz'/ },
  { name: 'fit options null', call: (m) => m.fit(x, labels, never(null)), error: ConfigError, message: /fit options must be an object, got null/ },
  { name: 'shuffle "yes"', call: (m) => m.fit(x, labels, { shuffle: never('yes') }), error: ConfigError, message: /shuffle must be a boolean, got "yes"/ },
  {
    name: 'onEpochEnd not a function',
    call: (m) => m.fit(x, labels, { onEpochEnd: never(5) }),
    error: ConfigError,
    message: /onEpochEnd must be a function, got 5/,
  },
  {
    name: 'signal not an AbortSignal',
    call: (m) => m.fit(x, labels, { signal: never({}) }),
    error: ConfigError,
    message: /signal must be an AbortSignal, got an object/,
  },
  {
    name: 'validationSplit 1',
    call: (m) => m.fit(x, labels, { validationSplit: 1 }),
    error: ValueError,
    message: /validationSplit must be in \[0, 1\), got 1/,
  },
  { name: 'validationSplit NaN', call: (m) => m.fit(x, labels, { validationSplit: NaN }), error: ValueError, message: /got NaN/ },
  {
    name: 'validationSplit leaving no rows',
    call: (m) => m.fit(x, labels, { validationSplit: 0.9 }),
    error: ShapeError,
    message: /validationSplit 0.9 of 4 rows leaves no training/,
  },
  {
    name: 'validationSplit and validationData',
    call: (m) => m.fit(x, labels, { validationSplit: 0.5, validationData: [x, labels] }),
    error: ConfigError,
    message: /not both/,
  },
  {
    name: 'validationData of one element',
    call: (m) => m.fit(x, labels, { validationData: never([x]) }),
    error: ConfigError,
    message: /validationData must be \[x, y\]/,
  },
  {
    name: 'validationData of the wrong width',
    call: (m) => m.fit(x, labels, { validationData: [[[1, 2, 3]], [0]] }),
    error: ShapeError,
    message: /validationData x: row 0 has 3 values/,
  },
];

const predicting: RefusalCase<Sequential>[] = [
  { name: 'predict: wrong width', call: (m) => m.predict([[1, 2, 3]]), error: ShapeError, message: /x: row 0 has 3 values but the model expects 2/ },
  { name: 'predict: NaN', call: (m) => m.predict([[NaN, 1]]), error: ValueError, message: /row 0, column 0 is NaN/ },
  { name: 'predict: 1e300', call: (m) => m.predict([[1e300, 1]]), error: ValueError, message: /beyond the float32 range/ },
  {
    name: 'predict: a tensor of the wrong size',
    call: (m) => m.predict({ data: new Float32Array(3), shape: [1, 3] }),
    error: ShapeError,
    message: /each sample has 3 values \(shape \[1, 3\]\) but the model expects 2/,
  },
  { name: 'predict: null', call: (m) => m.predict(never(null)), error: ValueError, message: /got null/ },
  { name: 'predictProba: a string cell', call: (m) => m.predictProba([['a', 1] as never]), error: ValueError, message: /"a", not a number/ },
  { name: 'predictClasses: ragged rows', call: (m) => m.predictClasses([[1, 2], [3]]), error: ShapeError, message: /row 1 has 1 values/ },
  { name: 'evaluate: empty', call: (m) => m.evaluate([], []), error: ValueError, message: /evaluate: x is empty/ },
  { name: 'evaluate: labels out of range', call: (m) => m.evaluate(x, [0, 1, 2, 7]), error: ValueError, message: /label 7 at row 3/ },
  { name: 'evaluate: row count mismatch', call: (m) => m.evaluate(x, [0, 1]), error: ShapeError, message: /x has 4 rows but y has 2/ },
  { name: 'gradients: empty', call: (m) => m.gradients([], []), error: ValueError, message: /gradients: x is empty/ },
  { name: 'gradients: Infinity', call: (m) => m.gradients([[Infinity, 0]], [0]), error: ValueError, message: /is Infinity/ },
];

const settingWeights: RefusalCase<Sequential>[] = [
  {
    name: 'setWeights: too few tensors',
    call: (m) => m.setWeights(m.getWeights().slice(0, 3) as never),
    error: ShapeError,
    message: /expected 4 weight tensors .* but got 3/,
  },
  { name: 'setWeights: not an array', call: (m) => m.setWeights(never(null)), error: ShapeError, message: /weights must be an array of 4 tensors, got null/ },
  {
    name: 'setWeights: a bias of the wrong length',
    call: (m) => {
      const w = m.getWeights();
      w[1] = [1, 2];
      return m.setWeights(w as never);
    },
    error: ShapeError,
    message: /b0 must have 6 values \(shape \[6\]\) but has 2/,
  },
  {
    name: 'setWeights: W with the wrong row count',
    call: (m) => {
      const w = m.getWeights();
      w[2] = (w[2] as number[][]).slice(1);
      return m.setWeights(w as never);
    },
    error: ShapeError,
    message: /W1 must have shape \[6, 3\] but has 5 rows/,
  },
  {
    name: 'setWeights: a ragged W',
    call: (m) => {
      const w = m.getWeights() as number[][][];
      w[0][1] = [1];
      return m.setWeights(w as never);
    },
    error: ShapeError,
    message: /W0 row 1 must have 6 values/,
  },
  {
    name: 'setWeights: NaN',
    call: (m) => {
      const w = m.getWeights() as number[][][];
      w[2][3][0] = NaN;
      return m.setWeights(w as never);
    },
    error: ValueError,
    message: /W1\[9\] is NaN/,
  },
  {
    name: 'setWeights: -Infinity',
    call: (m) => {
      const w = m.getWeights() as number[][];
      w[1][0] = -Infinity;
      return m.setWeights(w as never);
    },
    error: ValueError,
    message: /b0\[0\] is -Infinity/,
  },
  {
    name: 'setWeights: 1e39',
    call: (m) => {
      const w = m.getWeights() as number[][];
      w[3][2] = 1e39;
      return m.setWeights(w as never);
    },
    error: ValueError,
    message: /b1\[2\] is 1e\+39; .*float32 range/,
  },
  { name: 'setWeights: strings', call: (m) => m.setWeights(never(['a', 'b', 'c', 'd'])), error: ShapeError, message: /W0 must be an array, got "a"/ },
  {
    name: 'setWeights: a BigInt64Array',
    call: (m) => {
      const w = m.getWeights();
      w[0] = never(new BigInt64Array(12));
      return m.setWeights(w as never);
    },
    error: ValueError,
    message: /W0\[0\] is 0n \(a BigInt\)/,
  },
  {
    name: 'setWeights: objects as rows',
    call: (m) => {
      const w = m.getWeights();
      w[1] = never([{}, {}, {}, {}, {}, {}]);
      return m.setWeights(w as never);
    },
    error: ValueError,
    message: /b0\[0\] is an object/,
  },
];

/** The number of bad-input cases in this file (both backends count once each). */
export const CASES = (fitting.length + predicting.length + settingWeights.length + 2) * backends.length;

describe.each(backends)('training and inference refusals on %s', (backend) => {
  let canary: unknown;
  beforeAll(async () => {
    canary = await canaryWeights(backend);
  });

  it.each([...fitting, ...predicting, ...settingWeights].map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const model = await classifier(backend);
    const before = snapshot(model);
    await expectRefused(model, c);
    expectUnchanged(model, before);
    model.dispose();
  });

  it('probability losses refuse targets outside [0, 1] (bce, a one-output model)', async () => {
    const model = new Sequential([new Dense(2, 3), new ReLU(), new Dense(3, 1), new Sigmoid()], { backend, seed: 2 });
    model.compile({ loss: 'bce' });
    const before = snapshot(model);
    await expectRefused(model, {
      name: 'bce 2',
      call: (m) => m.fit(x, [0, 2, 1, 0]),
      error: ValueError,
      message: /row 1 has target 2; loss 'bce' needs targets in \[0, 1\]/,
    });
    await expectRefused(model, { name: 'bce -0.5', call: (m) => m.evaluate(x, [0, -0.5, 1, 0]), error: ValueError, message: /target -0.5/ });
    expectUnchanged(model, before);
    model.dispose();
  });

  it('the canary model still trains to the same weights after every refusal', async () => {
    expect(await canaryWeights(backend)).toEqual(canary);
  });
});
