/**
 * ModelCheckpoint: saves the model after every epoch, or only when the monitored value is the
 * best so far, through model.save(path) — the atomic write (src/io/atomic-file.ts), so a
 * crash mid-save leaves the previous checkpoint whole. `{epoch}` in the path becomes the
 * epoch number (1-based, as Keras's).
 */
import { ConfigError, describe } from '../../errors.js';
import type { EpochLogs } from '../logs.js';
import type { Callback, TrainingContext } from './callback.js';
import { booleanOption, checkKeys, checkMonitored, improves, resolveMonitor, monitoredValue, worst, type Monitor, type MonitorMode } from './monitor.js';

/** Options of ModelCheckpoint. */
export interface ModelCheckpointOptions {
  /** Where to save; `{epoch}` is replaced by the epoch number (1-based). */
  path: string;
  /** Save only when the monitored value improves on the best so far (default false). */
  saveBestOnly?: boolean;
  /** Log key of saveBestOnly (default 'val_loss'). */
  monitor?: string;
  mode?: MonitorMode;
}

/** Saves the model (with its training state) during fit. */
export class ModelCheckpoint implements Callback {
  readonly path: string;
  readonly saveBestOnly: boolean;
  readonly monitor: Monitor;
  /** The best monitored value saved so far (saveBestOnly). */
  best = Infinity;
  /** Paths written, in order. */
  readonly saved: string[] = [];

  constructor(options: ModelCheckpointOptions) {
    checkKeys('ModelCheckpoint', options, ['path', 'saveBestOnly', 'monitor', 'mode']);
    if (typeof options.path !== 'string' || options.path === '')
      throw new ConfigError(`ModelCheckpoint: path must be a file path, got ${describe(options.path)}`);
    this.path = options.path;
    this.saveBestOnly = booleanOption('ModelCheckpoint', 'saveBestOnly', options.saveBestOnly, false);
    this.monitor = resolveMonitor('ModelCheckpoint', options.monitor, options.mode);
  }

  /** Checks the monitored key (with saveBestOnly) and resets the best. */
  onTrainBegin(ctx: TrainingContext): void {
    if (this.saveBestOnly) checkMonitored('ModelCheckpoint', this.monitor, ctx);
    this.best = worst(this.monitor);
  }

  /** Saves after the epoch (when best, with saveBestOnly). */
  async onEpochEnd(epoch: number, logs: EpochLogs, ctx: TrainingContext): Promise<void> {
    if (this.saveBestOnly) {
      const current = monitoredValue(this.monitor, logs);
      if (!improves(this.monitor, current, this.best, 0)) return;
      this.best = current;
    }
    const path = this.path.replaceAll('{epoch}', String(epoch + 1));
    await ctx.model.save(path);
    this.saved.push(path);
  }
}
