import { describe, expect, it } from 'vitest';
import { Random } from '../src/random.js';
import { DEFAULT_BIAS_INITIALIZER, DEFAULT_KERNEL_INITIALIZER, INITIALIZERS, initialize, type InitializerSpec } from '../src/initializers.js';

function stats(a: Float64Array) {
  let s = 0,
    s2 = 0,
    min = Infinity,
    max = -Infinity;
  for (const v of a) {
    s += v;
    s2 += v * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = s / a.length;
  return { mean, std: Math.sqrt(s2 / a.length - mean * mean), min, max };
}

// A 200 x 300 kernel: 60k draws, so the std estimate is good to ~0.6% (4 standard errors).
const SHAPE: [number, number] = [200, 300];
const glorotStd = Math.sqrt(2 / 500);

describe('initializers', () => {
  it('exports the names and the Keras defaults', () => {
    for (const n of [
      'zeros',
      'ones',
      'constant',
      'normal',
      'uniform',
      'randn',
      'randn_fan_in',
      'glorot_normal',
      'glorot_uniform',
      'he_normal',
      'he_uniform',
      'lecun_normal',
      'lecun_uniform',
      'xavier_normal',
      'xavier_uniform',
      'kaiming_normal',
      'kaiming_uniform',
    ])
      expect(INITIALIZERS).toContain(n);
    expect(DEFAULT_KERNEL_INITIALIZER).toBe('glorot_uniform');
    expect(DEFAULT_BIAS_INITIALIZER).toBe('zeros');
  });

  it('zeros, ones and constant fill exactly', () => {
    const rng = new Random(0);
    expect(Array.from(initialize('zeros', [2, 3], rng))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(initialize('ones', [4], rng))).toEqual([1, 1, 1, 1]);
    expect(Array.from(initialize({ name: 'constant', value: 0.25 }, [3], rng))).toEqual([0.25, 0.25, 0.25]);
  });

  const normals: [InitializerSpec, number, number][] = [
    ['normal', 0, 0.05],
    [{ name: 'normal', mean: 1, std: 0.01 }, 1, 0.01],
    ['randn', 0, 1],
    [{ name: 'randn', scale: 0.01 }, 0, 0.01],
    ['randn_fan_in', 0, 1 / Math.sqrt(200)],
    ['glorot_normal', 0, glorotStd],
    ['xavier_normal', 0, glorotStd],
    ['he_normal', 0, Math.sqrt(2 / 200)],
    ['kaiming_normal', 0, Math.sqrt(2 / 200)],
    ['lecun_normal', 0, Math.sqrt(1 / 200)],
  ];
  it.each(normals)('%j has the right mean and std', (spec, mean, std) => {
    const s = stats(initialize(spec, SHAPE, new Random(1)));
    expect(Math.abs(s.mean - mean)).toBeLessThan(0.02 * std);
    expect(Math.abs(s.std / std - 1)).toBeLessThan(0.015);
  });

  const uniforms: [InitializerSpec, number, number][] = [
    ['uniform', -0.05, 0.05],
    [{ name: 'uniform', a: 2, b: 3 }, 2, 3],
    ['glorot_uniform', -Math.sqrt(6 / 500), Math.sqrt(6 / 500)],
    ['xavier_uniform', -Math.sqrt(6 / 500), Math.sqrt(6 / 500)],
    ['he_uniform', -Math.sqrt(6 / 200), Math.sqrt(6 / 200)],
    ['kaiming_uniform', -Math.sqrt(6 / 200), Math.sqrt(6 / 200)],
    ['lecun_uniform', -Math.sqrt(3 / 200), Math.sqrt(3 / 200)],
  ];
  it.each(uniforms)('%j stays in its limits and fills them', (spec, a, b) => {
    const s = stats(initialize(spec, SHAPE, new Random(2)));
    const w = b - a;
    expect(s.min).toBeGreaterThanOrEqual(a);
    expect(s.max).toBeLessThan(b);
    expect(s.min - a).toBeLessThan(0.001 * w);
    expect(b - s.max).toBeLessThan(0.001 * w);
    expect(Math.abs(s.mean - (a + b) / 2)).toBeLessThan(0.01 * w);
    expect(Math.abs(s.std / (w / Math.sqrt(12)) - 1)).toBeLessThan(0.015);
  });

  it('a bias shape [n] uses fan_in = fan_out = n', () => {
    const s = stats(initialize('glorot_uniform', [50_000], new Random(3)));
    expect(s.max).toBeLessThan(Math.sqrt(6 / 100_000));
    expect(s.max).toBeGreaterThan(0.99 * Math.sqrt(6 / 100_000));
  });

  it('draws in row-major order, one draw per element, deterministically', () => {
    const w = initialize('randn', [3, 4], new Random(9));
    const rng = new Random(9);
    expect(Array.from(w)).toEqual(Array.from({ length: 12 }, () => rng.normal()));
    expect(initialize('he_uniform', [5, 7], new Random(4))).toEqual(initialize('he_uniform', [5, 7], new Random(4)));
    expect(initialize('he_uniform', [5, 7], new Random(4))).not.toEqual(initialize('he_uniform', [5, 7], new Random(5)));
  });

  it('rejects unknown names, listing the valid ones', () => {
    // @ts-expect-error an unknown initialiser name, refused at run time
    expect(() => initialize('glorot', [2, 2], new Random(0))).toThrow(/unknown name 'glorot'.*glorot_uniform.*he_normal/);
    // @ts-expect-error an Object.prototype key, not an initialiser name
    expect(() => initialize('toString', [2, 2], new Random(0))).toThrow(/unknown name/);
  });

  it('rejects bad parameters and shapes', () => {
    const rng = new Random(0);
    expect(() => initialize({ name: 'normal', std: -1 }, [2], rng)).toThrow(/std.*>= 0/);
    expect(() => initialize({ name: 'uniform', a: 1, b: 0 }, [2], rng)).toThrow(/a <= b/);
    expect(() => initialize({ name: 'constant', value: NaN }, [2], rng)).toThrow(/finite/);
    expect(() => initialize({ name: 'randn', scale: Infinity }, [2], rng)).toThrow(/finite/);
    expect(() => initialize({ name: 'normal', stddev: 1 }, [2], rng)).toThrow(/unknown parameter 'stddev'/);
    expect(() => initialize('zeros', [0, 2], rng)).toThrow(/shape/);
    expect(() => initialize('zeros', [1.5] as [number], rng)).toThrow(/shape/);
  });
});
