/**
 * How the optimisers and the learning-rate schedules read their options: each option has a rule
 * (a test and its wording) and a default, or none when it is required; numbers must also lie in
 * float32's range (hyper-range.ts). One reader, so every such message reads the same:
 * "<who>: <key> must be <rule>, got <value>".
 */
import { ConfigError, ValueError, describe } from '../errors.js';
import { checkFloat32Range } from './hyper-range.js';

/** What an option's value must be: a number passing the test (worded by the text), or 'boolean'. */
export type Rule = readonly [ok: (v: number) => boolean, text: string] | 'boolean';
/** An option's default (undefined: the option must be given; null: it may be left out) and its rule. */
export type OptionSpec = readonly [fallback: number | boolean | undefined | null, rule: Rule];

/** A finite number > 0. */
export const POSITIVE: Rule = [(v) => v > 0, 'a finite number > 0'];
/** A finite number >= 0. */
export const NON_NEGATIVE: Rule = [(v) => v >= 0, 'a finite number >= 0'];
/** A number in [0, 1). */
export const UNIT: Rule = [(v) => v >= 0 && v < 1, 'in [0, 1)'];
/** A whole number >= 0. */
export const WHOLE: Rule = [(v) => Number.isSafeInteger(v) && v >= 0, 'an integer >= 0'];
/** A whole number >= 1. */
export const COUNT: Rule = [(v) => Number.isSafeInteger(v) && v >= 1, 'an integer >= 1'];

/** Throws ConfigError naming `who` for the first key of `o` not in `valid`. Reads only. */
export function checkKeys(o: object, valid: readonly string[], who: string): void {
  for (const k of Object.keys(o)) {
    if (!valid.includes(k)) throw new ConfigError(`${who}: unknown option '${k}' (valid: ${valid.join(', ')})`);
  }
}

/**
 * The options of `specs` read from `o` (own properties only; a missing or null one takes its
 * default, and one whose default is null is then left out), in the order of `specs`. Throws ConfigError for a missing required option or a switch that is
 * not a boolean, ValueError for a number that breaks its rule or float32's range. Creates only.
 */
export function readOptions(o: Record<string, unknown>, specs: Record<string, OptionSpec>, who: string): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const [key, [fallback, rule]] of Object.entries(specs)) {
    const v = (Object.hasOwn(o, key) ? o[key] : undefined) ?? fallback;
    if (v === null) continue;
    if (v === undefined) throw new ConfigError(`${who} needs ${key}`);
    if (rule === 'boolean') {
      if (typeof v !== 'boolean') throw new ConfigError(`${who}: ${key} must be a boolean, got ${describe(v)}`);
      out[key] = v;
    } else {
      if (typeof v !== 'number' || !Number.isFinite(v) || !rule[0](v)) throw new ValueError(`${who}: ${key} must be ${rule[1]}, got ${describe(v)}`);
      out[key] = checkFloat32Range(v, `${who}: ${key}`);
    }
  }
  return out;
}
