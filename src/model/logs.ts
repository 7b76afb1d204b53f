/**
 * What fit reports: each batch's and each epoch's logs, and the history it resolves with.
 * Types only, shared by the loop (fit.ts), the history builder and the callbacks.
 */

/** What onBatchEnd receives: the batch's loss computed before its update, and the lr that update used. */
export interface BatchLogs {
  loss: number;
  epoch: number;
  batch: number;
  size: number;
  lr: number;
}
/**
 * What onEpochEnd and callbacks receive: loss, lr, every compiled metric by name, and with
 * validation val_loss and val_<metric> (Keras's keys; valLoss / valAccuracy as before).
 */
export interface EpochLogs {
  loss: number;
  lr: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  [key: string]: number | undefined;
}

/** Per-epoch results of fit. */
export interface History {
  /** Epochs completed. */
  epochs: number;
  loss: number[];
  /** The learning rate of each epoch's first step (the optimiser's lr without a schedule). */
  lr: number[];
  accuracy?: number[];
  valLoss?: number[];
  valAccuracy?: number[];
  /** Keras's shape: loss, each metric, val_loss, val_<metric>, lr (the same arrays as the fields above). */
  history: Record<string, number[]>;
  /** Why training ended early, if it did ('exhausted': a data source ran out of batches). */
  stopped?: 'aborted' | 'stopTraining' | 'exhausted';
}
