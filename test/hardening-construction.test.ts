/**
 * Bad inputs to model construction (new Sequential, Dense, the activation layers, mlp) and to
 * compile: each is refused with its named error class and a message naming the layer, field or
 * value; construction refusals allocate nothing in the arena, compile refusals leave the model
 * (weights, optimiser state, shuffle state, plan) exactly as it was. Rows of the README table
 * "What wasmlp refuses, and how".
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Adam,
  ConfigError,
  Dense,
  Flatten,
  LeakyReLU,
  ReLU,
  Sequential,
  SGD,
  ShapeError,
  ValueError,
  Activation,
  Layer,
  mlp,
  type LayerConfig,
} from '../src/index.js';
import { arenaBytesInUse } from '../src/wasm/core.js';
import { canaryWeights, expectArenaIntact, expectRefused, expectUnchanged, snapshot, type RefusalCase } from './helpers/hardening.js';

const backends = ['wasm', 'reference'] as const;

/** A Layer subclass wasmlp knows nothing of: layers lower themselves, and this one cannot. */
class ForeignLayer extends Layer {
  readonly className = 'Foreign';
  toConfig(): LayerConfig {
    return { className: this.className, config: {} };
  }
}
const never = <T>(v: unknown) => v as T;

/** Constructor cases: the subject is the backend name. */
const construction: RefusalCase<'wasm' | 'reference'>[] = [
  {
    name: 'a Dense of 1e6 x 1e6',
    call: (backend) => new Sequential([new Dense(1e6, 1e6)], { backend }),
    error: ShapeError,
    message: /layer 0 \(Dense 1000000→1000000\).*more than the limit of 67108864/,
  },
  {
    name: 'parameters just over 2^26',
    call: (backend) => new Sequential([new Dense(8192, 8193)], { backend }),
    error: ShapeError,
    message: /the model would have 67125249 parameters/,
  },
  {
    name: 'sizes that do not chain',
    call: (backend) => new Sequential([new Dense(2, 8), new ReLU(), new Dense(4, 1)], { backend }),
    error: ShapeError,
    message: /layer 2 \(Dense 4→1\) expects 4 inputs but layer 0 \(Dense 2→8\) gives 8/,
  },
  { name: 'no layers', call: (backend) => new Sequential([], { backend }), error: ConfigError, message: /at least one layer/ },
  { name: 'layers not an array', call: (backend) => new Sequential(never(null), { backend }), error: ConfigError, message: /array of layers, got null/ },
  { name: 'only activations', call: (backend) => new Sequential([new ReLU()], { backend }), error: ConfigError, message: /at least one Dense/ },
  {
    name: 'a plain object as a layer',
    call: (backend) => new Sequential([new Dense(2, 2), never<Layer>({})], { backend }),
    error: ConfigError,
    message: /layers\[1\] is an object, not a wasmlp layer/,
  },
  {
    name: 'a Layer subclass wasmlp does not know',
    call: (backend) => new Sequential([new Dense(2, 2), new ForeignLayer()], { backend }),
    error: ConfigError,
    message: /layers\[1\] is .*, not a wasmlp layer/,
  },
  {
    name: 'Flatten after a Dense',
    call: (backend) => new Sequential([new Dense(2, 2), new Flatten()], { backend }),
    error: ConfigError,
    message: /layer 1 \(Flatten\).*before the first Dense/,
  },
  {
    name: 'seed -1',
    call: (backend) => new Sequential([new Dense(2, 2)], { backend, seed: -1 }),
    error: ValueError,
    message: /seed must be an integer in \[0, 2\^32\), got -1/,
  },
  { name: 'seed 2^32', call: (backend) => new Sequential([new Dense(2, 2)], { backend, seed: 2 ** 32 }), error: ValueError, message: /seed .* got 4294967296/ },
  {
    name: 'seed as a BigInt',
    call: (backend) => new Sequential([new Dense(2, 2)], { backend, seed: never(5n) }),
    error: ValueError,
    message: /seed .* got 5n \(a BigInt\)/,
  },
  {
    name: 'seed as a string',
    call: (backend) => new Sequential([new Dense(2, 2)], { backend, seed: never('1') }),
    error: ValueError,
    message: /seed .* got "1"/,
  },
  {
    name: 'unknown backend',
    call: () => new Sequential([new Dense(2, 2)], { backend: never('gpu') }),
    error: ConfigError,
    message: /unknown backend "gpu" \(valid: wasm, reference\)/,
  },
  {
    name: 'unknown option',
    call: (backend) => new Sequential([new Dense(2, 2)], never({ backend, sed: 1 })),
    error: ConfigError,
    message: /unknown option 'sed'/,
  },
  {
    name: 'options not an object',
    call: () => new Sequential([new Dense(2, 2)], never('wasm')),
    error: ConfigError,
    message: /options must be an object, got "wasm"/,
  },
  {
    name: 'unknown initialiser',
    call: (backend) => new Sequential([new Dense(2, 2, { init: never('magic') })], { backend }),
    error: ConfigError,
    message: /unknown name 'magic'/,
  },
  {
    name: 'initialiser beyond float32',
    call: (backend) => new Sequential([new Dense(2, 2, { init: { name: 'constant', value: 1e39 } })], { backend }),
    error: ValueError,
    message: /initial weights: W0\[0\] is 1e\+39.*float32/,
  },
  {
    name: 'initialiser as a BigInt',
    call: (backend) => new Sequential([new Dense(2, 2, { init: never(5n) })], { backend }),
    error: ConfigError,
    message: /expected a name or \{ name, \.\.\.params \}, got 5n \(a BigInt\)/,
  },
  {
    name: 'initialiser nested 20,000 deep',
    call: (backend) => new Sequential([new Dense(2, 2, { init: never(JSON.parse('['.repeat(20000) + ']'.repeat(20000))) })], { backend }),
    error: ConfigError,
    message: /got an array of length 1/,
  },
  {
    name: 'initialiser parameter as a BigInt',
    call: (backend) => new Sequential([new Dense(2, 2, { init: never({ name: 'normal', std: 5n }) })], { backend }),
    error: ValueError,
    message: /parameter 'std' must be a finite number, got 5n/,
  },
  {
    name: 'normal initialiser with std -1',
    call: (backend) => new Sequential([new Dense(2, 2, { init: { name: 'normal', std: -1 } })], { backend }),
    error: ValueError,
    message: /std/,
  },
  { name: 'Dense inputs 0', call: () => new Dense(0, 3), error: ValueError, message: /Dense inputs must be a positive integer, got 0/ },
  { name: 'Dense units 2.5', call: () => new Dense(2, 2.5), error: ValueError, message: /Dense units must be a positive integer, got 2.5/ },
  { name: 'Dense inputs NaN', call: () => new Dense(NaN, 2), error: ValueError, message: /got NaN/ },
  { name: 'Dense inputs as a BigInt', call: () => new Dense(never(2n), 2), error: ValueError, message: /got 2n \(a BigInt\)/ },
  { name: 'Dense inputs as a string', call: () => new Dense(never('2'), 2), error: ValueError, message: /got "2"/ },
  { name: 'Dense inputs 1e300', call: () => new Dense(1e300, 2), error: ValueError, message: /got 1e\+300/ },
  { name: 'Dense unknown option', call: () => new Dense(2, 2, never({ bias: false })), error: ConfigError, message: /unknown option 'bias'/ },
  { name: 'Dense useBias not a boolean', call: () => new Dense(2, 2, { useBias: never(0) }), error: ConfigError, message: /useBias must be a boolean, got 0/ },
  { name: 'LeakyReLU alpha -0.1', call: () => new LeakyReLU(-0.1), error: ValueError, message: /alpha must be a finite number >= 0, got -0.1/ },
  { name: 'LeakyReLU alpha NaN', call: () => new LeakyReLU(NaN), error: ValueError, message: /got NaN/ },
  { name: 'unknown activation', call: () => new Activation(never('swish')), error: ConfigError, message: /unknown activation "swish" \(valid: identity/ },
  { name: 'mlp with one size', call: (backend) => mlp([2], { backend }), error: ConfigError, message: /at least two layer sizes/ },
  { name: 'mlp with a 0 width', call: (backend) => mlp([2, 0, 1], { backend }), error: ValueError, message: /Dense units must be a positive integer, got 0/ },
  {
    name: 'mlp with too few activations',
    call: (backend) => mlp([2, 3, 3, 1], { backend, activation: ['relu'] }),
    error: ConfigError,
    message: /2 hidden layers but 1 activations/,
  },
];

/** compile cases: the subject is a compiled, once-trained model (Adam, so its state is not zero). */
const compiling: RefusalCase<Sequential>[] = [
  { name: 'unknown loss', call: (m) => m.compile({ loss: never('hinge') }), error: ConfigError, message: /unknown loss "hinge" \(valid: sse, mse/ },
  { name: 'loss as a BigInt', call: (m) => m.compile({ loss: never(5n) }), error: ConfigError, message: /unknown loss 5n/ },
  { name: 'no options', call: (m) => m.compile(never(null)), error: ConfigError, message: /compile needs \{ loss, optimizer \}, got null/ },
  { name: 'unknown option', call: (m) => m.compile(never({ loss: 'mse', lr: 1 })), error: ConfigError, message: /unknown option 'lr'/ },
  {
    name: 'unknown optimiser',
    call: (m) => m.compile({ loss: 'mse', optimizer: never('adagrad') }),
    error: ConfigError,
    message: /unknown optimizer "adagrad" \(valid: sgd, adam, adamw, rmsprop\)/,
  },
  { name: 'optimiser as a number', call: (m) => m.compile({ loss: 'mse', optimizer: never(5) }), error: ConfigError, message: /optimizer/ },
  {
    name: 'optimiser lr as a string',
    call: (m) => m.compile({ loss: 'mse', optimizer: { type: 'sgd', lr: never('x') } }),
    error: ValueError,
    message: /lr must be a finite number > 0, got "x"/,
  },
  { name: 'optimiser lr NaN', call: (m) => m.compile({ loss: 'mse', optimizer: { type: 'adam', lr: NaN } }), error: ValueError, message: /lr .* got NaN/ },
  { name: 'optimiser lr -1', call: () => new SGD({ lr: -1 }), error: ValueError, message: /lr must be a finite number > 0, got -1/ },
  { name: 'optimiser lr Infinity', call: () => new Adam({ lr: Infinity }), error: ValueError, message: /got Infinity/ },
  { name: 'optimiser beta1 = 1', call: () => new Adam({ beta1: 1 }), error: ValueError, message: /beta1/ },
  {
    name: 'optimiser unknown key',
    call: (m) => m.compile({ loss: 'mse', optimizer: never({ type: 'sgd', foo: 1 }) }),
    error: ConfigError,
    message: /unknown option 'foo'/,
  },
  { name: 'nesterov without momentum', call: () => new SGD({ nesterov: true }), error: ConfigError, message: /nesterov needs momentum > 0/ },
  {
    name: 'metrics as a string',
    call: (m) => m.compile({ loss: 'mse', metrics: never('accuracy') }),
    error: ConfigError,
    message: /metrics must be an array, got "accuracy"/,
  },
  {
    name: 'unknown metric',
    call: (m) => m.compile({ loss: 'mse', metrics: [never('auc')] }),
    error: ConfigError,
    message: /unknown metric "auc" \(valid: accuracy, mae, mse/,
  },
  {
    name: 'softmax_ce on one output',
    call: (m) => m.compile({ loss: 'softmax_ce' }),
    error: ConfigError,
    message: /needs at least 2 outputs, the model has 1/,
  },
];

/** The number of bad-input cases in this file (both backends count once each). */
export const CASES = (construction.length + compiling.length) * backends.length;

describe.each(backends)('construction and compile refusals on %s', (backend) => {
  let canary: unknown;
  beforeAll(async () => {
    canary = await canaryWeights(backend);
  });

  it.each(construction.map((c) => [c.name, c] as const))('construction: %s', async (_, c) => {
    const bytes = arenaBytesInUse();
    await expectRefused(backend, c);
    expect(arenaBytesInUse()).toBe(bytes);
    expectArenaIntact();
  });

  it.each(compiling.map((c) => [c.name, c] as const))('compile: %s', async (_, c) => {
    const model = new Sequential([new Dense(2, 5), new ReLU(), new Dense(5, 1)], { backend, seed: 4 });
    model.compile({ loss: 'mse', optimizer: new Adam({ lr: 0.01 }) });
    await model.fit(
      [
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      [1, 1, 0],
      { epochs: 2, batchSize: 2 },
    );
    const before = snapshot(model);
    await expectRefused(model, c);
    expectUnchanged(model, before);
    model.dispose();
  });

  it('the canary model still trains to the same weights after every refusal', async () => {
    expect(await canaryWeights(backend)).toEqual(canary);
  });
});
