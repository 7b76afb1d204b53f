/**
 * The checks of fit's options made before training on a data source starts. fit imports this
 * file only when it is given a source (a dynamic import), so a page that never streams does
 * not load it.
 */
import { ConfigError, describe } from '../errors.js';
import type { DataSource } from './data-source.js';

/** The fit options a data source changes, as checkSourceOptions reads them. */
export interface SourceOptions {
  batchSize?: number;
  stepsPerEpoch?: number;
  validationSplit?: number;
  sampleWeight?: unknown;
  stream?: boolean;
}

/**
 * Throws ConfigError / ValueError, before any work, for options that do not go with the data
 * source `x` (`iterable`: an iterable of batches, else a row source; fit knows which; null: in-memory
 * data, which takes a boolean `stream` but no `stepsPerEpoch`), or given targets (`targetsGiven`): `stepsPerEpoch` needs an iterable (it is where the iterator's epoch ends); an iterable sets its own batch sizes, so no `batchSize`; a source
 * has no rows to split or weigh by index (`validationSplit`, `sampleWeight`: give batches a
 * `sampleWeight` instead) and is always streamed (`stream`). Returns stepsPerEpoch or null.
 */
export function checkSourceOptions(x: DataSource | null, iterable: boolean, o: SourceOptions, targetsGiven: boolean): number | null {
  if (targetsGiven)
    throw new ConfigError('fit: x is a data source (a row source or an iterable of batches), which carries its own targets: call fit(source, options)');
  if (o.stream !== undefined && typeof o.stream !== 'boolean') throw new ConfigError(`fit: stream must be a boolean, got ${describe(o.stream)}`);
  if (x === null && o.stepsPerEpoch !== undefined) throw new ConfigError('fit: stepsPerEpoch goes with an iterable data source, not in-memory data');
  if (x === null) return null;
  const steps = o.stepsPerEpoch;
  if (steps !== undefined && (typeof steps !== 'number' || !Number.isSafeInteger(steps) || steps < 1)) {
    throw new ConfigError(`fit: stepsPerEpoch must be an integer >= 1, got ${describe(steps)}`);
  }
  if (steps !== undefined && !iterable)
    throw new ConfigError('fit: stepsPerEpoch goes with an iterable data source (an epoch of a row source is one pass over its rows)');
  if (iterable && o.batchSize !== undefined) throw new ConfigError('fit: an iterable data source sets its own batch sizes, so batchSize is not taken');
  for (const k of ['validationSplit', 'sampleWeight', 'stream'] as const) {
    if (o[k] !== undefined)
      throw new ConfigError(
        `fit: ${k} does not go with a data source (${k === 'sampleWeight' ? 'give each batch its sampleWeight' : k === 'stream' ? 'a source is always streamed' : 'give validationData'})`,
      );
  }
  const rows = iterable ? 1 : (x as { rows: unknown }).rows;
  if (!(Number.isSafeInteger(rows) && (rows as number) >= 1)) throw new ConfigError(`fit: a row source's rows must be an integer >= 1, got ${describe(rows)}`);
  return steps ?? null;
}
