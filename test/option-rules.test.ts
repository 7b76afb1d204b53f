// The one reader of optimiser, schedule, fit and compile options (src/model/option-rules.ts):
// defaults, required and optional options, switches, rules and float32's range, in one wording.
import { describe, expect, it } from 'vitest';
import { ConfigError, ValueError } from '../src/errors.js';
import { COUNT, NON_NEGATIVE, POSITIVE, UNIT, WHOLE, checkKeys, readOptions } from '../src/model/option-rules.js';

describe('option rules', () => {
  it('fills defaults in the specs order, takes given values, and leaves out absent optional ones', () => {
    const out = readOptions({ b: 2, c: null }, { a: [1, POSITIVE], b: [5, COUNT], c: [null, UNIT], d: [true, 'boolean'] }, 'f');
    expect(out).toEqual({ a: 1, b: 2, d: true });
    expect(Object.keys(out)).toEqual(['a', 'b', 'd']);
  });

  it('reads own properties only', () => {
    const inherited = Object.create({ a: -1 }) as Record<string, unknown>;
    expect(readOptions(inherited, { a: [3, POSITIVE] }, 'f')).toEqual({ a: 3 });
  });

  it('refuses a missing required option, a bad switch and a number outside its rule, naming who and what', () => {
    expect(() => readOptions({}, { tMax: [undefined, COUNT] }, "compile: schedule 'cosine'")).toThrow(new ConfigError("compile: schedule 'cosine' needs tMax"));
    expect(() => readOptions({ on: 1 }, { on: [false, 'boolean'] }, 'SGD')).toThrow(new ConfigError('SGD: on must be a boolean, got 1'));
    expect(() => readOptions({ n: 1.5 }, { n: [1, WHOLE] }, 'fit')).toThrow(new ValueError('fit: n must be an integer >= 0, got 1.5'));
    expect(() => readOptions({ x: -0.1 }, { x: [0, NON_NEGATIVE] }, 'w')).toThrow(ValueError);
    expect(() => readOptions({ x: Number.NaN }, { x: [0, NON_NEGATIVE] }, 'w')).toThrow(/x must be a finite number >= 0, got NaN/);
    expect(() => readOptions({ x: '1' }, { x: [0, NON_NEGATIVE] }, 'w')).toThrow(ValueError);
  });

  it('refuses numbers float32 cannot hold, whatever the rule', () => {
    expect(() => readOptions({ lr: 1e-50 }, { lr: [0.1, POSITIVE] }, 'Adam')).toThrow(/Adam: lr is 1e-50, outside float32's range/);
    expect(readOptions({ lr: 0 }, { lr: [0.1, NON_NEGATIVE] }, 'Adam')).toEqual({ lr: 0 });
  });

  it('checkKeys names the first unknown option and the valid ones', () => {
    expect(() => checkKeys({ a: 1, zz: 2 }, ['a', 'b'], 'Dense')).toThrow(new ConfigError("Dense: unknown option 'zz' (valid: a, b)"));
    expect(() => checkKeys({ a: 1 }, ['a', 'b'], 'Dense')).not.toThrow();
  });
});
