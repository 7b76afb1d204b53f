/**
 * The layers a Sequential is built from. A layer here is only a description (sizes, activation,
 * initialiser); the numbers live in the backend's engine. Each layer can describe itself as
 * `{ className, config }` and be rebuilt from that (see layer-config.ts), which is what makes
 * toJSON / fromJSON generic.
 */
import { ConfigError, ValueError, describe } from '../errors.js';
import { ACTIVATIONS, type ActivationName } from '../plan.js';
import type { InitializerSpec } from '../initializers.js';
import type { LayerConfig } from '../io/model-record.js';

export type { LayerConfig };

/** Common base of all layers. */
export abstract class Layer {
  abstract readonly className: string;
  /** The layer as `{ className, config }`, enough to rebuild it (layer-config.ts). */
  abstract toConfig(): LayerConfig;
}

/** Options of a Dense layer. */
export interface DenseOptions {
  /** Initialiser of W (default 'glorot_uniform'). */
  init?: InitializerSpec;
  /** Initialiser of b (default 'zeros'). */
  biasInit?: InitializerSpec;
  /** Whether the layer has a bias (default true). */
  useBias?: boolean;
}

function checkSize(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
    throw new ValueError(`${what} must be a positive integer, got ${describe(v)}`);
  }
  return v;
}

/** A fully connected layer y = x·W + b, W of shape [inputs, units]. */
export class Dense extends Layer {
  readonly className = 'Dense';
  readonly inputs: number;
  readonly units: number;
  readonly useBias: boolean;
  readonly init: InitializerSpec | undefined;
  readonly biasInit: InitializerSpec | undefined;

  constructor(inputs: number, units: number, options: DenseOptions = {}) {
    super();
    this.inputs = checkSize(inputs, 'Dense inputs');
    this.units = checkSize(units, 'Dense units');
    if (typeof options !== 'object' || options === null) throw new ConfigError(`Dense options must be an object, got ${describe(options)}`);
    for (const key of Object.keys(options)) {
      if (!['init', 'biasInit', 'useBias'].includes(key)) throw new ConfigError(`Dense: unknown option '${key}' (valid: init, biasInit, useBias)`);
    }
    if (options.useBias !== undefined && typeof options.useBias !== 'boolean')
      throw new ConfigError(`Dense useBias must be a boolean, got ${describe(options.useBias)}`);
    this.useBias = options.useBias ?? true;
    this.init = options.init;
    this.biasInit = options.biasInit;
  }

  toConfig(): LayerConfig {
    const config: Record<string, unknown> = { inputs: this.inputs, units: this.units, useBias: this.useBias };
    if (this.init !== undefined) config.init = this.init;
    if (this.biasInit !== undefined) config.biasInit = this.biasInit;
    return { className: this.className, config };
  }
}

/** A layer applying an activation function elementwise (softmax: per row). */
export class Activation extends Layer {
  readonly className: string = 'Activation';
  constructor(
    readonly activation: ActivationName,
    readonly alpha = 0,
  ) {
    super();
    if (!ACTIVATIONS.includes(activation)) {
      throw new ConfigError(`unknown activation ${describe(activation)} (valid: ${ACTIVATIONS.join(', ')})`);
    }
    if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) {
      throw new ValueError(`activation ${activation}: alpha must be a finite number >= 0, got ${describe(alpha)}`);
    }
  }

  toConfig(): LayerConfig {
    const config: Record<string, unknown> = { activation: this.activation };
    if (this.activation === 'leaky_relu') config.alpha = this.alpha;
    return { className: 'Activation', config };
  }
}

