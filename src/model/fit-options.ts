/**
 * fit's options: what each means (FitOptions) and the checks run on them before any work
 * starts (checkOptions), kept apart from the training loop that reads them (fit.ts).
 */
import { ConfigError, describe } from '../errors.js';
import type { ThreadsOption } from '../engine-options.js';
import type { PendingEpochRecord } from '../io/model-record.js';
import type { Callback } from './callbacks/callback.js';
import { isDataSource, type DataSource } from './data-source.js';
import type { Input } from './input.js';
import type { Labels } from './labels.js';
import type { BatchLogs, EpochLogs } from './logs.js';
import type { ClassWeight } from './sample-weights.js';
import { COUNT, UNIT, WHOLE, checkKeys, readOptions } from './option-rules.js';

/** Options of fit. */
export interface FitOptions {
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Rows per step (default 32; larger than the data means full batch). */
  batchSize?: number;
  /** Reshuffle the rows every epoch with the model's seeded RNG (default true). */
  shuffle?: boolean;
  /** Held-out data evaluated after each epoch: [x, y], or a data source (read whole after each epoch). */
  validationData?: [Input, Labels] | DataSource;
  /** Fraction in [0, 1) of the rows, taken from the end before shuffling, used as validation data. */
  validationSplit?: number;
  /** Called after each epoch; may be async (a returned promise is awaited; any other return value is ignored). */
  onEpochEnd?: (epoch: number, logs: EpochLogs) => unknown;
  /** Called after each batch, with the loss before that batch's update; a returned promise is awaited (a rejection rejects fit), any other value ignored. */
  onBatchEnd?: (batch: number, logs: BatchLogs) => unknown;
  /** Aborting stops training after the current batch; fit resolves with the history so far. */
  signal?: AbortSignal;
  /** Threads for this fit (wasm backend): 1, a count or 'auto'; default the model's `threads`. Results do not depend on it. */
  threads?: ThreadsOption;
  /** Callbacks (EarlyStopping, ReduceLROnPlateau, ModelCheckpoint, CSVLogger, ... or your own), run in order. */
  callbacks?: Callback[];
  /** One loss weight (finite, >= 0) per row of x: the batch loss is (1/B) Σ w_i l_i, as Keras. */
  sampleWeight?: ArrayLike<number>;
  /** A loss weight per class index (multiplied with sampleWeight when both are given). */
  classWeight?: ClassWeight;
  /** Batches per epoch of an iterable data source: one iterator then runs through the whole fit (an unbounded generator needs it). */
  stepsPerEpoch?: number;
  /**
   * In-memory data: true copies each batch into the engine as it is used, false copies all rows
   * once; default by size (streamed past STREAM_MIN_BYTES). Results are the same bit for bit.
   */
  stream?: boolean;
}

/** An epoch that fit left unfinished; the model keeps it and saves it with the training state. */
export type PendingEpoch = PendingEpochRecord;

/** Every option fit knows; any other key is refused. */
const FIT_KEYS = [
  'epochs',
  'batchSize',
  'shuffle',
  'validationData',
  'validationSplit',
  'onEpochEnd',
  'onBatchEnd',
  'signal',
  'threads',
  'callbacks',
  'sampleWeight',
  'classWeight',
  'stepsPerEpoch',
  'stream',
];

/** Checks fit's options (unknown keys, types, ranges); returns the three every fit reads. Mutates nothing. */
export function checkOptions(o: FitOptions): Required<Pick<FitOptions, 'epochs' | 'batchSize' | 'shuffle'>> {
  if (typeof o !== 'object' || o === null) throw new ConfigError(`fit options must be an object, got ${describe(o)}`);
  checkKeys(o, FIT_KEYS, 'fit');
  const { epochs, batchSize, shuffle } = readOptions(
    o as Record<string, unknown>,
    { epochs: [1, WHOLE], batchSize: [32, COUNT], shuffle: [true, 'boolean'] },
    'fit',
  ) as {
    epochs: number;
    batchSize: number;
    shuffle: boolean;
  };
  for (const k of ['onEpochEnd', 'onBatchEnd'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'function') throw new ConfigError(`fit: ${k} must be a function, got ${describe(o[k])}`);
  }
  if (o.signal !== undefined && (typeof o.signal !== 'object' || o.signal === null || typeof o.signal.aborted !== 'boolean')) {
    throw new ConfigError(`fit: signal must be an AbortSignal, got ${describe(o.signal)}`);
  }
  readOptions(o as Record<string, unknown>, { validationSplit: [null, UNIT] }, 'fit');
  if (o.validationSplit !== undefined && o.validationData !== undefined) throw new ConfigError('fit: give validationData or validationSplit, not both');
  if (o.validationData !== undefined && !isDataSource(o.validationData) && (!Array.isArray(o.validationData) || o.validationData.length !== 2)) {
    throw new ConfigError('fit: validationData must be [x, y]');
  }
  return { epochs, batchSize, shuffle };
}
