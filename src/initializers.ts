/**
 * Weight initializers: how a parameter tensor gets its first values from a seeded Random.
 *
 * Values are drawn in row-major order (for a kernel [fanIn, fanOut], row i = input i), one draw
 * per element, so the same seed and spec always give the same tensor. Fans follow Keras and
 * PyTorch for a Dense kernel [in, out]: fan_in = in, fan_out = out. For a bias shape [n] there
 * is no in/out, and we take fan_in = fan_out = n.
 *
 * The "glorot_normal" family is a plain (untruncated) normal, as PyTorch's xavier_normal_ and
 * kaiming_normal_; Keras truncates at two standard deviations, we do not.
 */
import { ConfigError, ValueError, describe } from './errors.js';
import type { Random } from './random.js';
import { ownEntry } from './own.js';

/** An initializer by name, or by name with parameters, e.g. { name: 'normal', std: 0.01 }; a typo is a compile error. */
export type InitializerSpec = InitializerName | { name: InitializerName; [k: string]: number | string };

/** The shape of a tensor to initialise: a kernel [fanIn, fanOut] or a vector [n]. */
export type InitShape = [number, number] | [number];

interface Fans {
  fanIn: number;
  fanOut: number;
}

/** One initializer: its parameters with defaults, and a draw of one element. */
interface Initializer {
  params: Record<string, number>;
  /** Checks the resolved parameters; throws a clear Error. */
  check?(p: Record<string, number>): void;
  draw(rng: Random, p: Record<string, number>, fans: Fans): number;
}

const nonNegative = (key: string) => (p: Record<string, number>) => {
  if (p[key] < 0) throw new ValueError(`initializer: '${key}' must be >= 0, got ${p[key]}`);
};

/** A zero-mean normal with the given standard deviation of the fans. */
const scaledNormal = (std: (f: Fans) => number): Initializer => ({
  params: {},
  draw: (rng, _p, f) => rng.normal(0, std(f)),
});

/** A uniform on [-limit, limit) with the limit a function of the fans. */
const scaledUniform = (limit: (f: Fans) => number): Initializer => ({
  params: {},
  draw: (rng, _p, f) => rng.uniform(-limit(f), limit(f)),
});

const REGISTRY = {
  zeros: { params: {}, draw: () => 0 },
  ones: { params: {}, draw: () => 1 },
  constant: { params: { value: 0 }, draw: (_r, p) => p.value },
  normal: { params: { mean: 0, std: 0.05 }, check: nonNegative('std'), draw: (r, p) => r.normal(p.mean, p.std) },
  uniform: {
    params: { a: -0.05, b: 0.05 },
    check: (p) => {
      if (p.a > p.b) throw new ValueError(`initializer 'uniform': need a <= b, got a=${p.a}, b=${p.b}`);
    },
    draw: (r, p) => r.uniform(p.a, p.b),
  },
  // The seeds' np.random.randn(...) * k.
  randn: { params: { scale: 1 }, draw: (r, p) => p.scale * r.normal() },
  // Seed 001's np.random.randn(in, out) / np.sqrt(in).
  randn_fan_in: { params: {}, draw: (r, _p, f) => r.normal() / Math.sqrt(f.fanIn) },
  glorot_normal: scaledNormal((f) => Math.sqrt(2 / (f.fanIn + f.fanOut))),
  glorot_uniform: scaledUniform((f) => Math.sqrt(6 / (f.fanIn + f.fanOut))),
  he_normal: scaledNormal((f) => Math.sqrt(2 / f.fanIn)),
  he_uniform: scaledUniform((f) => Math.sqrt(6 / f.fanIn)),
  lecun_normal: scaledNormal((f) => Math.sqrt(1 / f.fanIn)),
  lecun_uniform: scaledUniform((f) => Math.sqrt(3 / f.fanIn)),
} satisfies Record<string, Initializer>;

/** Other spellings, mapped to the names above. */
const ALIASES = {
  xavier_normal: 'glorot_normal',
  xavier_uniform: 'glorot_uniform',
  kaiming_normal: 'he_normal',
  kaiming_uniform: 'he_uniform',
} as const satisfies Record<string, keyof typeof REGISTRY>;

/** An initializer name or alias. */
export type InitializerName = keyof typeof REGISTRY | keyof typeof ALIASES;

/** Every accepted initializer name, aliases included. */
export const INITIALIZERS: readonly string[] = [...Object.keys(REGISTRY), ...Object.keys(ALIASES)];

/** The kernel initializer a Dense layer uses when none is given (as Keras). */
export const DEFAULT_KERNEL_INITIALIZER = 'glorot_uniform';
/** The bias initializer a Dense layer uses when none is given. */
export const DEFAULT_BIAS_INITIALIZER = 'zeros';

/** Resolves a spec to its initializer and full parameter set; throws on unknown names or bad params. */
function resolve(spec: InitializerSpec): { name: string; init: Initializer; params: Record<string, number> } {
  const given = typeof spec === 'string' ? { name: spec } : spec;
  if (given === null || typeof given !== 'object' || typeof given.name !== 'string') {
    throw new ConfigError(`initializer: expected a name or { name, ...params }, got ${describe(spec)}`);
  }
  const name: string = ownEntry(ALIASES as Record<string, string>, given.name) ?? given.name;
  const init = ownEntry(REGISTRY as Record<string, Initializer>, name);
  if (!init) {
    throw new ConfigError(`initializer: unknown name '${given.name}'; valid names are ${INITIALIZERS.join(', ')}`);
  }
  const params = { ...init.params };
  for (const [key, value] of Object.entries(given)) {
    if (key === 'name') continue;
    if (!Object.hasOwn(init.params, key)) {
      const allowed = Object.keys(init.params);
      throw new ConfigError(`initializer '${name}': unknown parameter '${key}'` + (allowed.length ? ` (it takes ${allowed.join(', ')})` : ' (it takes none)'));
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ValueError(`initializer '${name}': parameter '${key}' must be a finite number, got ${describe(value)}`);
    }
    params[key] = value;
  }
  init.check?.(params);
  return { name, init, params };
}

/** Checks an initializer spec without drawing anything; throws ConfigError / ValueError as initialize would. */
export function checkInitializer(spec: InitializerSpec): void {
  resolve(spec);
}

/**
 * A new Float64Array of the shape's size filled by the initializer, drawing from `rng` in
 * row-major order. Mutates only `rng` (advances it). Throws an Error for an unknown name, a bad
 * parameter or a bad shape.
 */
export function initialize(spec: InitializerSpec, shape: InitShape, rng: Random): Float64Array {
  const { init, params } = resolve(spec);
  if (!Array.isArray(shape) || (shape.length !== 1 && shape.length !== 2) || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(`initializer: shape must be [fanIn, fanOut] or [n] of positive integers, got ${JSON.stringify(shape)}`);
  }
  const fans: Fans = shape.length === 2 ? { fanIn: shape[0], fanOut: shape[1] } : { fanIn: shape[0], fanOut: shape[0] };
  const size = shape.length === 2 ? shape[0] * shape[1] : shape[0];
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = init.draw(rng, params, fans);
  return out;
}
