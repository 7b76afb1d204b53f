/**
 * Per-epoch logs to a file: CSVLogger (a header, then one row per epoch, as Keras's) and
 * JSONLLogger (one JSON object per epoch). Both append one line per epoch (src/io/append-file):
 * O(1) work per epoch and no rewrite of earlier lines, so a long run costs nothing and a crash
 * leaves every finished epoch in the file; an atomic rewrite would cost O(epochs) and a flush
 * per epoch. `append: false` (the default) empties the file when training begins.
 */
import { ConfigError, describe } from '../../errors.js';
import { appendText, hasContent, writeText } from '../../io/append-file.js';
import type { EpochLogs } from '../logs.js';
import type { Callback, TrainingContext } from './callback.js';
import { booleanOption, checkKeys } from './monitor.js';

/** Options of both loggers. */
export interface LoggerOptions {
  /** The file to write. */
  path: string;
  /** Keep the file's lines and add to them (default false: start the file afresh). */
  append?: boolean;
}

function checkPath(who: string, path: unknown): string {
  if (typeof path !== 'string' || path === '') throw new ConfigError(`${who}: path must be a file path, got ${describe(path)}`);
  return path;
}

/** Writes each epoch's logs as a CSV row: epoch, then the fit's log keys (header first). */
export class CSVLogger implements Callback {
  readonly path: string;
  readonly append: boolean;
  readonly separator: string;
  private keys: readonly string[] = [];

  constructor(options: LoggerOptions & { separator?: string }) {
    checkKeys('CSVLogger', options, ['path', 'append', 'separator']);
    this.path = checkPath('CSVLogger', options.path);
    this.append = booleanOption('CSVLogger', 'append', options.append, false);
    const sep = options.separator ?? ',';
    if (typeof sep !== 'string' || sep.length !== 1 || /[\n\r"]/.test(sep))
      throw new ConfigError(`CSVLogger: separator must be one character (not a quote or newline), got ${describe(sep)}`);
    this.separator = sep;
  }

  /** Starts the file (unless appending to one with content) with the header row. */
  async onTrainBegin(ctx: TrainingContext): Promise<void> {
    this.keys = ctx.logKeys;
    const header = ['epoch', ...this.keys].join(this.separator) + '\n';
    if (!this.append) await writeText(this.path, header);
    else if (!(await hasContent(this.path))) await appendText(this.path, header);
  }

  /** Appends the epoch's row (numbers as JavaScript prints them: shortest exact form). */
  async onEpochEnd(epoch: number, logs: EpochLogs): Promise<void> {
    await appendText(this.path, [epoch, ...this.keys.map((k) => String(logs[k] ?? ''))].join(this.separator) + '\n');
  }
}

/** Writes each epoch's logs as one JSON object per line: { epoch, loss, ..., lr }. */
export class JSONLLogger implements Callback {
  readonly path: string;
  readonly append: boolean;
  private keys: readonly string[] = [];

  constructor(options: LoggerOptions) {
    checkKeys('JSONLLogger', options, ['path', 'append']);
    this.path = checkPath('JSONLLogger', options.path);
    this.append = booleanOption('JSONLLogger', 'append', options.append, false);
  }

  /** Empties the file unless appending. */
  async onTrainBegin(ctx: TrainingContext): Promise<void> {
    this.keys = ctx.logKeys;
    if (!this.append) await writeText(this.path, '');
  }

  /** Appends the epoch's object (a non-finite value is written as null, as JSON must). */
  async onEpochEnd(epoch: number, logs: EpochLogs): Promise<void> {
    const row: Record<string, number | null> = { epoch };
    for (const k of this.keys) row[k] = logs[k] ?? null;
    await appendText(this.path, JSON.stringify(row) + '\n');
  }
}
