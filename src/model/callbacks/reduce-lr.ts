/**
 * ReduceLROnPlateau with Keras semantics: after `patience` epochs without an improvement of the
 * monitored value by more than minDelta, the learning rate becomes max(lr · factor, minLr),
 * then `cooldown` epochs pass before waiting starts again. The rate changed is the base rate
 * of the training context (the optimiser's lr, or the lr0 a schedule scales).
 */
import type { EpochLogs } from '../logs.js';
import type { Callback, TrainingContext } from './callback.js';
import { checkKeys, checkMonitored, improves, numberOption, resolveMonitor, monitoredValue, worst, type Monitor, type MonitorMode } from './monitor.js';

/** Options of ReduceLROnPlateau (Keras's defaults). */
export interface ReduceLROnPlateauOptions {
  /** Log key to watch (default 'val_loss'). */
  monitor?: string;
  /** Multiplies the lr at a plateau, in (0, 1) (default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs after a reduction before waiting resumes (default 0). */
  cooldown?: number;
  /** The lr is never reduced below this (default 0). */
  minLr?: number;
}

const KEYS = ['monitor', 'factor', 'patience', 'mode', 'minDelta', 'cooldown', 'minLr'];
const count = (v: number) => Number.isSafeInteger(v) && v >= 0;

/** Reduces the learning rate when the monitored value stops improving. */
export class ReduceLROnPlateau implements Callback {
  readonly monitor: Monitor;
  readonly factor: number;
  readonly patience: number;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  private best = Infinity;
  private wait = 0;
  private cooldownCounter = 0;

  /** Checks the options (ConfigError / ValueError); the monitored key is checked when fit starts. */
  constructor(options: ReduceLROnPlateauOptions = {}) {
    const who = 'ReduceLROnPlateau';
    checkKeys(who, options, KEYS);
    this.monitor = resolveMonitor(who, options.monitor, options.mode);
    this.factor = numberOption(who, 'factor', options.factor, 0.1, (v) => v > 0 && v < 1, 'in (0, 1)');
    this.patience = numberOption(who, 'patience', options.patience, 10, count, 'an integer >= 0');
    this.minDelta = numberOption(who, 'minDelta', options.minDelta, 1e-4, (v) => v >= 0, 'a number >= 0');
    this.cooldown = numberOption(who, 'cooldown', options.cooldown, 0, count, 'an integer >= 0');
    this.minLr = numberOption(who, 'minLr', options.minLr, 0, (v) => v >= 0, 'a number >= 0');
  }

  /** Resets the state and checks the monitored key. */
  onTrainBegin(ctx: TrainingContext): void {
    checkMonitored('ReduceLROnPlateau', this.monitor, ctx);
    this.best = worst(this.monitor);
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  /** Keras's on_epoch_end: cooldown, then improvement or one more epoch of waiting, then the reduction. */
  onEpochEnd(_epoch: number, logs: EpochLogs, ctx: TrainingContext): void {
    const current = monitoredValue(this.monitor, logs);
    if (current === undefined || Number.isNaN(current)) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (improves(this.monitor, current, this.best, this.minDelta)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter === 0) {
      this.wait++;
      if (this.wait >= this.patience) {
        const old = ctx.learningRate();
        if (old > this.minLr) {
          ctx.setLearningRate(Math.max(old * this.factor, this.minLr));
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}
