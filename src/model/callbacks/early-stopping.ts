/**
 * EarlyStopping with Keras 3 semantics, and a best-weights restore that is exact: the snapshot
 * is the engine's own parameters (Float64 copies of its f32 or f64 values), so the restored
 * model equals, bit for bit, a fresh run of as many epochs as the best epoch's count.
 */
import type { EpochLogs } from '../logs.js';
import type { Callback, CallbackResult, TrainingContext } from './callback.js';
import {
  booleanOption,
  checkKeys,
  checkMonitored,
  improves,
  numberOption,
  resolveMonitor,
  monitoredValue,
  worst,
  type Monitor,
  type MonitorMode,
} from './monitor.js';

/** Options of EarlyStopping (Keras's, camel-cased). */
export interface EarlyStoppingOptions {
  /** Log key to watch (default 'val_loss'). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0; its sign is ignored). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  mode?: MonitorMode;
  /** Training continues (patience restarts) only while the value is better than this. */
  baseline?: number;
  /** At a stop, put back the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
}

const KEYS = ['monitor', 'minDelta', 'patience', 'mode', 'baseline', 'restoreBestWeights'];

/** Stops fit when the monitored value has not improved for `patience` epochs. */
export class EarlyStopping implements Callback {
  readonly monitor: Monitor;
  readonly minDelta: number;
  readonly patience: number;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  /** The best value seen and its epoch (0-based; -1 before any). */
  best = Infinity;
  bestEpoch = -1;
  /** The epoch at which training was stopped (-1: not stopped). */
  stoppedEpoch = -1;
  private wait = 0;
  private bestWeights: Float64Array[] | null = null;

  /** Checks the options (ConfigError / ValueError); the monitored key is checked when fit starts. */
  constructor(options: EarlyStoppingOptions = {}) {
    checkKeys('EarlyStopping', options, KEYS);
    this.monitor = resolveMonitor('EarlyStopping', options.monitor, options.mode);
    this.minDelta = Math.abs(numberOption('EarlyStopping', 'minDelta', options.minDelta, 0, () => true, 'a finite number'));
    this.patience = numberOption('EarlyStopping', 'patience', options.patience, 0, (v) => Number.isSafeInteger(v) && v >= 0, 'an integer >= 0');
    this.baseline = options.baseline === undefined ? null : numberOption('EarlyStopping', 'baseline', options.baseline, 0, () => true, 'a finite number');
    this.restoreBestWeights = booleanOption('EarlyStopping', 'restoreBestWeights', options.restoreBestWeights, false);
  }

  /** Resets the state (each fit starts afresh) and checks the monitored key. */
  onTrainBegin(ctx: TrainingContext): void {
    checkMonitored('EarlyStopping', this.monitor, ctx);
    this.wait = 0;
    this.stoppedEpoch = -1;
    this.best = worst(this.monitor);
    this.bestEpoch = -1;
    this.bestWeights = null;
  }

  /** Keras's on_epoch_end: track the best (and its weights), count the wait, stop (and restore). */
  onEpochEnd(epoch: number, logs: EpochLogs, ctx: TrainingContext): CallbackResult {
    const current = monitoredValue(this.monitor, logs);
    if (current === undefined || Number.isNaN(current)) return;
    if (this.restoreBestWeights && this.bestWeights === null) {
      this.bestWeights = ctx.getParameters();
      this.bestEpoch = epoch;
    }
    this.wait++;
    if (improves(this.monitor, current, this.best, this.minDelta)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = ctx.getParameters();
      if (this.baseline === null || improves(this.monitor, current, this.baseline, this.minDelta)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      if (this.restoreBestWeights && this.bestWeights !== null) ctx.setParameters(this.bestWeights);
      return 'stop';
    }
  }
}
