/**
 * The layers a Sequential is built from. A layer here is only a description (sizes, activation,
 * initialiser); the numbers live in the backend's engine. Each layer can describe itself as
 * `{ className, config }` and be rebuilt from that (see layer-config.ts), which is what makes
 * toJSON / fromJSON generic.
 */
import { ConfigError, ValueError, describe } from '../errors.js';
import { ACTIVATIONS, type ActivationName, type Stage } from '../plan.js';
import { DEFAULT_BIAS_INITIALIZER, DEFAULT_KERNEL_INITIALIZER, initialize, type InitializerSpec } from '../initializers.js';
import type { LayerConfig } from '../io/model-record.js';
import type { Random } from '../random.js';
import { checkKeys } from './option-rules.js';

export type { LayerConfig };

/**
 * What lowering (lower.ts) takes from a layer that adds a stage: the stage after a given width,
 * the width it requires (with the word for it in messages) and the parameters it holds.
 */
export interface LayerStage {
  stage: Stage;
  takes?: { width: number; what: string };
  parameters: number;
}

/**
 * Common base of all layers. Each layer lowers itself (stage) and draws its own initial
 * parameters, so a page ships the code of the layer classes it uses and no others.
 */
export abstract class Layer {
  abstract readonly className: string;
  /** The layer as `{ className, config }`, enough to rebuild it (layer-config.ts). */
  abstract toConfig(): LayerConfig;

  /** The layer in messages, e.g. "Dense 64→32". Reads only. */
  label(): string {
    return this.className;
  }

  /**
   * @internal The stage this layer adds after `width` values per row (lower.ts chains and checks
   * them); null for a layer that adds none. A class wasmlp does not know cannot be lowered:
   * ConfigError naming layer `index`.
   */
  stage(_width: number, index: number): LayerStage | null {
    throw new ConfigError(`layers[${index}] is ${describe(this)}, not a wasmlp layer`);
  }

  /** @internal This layer's initial parameters in Keras order (none by default); advances `random`. */
  initialParameters(_random: Random): Float64Array[] {
    return [];
  }
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

/** Returns `v` when it is a positive safe integer; throws ValueError naming `what` otherwise. */
export function checkSize(v: unknown, what: string): number {
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
    checkKeys(options, ['init', 'biasInit', 'useBias'], 'Dense');
    if (options.useBias !== undefined && typeof options.useBias !== 'boolean')
      throw new ConfigError(`Dense useBias must be a boolean, got ${describe(options.useBias)}`);
    this.useBias = options.useBias ?? true;
    this.init = options.init;
    this.biasInit = options.biasInit;
  }

  label(): string {
    return `Dense ${this.inputs}→${this.units}`;
  }

  stage(): LayerStage {
    const { inputs, units, useBias } = this;
    return {
      stage: { kind: 'dense', inSize: inputs, outSize: units, useBias, activation: 'identity', alpha: 0 },
      takes: { width: inputs, what: 'inputs' },
      parameters: inputs * units + (useBias ? units : 0),
    };
  }

  /** W from its initialiser, then b (when it has one). */
  initialParameters(random: Random): Float64Array[] {
    const w = initialize(this.init ?? DEFAULT_KERNEL_INITIALIZER, [this.inputs, this.units], random);
    return this.useBias ? [w, initialize(this.biasInit ?? DEFAULT_BIAS_INITIALIZER, [this.units], random)] : [w];
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

  label(): string {
    return this.activation;
  }

  /** An activation stage of its own (lower.ts fuses it into the Dense or BatchNorm before it instead, when it can). */
  stage(width: number): LayerStage {
    return { stage: { kind: 'activation', size: width, activation: this.activation, alpha: this.alpha }, parameters: 0 };
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
  /** A reshape of the input: no stage (lower.ts allows it only before the first Dense). */
  stage(): null {
    return null;
  }
  toConfig(): LayerConfig {
    return { className: 'Flatten', config: {} };
  }
}

/** Makes an activation layer from its name (as mlp() and the CLI accept them). */
export function activationLayer(name: ActivationName, alpha?: number): Activation {
  if (!(ACTIVATIONS as readonly string[]).includes(name)) {
    throw new ConfigError(`unknown activation ${describe(name)} (valid: ${ACTIVATIONS.join(', ')})`);
  }
  return new Activation(name as ActivationName, name === 'leaky_relu' ? (alpha ?? 0.01) : 0);
}
