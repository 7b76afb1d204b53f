/**
 * The BatchNorm layer, in a module of its own (as Dropout) so that a page whose models have none
 * does not ship it: nothing the moons page loads refers to the class (lowering and initial
 * weights ask the layer itself: Layer.stage, Layer.initialParameters).
 */
import { ConfigError, ValueError, describe } from '../errors.js';
import { Layer, checkSize, type LayerConfig, type LayerStage } from './layers.js';

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

  label(): string {
    return `BatchNorm ${this.features}`;
  }

  stage(width: number): LayerStage {
    return {
      stage: { kind: 'batchnorm', size: width, eps: this.eps, momentum: this.momentum, activation: 'identity', alpha: 0 },
      takes: { width: this.features, what: 'features' },
      parameters: 4 * this.features,
    };
  }

  /** gamma 1, beta 0, running mean 0, running variance 1 (drawing nothing). */
  initialParameters(): Float64Array[] {
    const f = this.features;
    return [new Float64Array(f).fill(1), new Float64Array(f), new Float64Array(f), new Float64Array(f).fill(1)];
  }

  toConfig(): LayerConfig {
    return { className: this.className, config: { features: this.features, momentum: this.momentum, eps: this.eps } };
  }
}
