/**
 * The plan: what a compiled model lowers to, and the one contract both backends execute.
 *
 * A Sequential of layers becomes a list of stages. A Dense layer followed by one activation
 * layer becomes one `dense` stage with that activation fused into its epilogue; a Dense with no
 * activation after it gets `identity`. An activation that does not directly follow a Dense
 * (a second activation in a row, or one at the very start) becomes an `activation` stage.
 * A BatchNorm becomes a `batchnorm` stage, which fuses the activation right after it as a Dense
 * does; a Dropout becomes a `dropout` stage (never fused). Flatten is only a reshape of the
 * input and leaves no stage.
 */

/** Activation functions, by their canonical names (the fixtures' names). */
export const ACTIVATIONS = ['identity', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'step', 'softmax'] as const;
/** The activation functions the core and the reference implement. */
export type ActivationName = (typeof ACTIVATIONS)[number];

/**
 * Losses, by canonical name. See README "Numeric conventions" and ../shared/fixtures/README.md.
 * - sse: 0.5 * sum over batch and outputs of (y-t)^2; dL/dy = y-t.
 * - mse: mean over all B*K elements of (y-t)^2; dL/dy = 2(y-t)/(B*K).
 * - bce: binary cross-entropy on probabilities, mean over B*K, each log clamped at >= -100
 *   (as PyTorch's BCELoss); dL/dp = (p-t) / max(p(1-p), 1e-12) / (B*K).
 * - bce_logits: mean over B*K of max(z,0) - z*t + log(1+e^-|z|); dL/dz = (sigmoid(z)-t)/(B*K).
 * - softmax_ce: mean over the batch of -sum_k t_k log softmax(z)_k on logits; dL/dz = (softmax(z)*sum_k t_k - t)/B
 *   (the row sum is 1 for one-hot rows; soft or partial rows keep the true gradient of the loss).
 * - categorical_ce: mean over the batch of -sum_k t_k log(max(p_k, 1e-7)) on probabilities. When
 *   the last stage's activation is softmax the two are fused: dL/dz = (p*sum_k t_k - t)/B and the softmax
 *   Jacobian is skipped; otherwise dL/dp = -t/(max(p,1e-7) B).
 * - sigmoid_mse: mean over B*K of (sigmoid(z)-t)^2; dL/dz = 2(s-t)s(1-s)/(B*K).
 * - mae: mean over B*K of |y-t| (L1Loss); dL/dy = sign(y-t)/(B*K), 0 at y = t.
 * - huber: mean over B*K of 0.5 d^2 if |d| <= delta else delta(|d| - 0.5 delta), d = y-t
 *   (HuberLoss, delta = plan.huberDelta, default 1); dL/dy = clamp(d, -delta, delta)/(B*K).
 * The order is the core's loss codes (assembly/losses.ts): append, never reorder.
 */
export const LOSSES = ['sse', 'mse', 'bce', 'bce_logits', 'softmax_ce', 'categorical_ce', 'sigmoid_mse', 'mae', 'huber'] as const;
/** The loss names (aliases resolve to these). */
export type LossName = (typeof LOSSES)[number];

/** Other accepted spellings of the loss names. */
export const LOSS_ALIASES = {
  sum_squared_error: 'sse',
  mean_squared_error: 'mse',
  binary_crossentropy: 'bce',
  bce_with_logits: 'bce_logits',
  softmax_cross_entropy: 'softmax_ce',
  cross_entropy: 'categorical_ce',
  categorical_crossentropy: 'categorical_ce',
  l1: 'mae',
  mean_absolute_error: 'mae',
  huber_loss: 'huber',
  // Keras's name for class-index labels on a softmax output; wasmlp turns indices into one-hot rows.
  sparse_categorical_crossentropy: 'categorical_ce',
} as const satisfies Readonly<Record<string, LossName>>;

/** An accepted loss alias (see LOSS_ALIASES). */
export type LossAlias = keyof typeof LOSS_ALIASES;

/** Rows an engine's buffers hold at least when predicting (predict runs in chunks of this many). */
export const PREDICT_ROWS = 1024;
/** Rows an engine's batch buffers hold when it is created; the model's size limit counts them. */
export const INITIAL_ROWS = 64;

/** huber's delta when none is given (PyTorch HuberLoss, Keras Huber). */
export const DEFAULT_HUBER_DELTA = 1;

/** A Dense layer with its fused activation: y = act(x·W + b), W stored row-major [inSize, outSize]. */
export interface DenseStage {
  kind: 'dense';
  inSize: number;
  outSize: number;
  useBias: boolean;
  activation: ActivationName;
  /** Negative slope for leaky_relu (>= 0); 0 otherwise. */
  alpha: number;
}

/** A standalone activation over rows of `size` values. */
export interface ActivationStage {
  kind: 'activation';
  size: number;
  activation: ActivationName;
  alpha: number;
}

/**
 * Batch normalisation over `size` features (torch.nn.BatchNorm1d) with a fused activation:
 * y = act(gamma * (x - mean) / sqrt(var + eps) + beta). Training steps (and computeGradients)
 * normalise by the batch's mean and biased variance; an accepted training step then moves the
 * running estimates: running <- (1 - momentum) * running + momentum * batch, the variance taking
 * the unbiased batch variance (a one-row batch leaves them unchanged: it has none). predict
 * normalises by the running estimates.
 */
export interface BatchNormStage {
  kind: 'batchnorm';
  size: number;
  eps: number;
  momentum: number;
  activation: ActivationName;
  alpha: number;
}

