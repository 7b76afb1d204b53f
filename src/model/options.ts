/**
 * The checks on a Sequential's construction options and on compile's settings, shared by the
 * constructor and compile and by loading (src/model/persist.ts), so a loaded file is held to the
 * same rules, with the same messages, as code building the model by hand.
 */
import { BACKEND_NAMES, DEFAULT_BACKEND, checkThreads, isBackendName, type BackendName, type ThreadsOption } from '../engine-options.js';
import { checkMetric } from './metrics/epoch.js';
import { ConfigError, describe } from '../errors.js';
import type { LossName, OptimizerConfig, Plan } from '../plan.js';
import { resolveTrainingSettings, type LossSpec, type TrainingSettings } from './compile-options.js';
import type { ScheduleConfig } from './schedule.js';
import { resolveOptimizer, SGD, type Optimizer, type OptimizerName, type OptimizerSpec } from './optimizers.js';

/** Options of a Sequential. */
export interface SequentialOptions {
  /** Seed of initial weights and shuffling: an integer in [0, 2^32). Default: a random one (see `model.seed`). */
  seed?: number;
  /** 'wasm' (default: the f32 WebAssembly core) or 'reference' (float64, plain TypeScript). */
  backend?: BackendName;
  /**
   * Threads for fit on the wasm backend: 1 (default), a count, or 'auto' (up to 4 when a step
   * has at least 2 MFLOP of work). Results are bit-identical whatever the count; see README.
   */
  threads?: ThreadsOption;
}

/** What compile() takes. */
export interface CompileOptions {
  /** A loss name: sse, mse, bce, bce_logits, softmax_ce, categorical_ce, sigmoid_mse, mae, huber (or an alias), or `{ name: 'huber', delta }`. */
  loss: LossSpec;
  /** An Optimizer, a name ('sgd', 'adam', 'adamw', 'rmsprop') or `{ type, ...options }`. Default SGD lr 0.01. */
  optimizer?: Optimizer | OptimizerName | OptimizerConfig | OptimizerSpec;
  /** Metrics reported by fit each epoch (names in METRICS; 'acc' is 'accuracy'). */
  metrics?: MetricName[];
  /** A learning-rate schedule `{ type: 'step' | 'exponential' | 'cosine' | 'linear' | 'onecycle', ... }` (see README). */
  schedule?: Record<string, unknown> | ScheduleConfig | null;
  /** Clip the global 2-norm of all gradients to this (torch clip_grad_norm_), and/or each value to ±clipValue. */
  clipGradNorm?: number;
  clipValue?: number;
}

export { METRICS } from './metrics/epoch.js';
import type { METRICS as METRIC_LIST } from './metrics/epoch.js';
import { checkKeys, readOptions, type Rule } from './option-rules.js';

/** A model's seed: the 32-bit integers (its streams are seeded from it). */
const SEED: Rule = [(v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32, 'an integer in [0, 2^32)'];

/** A metric name (a typo is a compile error): the listed metrics, top<k>_accuracy, or 'acc' for accuracy. */
export type MetricName = (typeof METRIC_LIST)[number] | `top${number}_accuracy` | 'acc';

/** Other spellings of metric names, resolved at compile (fit and saved files see the canonical name). */
const METRIC_ALIASES: Readonly<Record<string, string>> = { acc: 'accuracy' };

/** Checks Sequential options and fills in the defaults (a random seed, 'wasm', 1 thread). Throws ConfigError / ValueError. */
export function resolveSequentialOptions(options: SequentialOptions): Required<SequentialOptions> {
  if (typeof options !== 'object' || options === null) throw new ConfigError(`Sequential options must be an object, got ${describe(options)}`);
  checkKeys(options, ['seed', 'backend', 'threads'], 'Sequential');
  const { seed } = readOptions(options as Record<string, unknown>, { seed: [Math.floor(Math.random() * 2 ** 32), SEED] }, 'Sequential') as { seed: number };
  const backend = options.backend ?? DEFAULT_BACKEND;
  if (!isBackendName(backend)) throw new ConfigError(`Sequential: unknown backend ${describe(backend)} (valid: ${BACKEND_NAMES.join(', ')})`);
  const threads = checkThreads(options.threads ?? 1, 'Sequential');
  return { seed, backend, threads };
}

/** The loss and optimiser of a model's plan before compile (a plan needs some; compile replaces them). */
export function uncompiledTraining(): { loss: LossName; optimizer: OptimizerConfig } {
  return { loss: 'mse', optimizer: new SGD().config };
}

/** Compile settings checked and resolved to canonical names. */
export interface CompileSettings {
  loss: LossName;
  optimizer: OptimizerConfig;
  metrics: string[];
  /** The plan's extra fields (huber delta, clipping), to spread over the lowered plan. */
  plan: TrainingSettings['plan'];
  /** The learning-rate schedule, or null. */
  schedule: ScheduleConfig | null;
}

/** Checks compile()'s options and resolves loss and optimiser; throws ConfigError for unknown names. Changes nothing. */
export function resolveCompileOptions(options: CompileOptions): CompileSettings {
  if (typeof options !== 'object' || options === null) throw new ConfigError(`compile needs { loss, optimizer }, got ${describe(options)}`);
  const { loss, plan, schedule } = resolveTrainingSettings(options as unknown as Record<string, unknown>);
  const optimizer: OptimizerConfig = options.optimizer === undefined ? new SGD().config : resolveOptimizer(options.optimizer);
  const metrics = options.metrics ?? [];
  if (!Array.isArray(metrics)) throw new ConfigError(`compile: metrics must be an array, got ${describe(metrics)}`);
  const canonical: string[] = [];
  for (const m of metrics) {
    const name = typeof m === 'string' && Object.hasOwn(METRIC_ALIASES, m) ? METRIC_ALIASES[m] : m;
    checkMetric(name);
    if (!canonical.includes(name)) canonical.push(name);
  }
  return { loss, optimizer, metrics: canonical, plan, schedule };
}

/** Throws ConfigError when the plan's loss cannot work on its output (softmax losses need 2 or more outputs). */
/** The lowered plan with compile's extra settings (huber delta, clipping) on it. */
export function planOf(lowered: Plan, settings: CompileSettings): Plan {
  return { ...lowered, ...settings.plan };
}

/** Refuses a loss the output cannot carry (softmax losses on one output). Throws ConfigError. */
export function checkLossFitsOutput(plan: Plan): void {
  if ((plan.loss === 'softmax_ce' || plan.loss === 'categorical_ce') && plan.outputSize < 2) {
    throw new ConfigError(`compile: loss '${plan.loss}' needs at least 2 outputs, the model has ${plan.outputSize}`);
  }
}