/** Logistic sigmoid 1/(1+e^-z). */
export class Sigmoid extends Activation {
  constructor() {
    super('sigmoid');
  }
}
/** Hyperbolic tangent. */
export class Tanh extends Activation {
  constructor() {
    super('tanh');
  }
}
/** max(z, 0); derivative 0 at z <= 0. */
export class ReLU extends Activation {
  constructor() {
    super('relu');
  }
}
/** z for z > 0, alpha*z otherwise (alpha >= 0, default 0.01). */
export class LeakyReLU extends Activation {
  constructor(alpha = 0.01) {
    super('leaky_relu', alpha);
  }
}
/** The identity; marks a linear output explicitly. */
export class Identity extends Activation {
  constructor() {
    super('identity');
  }
}
/** 1 for z > 0 else 0; its derivative is taken as 0, so layers before it get no gradient. */
export class Step extends Activation {
  constructor() {
    super('step');
  }
}
/** Softmax over each row (max-subtracted); fused with categorical_ce when it is the last layer. */
export class Softmax extends Activation {
  constructor() {
    super('softmax');
  }
}

/** Flattens image batches [n, h, w] into rows of h*w values (a reshape; no parameters). */
export class Flatten extends Layer {
  readonly className = 'Flatten';
  toConfig(): LayerConfig {
    return { className: 'Flatten', config: {} };
  }
}

/** Options of a BatchNorm layer. */
export interface BatchNormOptions {
  /** Weight of the batch in the running estimates (default 0.1, as PyTorch; Keras's momentum is 1 - this). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/**
 * Batch normalisation over `features` values per row, as torch.nn.BatchNorm1d: in training,
 * y = gamma · (x - mean) / sqrt(var + eps) + beta with the batch's mean and biased variance,
 * and the running estimates move by `momentum` towards the batch's mean and unbiased variance;
 * in predict / evaluate, the running estimates normalise. gamma (init 1) and beta (init 0) are
 * trained; the running mean (0) and variance (1) are weights too, as in Keras.
 */
export class BatchNorm extends Layer {
  readonly className = 'BatchNorm';
  readonly features: number;
  readonly momentum: number;
  readonly eps: number;

  constructor(features: number, options: BatchNormOptions = {}) {
    super();
    this.features = checkSize(features, 'BatchNorm features');
    if (typeof options !== 'object' || options === null) throw new ConfigError(`BatchNorm options must be an object, got ${describe(options)}`);
    for (const key of Object.keys(options)) {
      if (key !== 'momentum' && key !== 'eps') throw new ConfigError(`BatchNorm: unknown option '${key}' (valid: momentum, eps)`);
    }
    const momentum = options.momentum ?? 0.1,
      eps = options.eps ?? 1e-5;
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1))
      throw new ValueError(`BatchNorm momentum must be a number in [0, 1], got ${describe(momentum)}`);
    if (typeof eps !== 'number' || !(eps > 0 && eps < 1)) throw new ValueError(`BatchNorm eps must be a number in (0, 1), got ${describe(eps)}`);
    this.momentum = momentum;
    this.eps = eps;
  }

  toConfig(): LayerConfig {
    return { className: this.className, config: { features: this.features, momentum: this.momentum, eps: this.eps } };
  }
}

/**
 * Inverted dropout: while fit trains, each value is zeroed with probability `rate` and the
 * others are scaled by 1 / (1 - rate); predict, evaluate and gradients pass values through.
 * Masks come from the model's seeded stream: a run is reproducible from its seed.
 */
export class Dropout extends Layer {
  readonly className = 'Dropout';
  readonly rate: number;

  constructor(rate: number) {
    super();
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new ValueError(`Dropout rate must be a number in [0, 1), got ${describe(rate)}`);
    this.rate = rate;
  }

  toConfig(): LayerConfig {
    return { className: this.className, config: { rate: this.rate } };
  }
}

/** Makes an activation layer from its name (as mlp() and the CLI accept them). */
export function activationLayer(name: ActivationName, alpha?: number): Activation {
  if (!(ACTIVATIONS as readonly string[]).includes(name)) {
    throw new ConfigError(`unknown activation ${describe(name)} (valid: ${ACTIVATIONS.join(', ')})`);
  }
  return new Activation(name as ActivationName, name === 'leaky_relu' ? (alpha ?? 0.01) : 0);
}