/**
 * Inverted dropout over rows of `size` values: in a training step each value is kept with
 * probability 1 - rate and scaled by 1 / (1 - rate), or zeroed (mask from dropoutKeeps in
 * src/dropout-mask.ts); identity in predict and computeGradients. Never fuses an activation.
 */
export interface DropoutStage {
  kind: 'dropout';
  size: number;
  rate: number;
  activation: 'identity';
  alpha: 0;
}

/** One step of a plan: a Dense (with its fused activation), an activation, a BatchNorm or a Dropout. */
export type Stage = DenseStage | ActivationStage | BatchNormStage | DropoutStage;

/** SGD with PyTorch semantics: buf <- g on the first step, then buf <- m*buf + (1-dampening)*g. */
export interface SGDConfig {
  type: 'sgd';
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  /** When false, weight decay skips the biases. */
  decayBiases: boolean;
}

/** Adam (L2 weight decay added to the gradient) and AdamW (decoupled: p <- p*(1-lr*wd) first). */
export interface AdamConfig {
  type: 'adam' | 'adamw';
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  decayBiases: boolean;
  amsgrad: boolean;
}

/** RMSprop with PyTorch semantics (square_avg, optional centred average and momentum buffer). */
export interface RMSpropConfig {
  type: 'rmsprop';
  lr: number;
  alpha: number;
  eps: number;
  momentum: number;
  centered: boolean;
  weightDecay: number;
  decayBiases: boolean;
}

/** An optimiser's full settings as the engines receive them, one shape per optimiser type. */
export type OptimizerConfig = SGDConfig | AdamConfig | RMSpropConfig;

/** Everything a backend needs to allocate and run a model. Immutable once built. */
export interface Plan {
  inputSize: number;
  outputSize: number;
  stages: readonly Stage[];
  loss: LossName;
  optimizer: OptimizerConfig;
  /** huber's delta (> 0); absent means DEFAULT_HUBER_DELTA. */
  huberDelta?: number;
  /**
   * Gradient clipping of training steps, after backward and before weight decay and the
   * optimiser: clipValue clamps each gradient to [-v, v] (torch clip_grad_value_), then
   * clipGradNorm scales all of them by M/(norm + 1e-6) when that is below 1, norm being the
   * 2-norm of every W and b as one vector (clip_grad_norm_). Absent or 0: off.
   */
  clipGradNorm?: number;
  clipValue?: number;
}

/** One parameter tensor of a plan (see parameterLayout). */
export interface ParameterEntry {
  /** The fixtures' name: `W0`, `b0`, ... per Dense; `bn0_gamma`, `bn0_beta`, `bn0_running_mean`, `bn0_running_var` per BatchNorm. */
  name: string;
  length: number;
  /** True for tensors weight decay skips when decayBiases is false (b, gamma, beta). */
  isBias: boolean;
  /** False for BatchNorm's running estimates: the optimiser never touches them and their gradient is 0. */
  trainable: boolean;
  stage: number;
  shape: number[];
}

/**
 * The parameter tensors of a plan in Keras order, layer by layer: W, b (none for a Dense without
 * bias) per Dense; gamma, beta, running mean, running variance per BatchNorm (as Keras's
 * BatchNormalization weights); each with the stage it belongs to.
 */
export function parameterLayout(plan: Plan): ParameterEntry[] {
  const out: ParameterEntry[] = [];
  let dense = 0,
    bn = 0;
  plan.stages.forEach((s, i) => {
    if (s.kind === 'dense') {
      out.push({ name: `W${dense}`, length: s.inSize * s.outSize, isBias: false, trainable: true, stage: i, shape: [s.inSize, s.outSize] });
      if (s.useBias) out.push({ name: `b${dense}`, length: s.outSize, isBias: true, trainable: true, stage: i, shape: [s.outSize] });
      dense++;
    } else if (s.kind === 'batchnorm') {
      for (const [part, trainable] of BATCHNORM_TENSORS) {
        out.push({ name: `bn${bn}_${part}`, length: s.size, isBias: true, trainable, stage: i, shape: [s.size] });
      }
      bn++;
    }
  });
  return out;
}

/** A BatchNorm stage's tensors in their order, and whether each is trained. */
export const BATCHNORM_TENSORS: readonly (readonly [string, boolean])[] = [
  ['gamma', true],
  ['beta', true],
  ['running_mean', false],
  ['running_var', false],
];

/** True when the plan has a Dropout stage (a training step then needs a noise seed). */
export function hasDropout(plan: Plan): boolean {
  return plan.stages.some((s) => s.kind === 'dropout');
}

/** Width of the input of a stage. */
export function stageInputWidth(s: Stage): number {
  return s.kind === 'dense' ? s.inSize : s.size;
}

/**
 * True for the stages with a value before their fused activation (Engine.forwardStages keeps it
 * as StageOutputs.linear): a Dense's x·W + b, a BatchNorm's gamma · x̂ + beta.
 */
export function keepsLinear(s: Stage): boolean {
  return s.kind === 'dense' || s.kind === 'batchnorm';
}

/** Width of the output of stage i. */
export function stageWidth(s: Stage): number {
  return s.kind === 'dense' ? s.outSize : s.size;
}

/** True when the loss is categorical_ce and the last stage ends in softmax: the fused gradient (p·Σt - t)/B applies. */
export function fusesSoftmaxCrossEntropy(plan: Plan): boolean {
  const last = plan.stages[plan.stages.length - 1];
  return plan.loss === 'categorical_ce' && last !== undefined && last.activation === 'softmax';
}
