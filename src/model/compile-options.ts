/**
 * The training settings of compile() beyond loss, optimiser and metrics: huber's delta (given
 * as `loss: { name: 'huber', delta }`), gradient clipping (`clipGradNorm`, `clipValue`) and a
 * learning-rate schedule (`schedule`, see schedule.ts). Checked here before compile changes
 * anything; the plan carries delta and clipping to the engines, the model keeps the schedule.
 */
import { ConfigError } from '../errors.js';
import { DEFAULT_HUBER_DELTA, type LossAlias, type LossName, type Plan } from '../plan.js';
import { resolveLoss } from './lower.js';
import { resolveSchedule, type ScheduleConfig } from './schedule.js';
import { POSITIVE, checkKeys, readOptions } from './option-rules.js';

/** The options compile() accepts. */
export const COMPILE_KEYS = ['loss', 'optimizer', 'metrics', 'schedule', 'clipGradNorm', 'clipValue'];

/** A loss as compile takes it: a name or alias, or `{ name, delta? }` (delta only for huber). A typo is a compile error. */
export type LossSpec = LossName | LossAlias | { name: LossName | LossAlias; delta?: number };

/** What the extra settings resolve to: the plan's fields and the model's schedule. */
export interface TrainingSettings {
  loss: LossName;
  plan: Pick<Plan, 'huberDelta' | 'clipGradNorm' | 'clipValue'>;
  schedule: ScheduleConfig | null;
}

/**
 * Resolves compile's loss spec and its clip and schedule options. Throws ConfigError for an
 * unknown option or loss, ValueError for a bad number; mutates nothing.
 */
export function resolveTrainingSettings(options: Record<string, unknown>): TrainingSettings {
  checkKeys(options, COMPILE_KEYS, 'compile');
  const spec = options.loss;
  const plan: TrainingSettings['plan'] = {};
  let loss: LossName;
  if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) {
    checkKeys(spec, ['name', 'delta'], 'compile: loss');
    const o = spec as Record<string, unknown>;
    loss = resolveLoss(o.name);
    if (o.delta !== undefined && loss !== 'huber') throw new ConfigError(`compile: loss '${loss}' takes no delta (only huber does)`);
    const { delta } = readOptions(o, { delta: [null, POSITIVE] }, `compile: loss '${loss}'`);
    if (delta !== undefined && delta !== DEFAULT_HUBER_DELTA) plan.huberDelta = delta as number;
  } else {
    loss = resolveLoss(spec);
  }
  Object.assign(plan, readOptions(options, { clipGradNorm: [null, POSITIVE], clipValue: [null, POSITIVE] }, 'compile'));
  const schedule = options.schedule === undefined || options.schedule === null ? null : resolveSchedule(options.schedule);
  return { loss, plan, schedule };
}

/** The loss of a plan as compile takes it back (a name, or `{ name: 'huber', delta }` for another delta). */
export function lossSpecOf(plan: Plan): LossSpec {
  return plan.huberDelta !== undefined && plan.huberDelta !== DEFAULT_HUBER_DELTA ? { name: plan.loss, delta: plan.huberDelta } : plan.loss;
}
