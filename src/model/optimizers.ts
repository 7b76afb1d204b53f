/**
 * Optimiser descriptions with PyTorch's defaults and semantics. They only hold settings; the
 * update itself runs in the backend (assembly/optimizers.ts, src/reference/optimizers.ts).
 */
import { ConfigError, ValueError, describe } from '../errors.js';
import type { AdamConfig, OptimizerConfig, RMSpropConfig, SGDConfig } from '../plan.js';
import { checkFloat32Range } from './hyper-range.js';

function num(opts: Record<string, unknown>, key: string, fallback: number, check: (v: number) => boolean, rule: string, who: string): number {
  const v = (Object.hasOwn(opts, key) ? opts[key] : undefined) ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) throw new ValueError(`${who}: ${key} must be ${rule}, got ${describe(v)}`);
  return checkFloat32Range(v, `${who}: ${key}`);
}

function bool(opts: Record<string, unknown>, key: string, fallback: boolean, who: string): boolean {
  const v = (Object.hasOwn(opts, key) ? opts[key] : undefined) ?? fallback;
  if (typeof v !== 'boolean') throw new ConfigError(`${who}: ${key} must be a boolean, got ${describe(v)}`);
  return v;
}

/**
 * Checks an options object's keys against `valid` and returns it, with `learningRate` (the Keras
 * and tfjs name) turned into `lr`; giving both is a ConfigError. Returns a copy; mutates nothing.
 */
function onlyKeys(opts: unknown, valid: string[], who: string): Record<string, unknown> {
  if (opts === undefined) return {};
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw new ConfigError(`${who} options must be an object, got ${describe(opts)}`);
  const accepted = valid.includes('lr') ? [...valid, 'learningRate'] : valid;
  for (const k of Object.keys(opts)) {
    if (!accepted.includes(k)) throw new ConfigError(`${who}: unknown option '${k}' (valid: ${accepted.join(', ')})`);
  }
  const { learningRate, ...rest } = opts as Record<string, unknown>;
  if (learningRate === undefined) return rest;
  if (rest.lr !== undefined) throw new ConfigError(`${who}: give lr or learningRate (the same setting), not both`);
  return { ...rest, lr: learningRate };
}

const positive = (v: number) => v > 0;
const nonNegative = (v: number) => v >= 0;
const unit = (v: number) => v >= 0 && v < 1;

/** Base of the optimiser descriptions: `config` is what the backends execute. */
export abstract class Optimizer {
  abstract readonly config: OptimizerConfig;
}

/** Options of SGD (PyTorch torch.optim.SGD); `learningRate` is accepted as another name for `lr`. */
export interface SGDOptions {
  lr?: number;
  learningRate?: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
  decayBiases?: boolean;
}

