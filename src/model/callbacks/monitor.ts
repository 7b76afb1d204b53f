/**
 * The monitored quantity of EarlyStopping, ReduceLROnPlateau and ModelCheckpoint: which log key,
 * whether lower or higher is better ('auto' as Keras: higher for accuracy-like names, else
 * lower), and the check at train begin that the key will be in every epoch's logs.
 */
import { ConfigError, ValueError, describe } from '../../errors.js';
import type { EpochLogs } from '../logs.js';
import type { TrainingContext } from './callback.js';

/** How a monitored value improves. */
export type MonitorMode = 'min' | 'max' | 'auto';

/** Names whose value is better when higher (mode 'auto'). */
const HIGHER_IS_BETTER = /acc|precision|recall|f1|r2|auc/;

/** A checked monitor: its key and direction (+1: higher is better, -1: lower). */
export interface Monitor {
  key: string;
  sign: 1 | -1;
}

/** Checks monitor and mode options (`who` names the callback in errors). Throws ConfigError. */
export function resolveMonitor(who: string, monitor: unknown, mode: unknown): Monitor {
  const key = monitor ?? 'val_loss';
  if (typeof key !== 'string' || key === '') throw new ConfigError(`${who}: monitor must be a log key such as 'val_loss', got ${describe(monitor)}`);
  const m = mode ?? 'auto';
  if (m !== 'min' && m !== 'max' && m !== 'auto') throw new ConfigError(`${who}: mode must be 'min', 'max' or 'auto', got ${describe(mode)}`);
  const higher = m === 'max' || (m === 'auto' && HIGHER_IS_BETTER.test(key));
  return { key, sign: higher ? 1 : -1 };
}

/** Throws ConfigError before training starts when the fit's logs will not hold the monitored key. */
export function checkMonitored(who: string, m: Monitor, ctx: TrainingContext): void {
  if (!ctx.logKeys.includes(m.key)) {
    throw new ConfigError(`${who}: monitor '${m.key}' is not in this fit's logs (${ctx.logKeys.join(', ')}); pass validation data or compile the metric`);
  }
}

/** The monitored value of an epoch's logs. */
export function monitoredValue(m: Monitor, logs: EpochLogs): number {
  return logs[m.key] as number;
}

/** True when `current` beats `best` by more than `minDelta` in the monitor's direction. */
export function improves(m: Monitor, current: number, best: number, minDelta: number): boolean {
  return m.sign > 0 ? current - minDelta > best : current + minDelta < best;
}

/** The worst possible value in the monitor's direction (the starting 'best'). */
export function worst(m: Monitor): number {
  return m.sign > 0 ? -Infinity : Infinity;
}

/** Checks an option that must be a finite number satisfying `ok`; returns it or the default. */
export function numberOption(who: string, name: string, v: unknown, fallback: number, ok: (x: number) => boolean, rule: string): number {
  const x = v ?? fallback;
  if (typeof x !== 'number' || !Number.isFinite(x) || !ok(x)) throw new ValueError(`${who}: ${name} must be ${rule}, got ${describe(v)}`);
  return x;
}

/** Throws ConfigError unless `v` is undefined or a boolean; returns it or the default. */
export function booleanOption(who: string, name: string, v: unknown, fallback: boolean): boolean {
  if (v !== undefined && typeof v !== 'boolean') throw new ConfigError(`${who}: ${name} must be a boolean, got ${describe(v)}`);
  return (v as boolean | undefined) ?? fallback;
}

/** Throws ConfigError for an option key not in `valid`. */
export function checkKeys(who: string, options: object, valid: readonly string[]): void {
  if (typeof options !== 'object' || options === null) throw new ConfigError(`${who}: options must be an object, got ${describe(options)}`);
  for (const k of Object.keys(options)) if (!valid.includes(k)) throw new ConfigError(`${who}: unknown option '${k}' (valid: ${valid.join(', ')})`);
}
