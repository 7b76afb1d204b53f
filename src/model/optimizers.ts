/**
 * Optimiser descriptions with PyTorch's defaults and semantics. They only hold settings; the
 * update itself runs in the backend (assembly/optimizers.ts, src/reference/optimizers.ts).
 */
import { ConfigError, describe } from '../errors.js';
import type { AdamConfig, OptimizerConfig, RMSpropConfig, SGDConfig } from '../plan.js';
import { NON_NEGATIVE, POSITIVE, UNIT, checkKeys, readOptions, type Rule } from './option-rules.js';

/** Every option's rule, whichever optimiser takes it. */
const RULES: Record<string, Rule> = {
  lr: POSITIVE,
  momentum: NON_NEGATIVE,
  dampening: [(v) => v >= 0 && v <= 1, 'in [0, 1]'],
  nesterov: 'boolean',
  beta1: UNIT,
  beta2: UNIT,
  eps: POSITIVE,
  alpha: UNIT,
  centered: 'boolean',
  weightDecay: NON_NEGATIVE,
  decayBiases: 'boolean',
  amsgrad: 'boolean',
};

type Type = OptimizerConfig['type'];
/** The config type of optimiser type T. */
type ConfigOf<T extends Type> = T extends 'sgd' ? SGDConfig : T extends 'rmsprop' ? RMSpropConfig : AdamConfig;
/** Each optimiser's options with PyTorch's defaults, in the order its config lists them. */
const DEFAULTS: { [T in Type]: Omit<ConfigOf<T>, 'type'> } = {
  sgd: { lr: 0.01, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, decayBiases: true },
  adam: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decayBiases: true, amsgrad: false },
  adamw: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decayBiases: true, amsgrad: false },
  rmsprop: { lr: 0.01, alpha: 0.99, eps: 1e-8, momentum: 0, centered: false, weightDecay: 0, decayBiases: true },
};

/**
 * The config of optimiser `type` from the options given to its class (`who`, for messages):
 * every option checked against RULES, missing ones defaulted. Throws ConfigError for an unknown
 * option or a non-boolean switch, ValueError for a bad number. Creates only.
 */
function configOf<T extends Type>(type: T, options: unknown, who: string): ConfigOf<T> {
  const defaults: Record<string, number | boolean> = DEFAULTS[type];
  const specs = Object.fromEntries(Object.entries(defaults).map(([key, fallback]) => [key, [fallback, RULES[key]] as const]));
  return { type, ...readOptions(onlyKeys(options, Object.keys(defaults), who), specs, who) } as unknown as ConfigOf<T>;
}

/**
 * Checks an options object's keys against `valid` and returns it, with `learningRate` (the Keras
 * and tfjs name) turned into `lr`; giving both is a ConfigError. Returns a copy; mutates nothing.
 */
function onlyKeys(opts: unknown, valid: string[], who: string): Record<string, unknown> {
  if (opts === undefined) return {};
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw new ConfigError(`${who} options must be an object, got ${describe(opts)}`);
  checkKeys(opts, valid.includes('lr') ? [...valid, 'learningRate'] : valid, who);
  const { learningRate, ...rest } = opts as Record<string, unknown>;
  if (learningRate === undefined) return rest;
  if (rest.lr !== undefined) throw new ConfigError(`${who}: give lr or learningRate (the same setting), not both`);
  return { ...rest, lr: learningRate };
}

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
    this.config = configOf('sgd', options, 'SGD');
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

/** Adam, bias-corrected; weight decay is L2 added to the gradient (PyTorch torch.optim.Adam). lr 0.001. */
export class Adam extends Optimizer {
  readonly config: AdamConfig;
  constructor(options?: AdamOptions) {
    super();
    this.config = configOf('adam', options, 'Adam');
  }
}

/** AdamW: decoupled weight decay p <- p(1 - lr*wd) before the Adam step (default wd 0.01). */
export class AdamW extends Optimizer {
  readonly config: AdamConfig;
  constructor(options?: AdamOptions) {
    super();
    this.config = configOf('adamw', options, 'AdamW');
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
    this.config = configOf('rmsprop', options, 'RMSprop');
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