/** Stochastic gradient descent: lr 0.01, no momentum by default; Nesterov needs momentum > 0 and dampening 0. */
export class SGD extends Optimizer {
  readonly config: SGDConfig;
  constructor(options?: SGDOptions) {
    super();
    const o = onlyKeys(options, ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay', 'decayBiases'], 'SGD');
    this.config = {
      type: 'sgd',
      lr: num(o, 'lr', 0.01, positive, 'a finite number > 0', 'SGD'),
      momentum: num(o, 'momentum', 0, nonNegative, 'a finite number >= 0', 'SGD'),
      dampening: num(o, 'dampening', 0, (v) => v >= 0 && v <= 1, 'in [0, 1]', 'SGD'),
      nesterov: bool(o, 'nesterov', false, 'SGD'),
      weightDecay: num(o, 'weightDecay', 0, nonNegative, 'a finite number >= 0', 'SGD'),
      decayBiases: bool(o, 'decayBiases', true, 'SGD'),
    };
    if (this.config.nesterov && (this.config.momentum <= 0 || this.config.dampening !== 0)) {
      throw new ConfigError('SGD: nesterov needs momentum > 0 and dampening 0 (as in PyTorch)');
    }
  }
}

/** Options of Adam and AdamW. */
export interface AdamOptions {
  lr?: number;
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  decayBiases?: boolean;
  amsgrad?: boolean;
}

function adamConfig(type: 'adam' | 'adamw', options: AdamOptions | undefined, defaultDecay: number): AdamConfig {
  const who = type === 'adam' ? 'Adam' : 'AdamW';
  const o = onlyKeys(options, ['lr', 'beta1', 'beta2', 'eps', 'weightDecay', 'decayBiases', 'amsgrad'], who);
  return {
    type,
    lr: num(o, 'lr', 0.001, positive, 'a finite number > 0', who),
    beta1: num(o, 'beta1', 0.9, unit, 'in [0, 1)', who),
    beta2: num(o, 'beta2', 0.999, unit, 'in [0, 1)', who),
    eps: num(o, 'eps', 1e-8, positive, 'a finite number > 0', who),
    weightDecay: num(o, 'weightDecay', defaultDecay, nonNegative, 'a finite number >= 0', who),
    decayBiases: bool(o, 'decayBiases', true, who),
    amsgrad: bool(o, 'amsgrad', false, who),
  };
}

/** Adam, bias-corrected; weight decay is L2 added to the gradient (PyTorch torch.optim.Adam). lr 0.001. */
export class Adam extends Optimizer {
  readonly config: AdamConfig;
  constructor(options?: AdamOptions) {
    super();
    this.config = adamConfig('adam', options, 0);
  }
}

/** AdamW: decoupled weight decay p <- p(1 - lr*wd) before the Adam step (default wd 0.01). */
export class AdamW extends Optimizer {
  readonly config: AdamConfig;
  constructor(options?: AdamOptions) {
    super();
    this.config = adamConfig('adamw', options, 0.01);
  }
}

/** Options of RMSprop. */
export interface RMSpropOptions {
  lr?: number;
  learningRate?: number;
  alpha?: number;
  eps?: number;
  momentum?: number;
  centered?: boolean;
  weightDecay?: number;
  decayBiases?: boolean;
}

/** RMSprop (PyTorch torch.optim.RMSprop): lr 0.01, alpha 0.99, eps 1e-8. */
export class RMSprop extends Optimizer {
  readonly config: RMSpropConfig;
  constructor(options?: RMSpropOptions) {
    super();
    const o = onlyKeys(options, ['lr', 'alpha', 'eps', 'momentum', 'centered', 'weightDecay', 'decayBiases'], 'RMSprop');
    this.config = {
      type: 'rmsprop',
      lr: num(o, 'lr', 0.01, positive, 'a finite number > 0', 'RMSprop'),
      alpha: num(o, 'alpha', 0.99, unit, 'in [0, 1)', 'RMSprop'),
      eps: num(o, 'eps', 1e-8, positive, 'a finite number > 0', 'RMSprop'),
      momentum: num(o, 'momentum', 0, nonNegative, 'a finite number >= 0', 'RMSprop'),
      centered: bool(o, 'centered', false, 'RMSprop'),
      weightDecay: num(o, 'weightDecay', 0, nonNegative, 'a finite number >= 0', 'RMSprop'),
      decayBiases: bool(o, 'decayBiases', true, 'RMSprop'),
    };
  }
}

/** The optimiser names compile() accepts as strings. */
export const OPTIMIZERS = ['sgd', 'adam', 'adamw', 'rmsprop'] as const;

/** An optimiser name (a typo is a compile error). */
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** An optimiser as `{ type, ...options }` (the saved form), typed by its name. */
export type OptimizerSpec = ({ type: 'sgd' } & SGDOptions) | ({ type: 'adam' | 'adamw' } & AdamOptions) | ({ type: 'rmsprop' } & RMSpropOptions);

/**
 * Resolves what compile() was given: an Optimizer instance, a name, or a config object
 * `{ type, ...options }` (the saved form). Throws ConfigError listing the valid names.
 */
export function resolveOptimizer(spec: unknown): OptimizerConfig {
  if (spec instanceof Optimizer) return spec.config;
  if (typeof spec === 'string') return resolveOptimizer({ type: spec });
  if (typeof spec === 'object' && spec !== null && Object.hasOwn(spec, 'type')) {
    const { type, ...rest } = spec as { type: unknown };
    switch (typeof type === 'string' ? type.toLowerCase() : type) {
      case 'sgd':
        return new SGD(rest).config;
      case 'adam':
        return new Adam(rest).config;
      case 'adamw':
        return new AdamW(rest).config;
      case 'rmsprop':
        return new RMSprop(rest).config;
    }
    throw new ConfigError(`unknown optimizer ${describe(type)} (valid: ${OPTIMIZERS.join(', ')})`);
  }
  throw new ConfigError(`optimizer must be an Optimizer, a name (${OPTIMIZERS.join(', ')}) or { type, ... }, got ${describe(spec)}`);
}
