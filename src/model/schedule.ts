/**
 * Learning-rate schedules with PyTorch 1.13 semantics (torch.optim.lr_scheduler), in closed
 * form: the lr of schedule step t is a function of t alone, so a saved step count resumes a
 * schedule exactly. fit steps a schedule after every epoch (`interval: 'epoch'`, as PyTorch's
 * usual `scheduler.step()` per epoch) or after every batch (`'batch'`; one-cycle's default),
 * and hands the engine the lr before each step.
 */
import { ConfigError, ValueError, describe } from '../errors.js';
import { checkFloat32Range } from './hyper-range.js';

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

/** The schedule types compile accepts. */
/** A model's compiled schedule (null without one) and the steps it has taken (epochs or batches). */
export interface ModelSchedule {
  config: ScheduleConfig | null;
  step: number;
  /** The base lr a callback set (ReduceLROnPlateau): replaces the optimiser's lr as lr0 until compile. */
  baseLr?: number | null;
}

/** The learning-rate schedule types compile({ schedule }) accepts. */
export const SCHEDULES = ['step', 'exponential', 'cosine', 'linear', 'onecycle'] as const;

const KEYS: Record<ScheduleConfig['type'], string[]> = {
  step: ['stepSize', 'gamma'],
  exponential: ['gamma'],
  cosine: ['tMax', 'etaMin'],
  linear: ['startFactor', 'endFactor', 'totalIters'],
  onecycle: ['maxLr', 'totalSteps', 'pctStart', 'divFactor', 'finalDivFactor'],
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
  const valid = ['type', 'interval', 'warmup', ...KEYS[type]];
  for (const k of Object.keys(o)) {
    if (!valid.includes(k)) throw new ConfigError(`compile: schedule '${type}': unknown option '${k}' (valid: ${valid.join(', ')})`);
  }
  const num = (key: string, fallback: number | undefined, ok: (v: number) => boolean, rule: string): number => {
    const v = (Object.hasOwn(o, key) ? o[key] : undefined) ?? fallback;
    if (v === undefined) throw new ConfigError(`compile: schedule '${type}' needs ${key}`);
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new ValueError(`compile: schedule '${type}': ${key} must be ${rule}, got ${describe(v)}`);
    return checkFloat32Range(v, `compile: schedule '${type}': ${key}`);
  };
  const positive = (v: number) => v > 0;
  const count = (v: number) => Number.isSafeInteger(v) && v >= 1;
  const interval = o.interval ?? (type === 'onecycle' ? 'batch' : 'epoch');
  if (interval !== 'epoch' && interval !== 'batch') throw new ConfigError(`compile: schedule interval must be 'epoch' or 'batch', got ${describe(interval)}`);
  const warmup = num('warmup', 0, (v) => Number.isSafeInteger(v) && v >= 0, 'an integer >= 0');
  if (type === 'onecycle' && warmup !== 0) throw new ConfigError(`compile: schedule 'onecycle' warms up by itself (pctStart); warmup must be 0`);
  const common = { interval: interval as ScheduleInterval, warmup };
  switch (type) {
    case 'step':
      return { type, ...common, stepSize: num('stepSize', undefined, count, 'an integer >= 1'), gamma: num('gamma', 0.1, positive, 'a number > 0') };
    case 'exponential':
      return { type, ...common, gamma: num('gamma', undefined, positive, 'a number > 0') };
    case 'cosine':
      return { type, ...common, tMax: num('tMax', undefined, count, 'an integer >= 1'), etaMin: num('etaMin', 0, (v) => v >= 0, 'a number >= 0') };
    case 'linear': {
      const factor = (v: number) => v > 0 && v <= 1;
      return {
        type,
        ...common,
        startFactor: num('startFactor', 1 / 3, factor, 'in (0, 1]'),
        endFactor: num('endFactor', 1, factor, 'in (0, 1]'),
        totalIters: num('totalIters', 5, count, 'an integer >= 1'),
      };
    }
    case 'onecycle': {
      const s: OneCycleSchedule = {
        type,
        ...common,
        maxLr: num('maxLr', undefined, positive, 'a number > 0'),
        totalSteps: num('totalSteps', undefined, count, 'an integer >= 1'),
        pctStart: num('pctStart', 0.3, (v) => v > 0 && v < 1, 'in (0, 1)'),
        divFactor: num('divFactor', 25, positive, 'a number > 0'),
        finalDivFactor: num('finalDivFactor', 1e4, positive, 'a number > 0'),
      };
      // PyTorch needs two distinct phase ends: pctStart·totalSteps - 1 < totalSteps - 1, and the first > 0.
      if (!(s.pctStart * s.totalSteps - 1 > 0))
        throw new ValueError(`compile: schedule 'onecycle': pctStart · totalSteps must exceed 1, got ${s.pctStart} · ${s.totalSteps}`);
      return s;
    }
  }
}

/** Cosine interpolation from `start` (pct 0) to `end` (pct 1), as OneCycleLR's anneal_strategy 'cos'. */
function cosAnneal(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
}

/** The schedule proper (no warm-up) at step t from base lr lr0. */
function mainLr(s: ScheduleConfig, lr0: number, t: number): number {
  switch (s.type) {
    case 'step':
      return lr0 * s.gamma ** Math.floor(t / s.stepSize);
    case 'exponential':
      return lr0 * s.gamma ** t;
    case 'cosine':
      return s.etaMin + ((lr0 - s.etaMin) * (1 + Math.cos((Math.PI * t) / s.tMax))) / 2;
    case 'linear':
      return lr0 * (s.startFactor + ((s.endFactor - s.startFactor) * Math.min(t, s.totalIters)) / s.totalIters);
    case 'onecycle': {
      const initial = s.maxLr / s.divFactor,
        min = initial / s.finalDivFactor;
      const end1 = s.pctStart * s.totalSteps - 1,
        end2 = s.totalSteps - 1;
      // Past totalSteps (where PyTorch raises) the final lr is kept.
      const step = Math.min(t, end2);
      return step <= end1 ? cosAnneal(initial, s.maxLr, step / end1) : cosAnneal(s.maxLr, min, (step - end1) / (end2 - end1));
    }
  }
}

/**
 * The learning rate of schedule step t (epochs or batches completed, per `interval`) for an
 * optimiser whose lr is lr0. With `warmup` W the first W steps ramp linearly up to the
 * schedule's first lr, lr(t) = lr(0)·(t + 1)/(W + 1), and the schedule proper runs from t = W.
 * Pure.
 */
export function scheduleLr(s: ScheduleConfig, lr0: number, t: number): number {
  if (t < s.warmup) return (mainLr(s, lr0, 0) * (t + 1)) / (s.warmup + 1);
  return mainLr(s, lr0, t - s.warmup);
}
