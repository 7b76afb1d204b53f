/**
 * Names and settings that used to slip through: Object.prototype keys as loss / optimiser /
 * activation / initialiser / metric / schedule names, hyper-parameters outside float32 (the core
 * would turn them into 0 or Infinity), and unchecked save options. Each is refused with a
 * named error on both backends before anything changes.
 */
import { describe, expect, it } from 'vitest';
import { Activation, ConfigError, Dense, SGD, Sequential, ValueError } from '../src/index.js';
import { checkFixtureFields } from '../src/fixture-schema.js';

const protoNames = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
const backends = ['wasm', 'reference'] as const;
const never = <T = never>(v: unknown) => v as T;

function model(backend: (typeof backends)[number]): Sequential {
  return new Sequential([new Dense(2, 3), new Dense(3, 2)], { seed: 1, backend });
}

describe('Object.prototype keys are not names', () => {
  it.each(protoNames)('%s as a loss, optimiser, metric, schedule, activation, initialiser or initialiser parameter', (key) => {
    const name = never(key); // not a valid name of any kind: typed never to pass it everywhere
    const m = model('reference');
    expect(() => m.compile({ loss: name })).toThrow(ConfigError);
    expect(() => m.compile({ loss: { name } })).toThrow(ConfigError);
    expect(() => m.compile({ loss: 'mse', optimizer: name })).toThrow(ConfigError);
    expect(() => m.compile({ loss: 'mse', metrics: [name] })).toThrow(ConfigError);
    expect(() => m.compile({ loss: 'mse', schedule: { type: name } })).toThrow(ConfigError);
    expect(() => new Activation(name)).toThrow(ConfigError);
    expect(() => new Sequential([new Dense(2, 2, { init: name })])).toThrow(ConfigError);
    expect(() => new Sequential([new Dense(2, 2, { init: { name: 'normal', [name]: 1 } as never })])).toThrow(ConfigError);
    expect(() => checkFixtureFields({ layers: [{ type: name }] }, 'f')).toThrow(ConfigError);
    expect(() => checkFixtureFields({ optimizer: { type: name } }, 'f')).toThrow(ConfigError);
    expect(m.compiled).toBe(false);
    m.dispose();
  });
});

describe.each(backends)('hyper-parameters outside float32 on %s', (backend) => {
  const cases: [string, Record<string, unknown>][] = [
    ['lr 1e-50 (0 in f32)', { loss: 'mse', optimizer: { type: 'sgd', lr: 1e-50 } }],
    ['lr 1e39 (Infinity in f32)', { loss: 'mse', optimizer: { type: 'adam', lr: 1e39 } }],
    ['a subnormal lr', { loss: 'mse', optimizer: { type: 'rmsprop', lr: 1e-40 } }],
    ['eps 1e-60', { loss: 'mse', optimizer: { type: 'adam', eps: 1e-60 } }],
    ['weightDecay 1e-45', { loss: 'mse', optimizer: { type: 'sgd', weightDecay: 1e-45 } }],
    ['momentum 1e-300', { loss: 'mse', optimizer: { type: 'sgd', momentum: 1e-300 } }],
    ['clipGradNorm 1e39', { loss: 'mse', clipGradNorm: 1e39 }],
    ['clipValue 1e-50', { loss: 'mse', clipValue: 1e-50 }],
    ['huber delta 1e-50', { loss: { name: 'huber', delta: 1e-50 } }],
    ['a schedule etaMin of 1e-50', { loss: 'mse', schedule: { type: 'cosine', tMax: 5, etaMin: 1e-50 } }],
    ['a onecycle maxLr of 1e39', { loss: 'mse', schedule: { type: 'onecycle', maxLr: 1e39, totalSteps: 10 } }],
  ];
  it.each(cases)('refuses %s at compile', (_, options) => {
    const m = model(backend);
    expect(() => m.compile(never(options))).toThrow(ValueError);
    expect(() => m.compile(never(options))).toThrow(/outside float32's range/);
    expect(m.compiled).toBe(false);
    m.dispose();
  });

  it('accepts 0 and values at the edges of the range', () => {
    const m = model(backend);
    m.compile({ loss: 'mse', optimizer: { type: 'sgd', lr: 2 ** -126, momentum: 0, weightDecay: 0 } });
    m.compile({ loss: 'mse', optimizer: new SGD({ lr: 1e-30 }), clipValue: 3.4e38 });
    expect(m.compiled).toBe(true);
    m.dispose();
  });
});

describe.each(backends)('save options on %s', (backend) => {
  const bad: [string, unknown, RegExp][] = [
    ["includeOptimizer 'yes'", { includeOptimizer: 'yes' }, /includeOptimizer must be a boolean, got "yes"/],
    ['includeOptimizer 1', { includeOptimizer: 1 }, /includeOptimizer must be a boolean/],
    ['an unknown key', { includeOptimiser: true }, /unknown option 'includeOptimiser' \(valid: includeOptimizer\)/],
    ['null', null, /options must be an object, got null/],
    ['a number', 5, /options must be an object/],
  ];
  it.each(bad)('refuses %s in save, save(path) and toJSON', async (_, options, message) => {
    const m = model(backend);
    m.compile({ loss: 'mse' });
    expect(() => m.save(never(options))).toThrow(ConfigError);
    expect(() => m.save(never(options))).toThrow(message);
    await expect(m.save('/nonexistent-dir/never-written.wmlp', never(options))).rejects.toThrow(message);
    if (options !== null) expect(() => m.toJSON(never(options))).toThrow(message);
    m.dispose();
  });

  it('still takes valid options and JSON.stringify', () => {
    const m = model(backend);
    m.compile({ loss: 'mse' });
    expect(Sequential.fromBytes(m.save({ includeOptimizer: false })).predict([[1, 2]])).toEqual(m.predict([[1, 2]]));
    expect(JSON.parse(JSON.stringify(m)).training).toBeUndefined();
    expect(m.toJSON({ includeOptimizer: true }).training).toBeDefined();
    m.dispose();
  });
});

describe.each(backends)('bounded model size on %s', (backend) => {
  it('refuses 1,000 parameterless activation layers (a small file, gigabytes of buffers) before allocating', () => {
    const layers = [new Dense(2, 256), ...Array.from({ length: 1000 }, () => new Activation('relu'))];
    expect(() => new Sequential(layers, { backend })).toThrow(/a Sequential may have at most 512 layers, got 1001/);
    const json = {
      format: 'wasmlp-model',
      version: 2,
      seed: 1,
      backend,
      compile: null,
      weights: [],
      layers: [
        { className: 'Dense', config: { inputs: 2, units: 256, useBias: false } },
        ...Array.from({ length: 1000 }, () => ({ className: 'Activation', config: { activation: 'relu' } })),
      ],
    };
    expect(() => Sequential.fromJSON(json)).toThrow(/at most 512 layers/);
  });

  it('counts activation buffers in the size limit', () => {
    // 32,768 values per row × 40 stages × 64 rows is over 2^26, with few parameters.
    const wide = [new Dense(2, 32768), ...Array.from({ length: 40 }, (_, i) => new Activation(i % 2 ? 'relu' : 'tanh'))];
    expect(() => new Sequential(wide, { backend })).toThrow(/activation buffers of \d+ values per row × 64 rows\), more than the limit of 67108864/);
    const fine = new Sequential([new Dense(2, 4096), new Activation('relu'), new Activation('tanh')], { backend, seed: 1 });
    expect(fine.predict([[1, 2]])[0]).toHaveLength(4096);
    fine.dispose();
  });
});
