/**
 * Learning-rate schedules with PyTorch 1.13 semantics (torch.optim.lr_scheduler), in closed
 * form: the lr of schedule step t is a function of t alone, so a saved step count resumes a
 * schedule exactly. fit steps a schedule after every epoch (`interval: 'epoch'`, as PyTorch's
 * usual `scheduler.step()` per epoch) or after every batch (`'batch'`; one-cycle's default),
 * and hands the engine the lr before each step. This module defines and checks the schedules
 * compile accepts; their learning rates are computed by schedule-lr.ts.
 */
import { ConfigError, ValueError, describe } from '../errors.js';
import { COUNT, NON_NEGATIVE, POSITIVE, WHOLE, checkKeys, readOptions, type OptionSpec, type Rule } from './option-rules.js';

/** When a schedule advances. */
export type ScheduleInterval = 'epoch' | 'batch';

interface Common {
  interval: ScheduleInterval;
  /** Linear warm-up over the first `warmup` schedule steps (0: none); the schedule proper starts after it. */
  warmup: number;
}
/** StepLR: lr0 · gamma^floor(t / stepSize). */
export interface StepSchedule extends Common {
  type: 'step';
  stepSize: number;
  gamma: number;
}
/** ExponentialLR: lr0 · gamma^t. */
export interface ExponentialSchedule extends Common {
  type: 'exponential';
  gamma: number;
}
/** CosineAnnealingLR: etaMin + (lr0 - etaMin)(1 + cos(pi t / tMax)) / 2. */
export interface CosineSchedule extends Common {
  type: 'cosine';
  tMax: number;
  etaMin: number;
}
/** LinearLR: lr0 · (startFactor + (endFactor - startFactor) · min(t, totalIters) / totalIters). */
export interface LinearSchedule extends Common {
  type: 'linear';
  startFactor: number;
  endFactor: number;
  totalIters: number;
}
/** OneCycleLR (cosine annealing, two phases); the optimiser's lr is not used. */
export interface OneCycleSchedule extends Common {
  type: 'onecycle';
  maxLr: number;
  totalSteps: number;
  pctStart: number;
  divFactor: number;
  finalDivFactor: number;
}
/** A validated schedule, as compile keeps it and the model document stores it. */
export type ScheduleConfig = StepSchedule | ExponentialSchedule | CosineSchedule | LinearSchedule | OneCycleSchedule;

/** A model's compiled schedule (null without one) and the steps it has taken (epochs or batches). */
export interface ModelSchedule {
  config: ScheduleConfig | null;
  step: number;
  /** The base lr a callback set (ReduceLROnPlateau): replaces the optimiser's lr as lr0 until compile. */
  baseLr?: number | null;
}

/** The learning-rate schedule types compile({ schedule }) accepts. */
export const SCHEDULES = ['step', 'exponential', 'cosine', 'linear', 'onecycle'] as const;

/** A number in (0, 1]. */
const FACTOR: Rule = [(v) => v > 0 && v <= 1, 'in (0, 1]'];

/** Each type's options in the order the config lists them: [default (undefined: required), rule]. */
const OPTIONS: {
  [T in ScheduleConfig['type']]: Record<Exclude<keyof Extract<ScheduleConfig, { type: T }>, keyof Common | 'type'>, OptionSpec>;
} = {
  step: { stepSize: [undefined, COUNT], gamma: [0.1, POSITIVE] },
  exponential: { gamma: [undefined, POSITIVE] },
  cosine: { tMax: [undefined, COUNT], etaMin: [0, NON_NEGATIVE] },
  linear: { startFactor: [1 / 3, FACTOR], endFactor: [1, FACTOR], totalIters: [5, COUNT] },
  onecycle: {
    maxLr: [undefined, POSITIVE],
    totalSteps: [undefined, COUNT],
    pctStart: [0.3, [(v) => v > 0 && v < 1, 'in (0, 1)']],
    divFactor: [25, POSITIVE],
    finalDivFactor: [1e4, POSITIVE],
  },
};

/**
 * Checks a schedule given to compile ({ type, ...options }) and returns it with its defaults
 * filled in. Throws ConfigError for an unknown type or option, ValueError for a bad value.
 */
export function resolveSchedule(spec: unknown): ScheduleConfig {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new ConfigError(`compile: schedule must be { type, ... } (types: ${SCHEDULES.join(', ')}), got ${describe(spec)}`);
  }
  const o = spec as Record<string, unknown>;
  const type = o.type as ScheduleConfig['type'];
  if (!(SCHEDULES as readonly unknown[]).includes(type))
    throw new ConfigError(`compile: unknown schedule type ${describe(o.type)} (valid: ${SCHEDULES.join(', ')})`);
  const who = `compile: schedule '${type}'`;
  const options: Record<string, OptionSpec> = OPTIONS[type];
  checkKeys(o, ['type', 'interval', 'warmup', ...Object.keys(options)], who);
  const interval = o.interval ?? (type === 'onecycle' ? 'batch' : 'epoch');
  if (interval !== 'epoch' && interval !== 'batch') throw new ConfigError(`compile: schedule interval must be 'epoch' or 'batch', got ${describe(interval)}`);
  const config = {
    type,
    interval,
    ...readOptions(o, { warmup: [0, WHOLE], ...options }, who),
  } as ScheduleConfig;
  if (type === 'onecycle' && config.warmup !== 0) throw new ConfigError(`compile: schedule 'onecycle' warms up by itself (pctStart); warmup must be 0`);
  // PyTorch needs two distinct phase ends: pctStart·totalSteps - 1 < totalSteps - 1, and the first > 0.
  if (config.type === 'onecycle' && !(config.pctStart * config.totalSteps - 1 > 0))
    throw new ValueError(`compile: schedule 'onecycle': pctStart · totalSteps must exceed 1, got ${config.pctStart} · ${config.totalSteps}`);
  return config;
}
