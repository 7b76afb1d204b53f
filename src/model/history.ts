/**
 * fit's history in both shapes: the arrays fit always returned (loss, lr, accuracy, valLoss,
 * valAccuracy) and Keras's `history.history` dictionary (loss, each metric, val_loss,
 * val_<metric>, lr). They are the same arrays, so nothing is stored twice.
 */
import type { EpochLogs, History } from './logs.js';

/** The Keras-style keys of every epoch's logs, in order, for these metrics with or without validation. */
export function logKeysOf(metrics: readonly string[], validation: boolean): string[] {
  return ['loss', ...metrics, ...(validation ? ['val_loss', ...metrics.map((m) => `val_${m}`)] : []), 'lr'];
}

/** An empty history with one array per log key; the legacy fields alias the dictionary's arrays. */
export function emptyHistory(keys: readonly string[]): History {
  const history: Record<string, number[]> = {};
  for (const k of keys) history[k] = [];
  const h: History = { epochs: 0, loss: history.loss, lr: history.lr, history };
  if (history.accuracy) h.accuracy = history.accuracy;
  if (history.val_loss) h.valLoss = history.val_loss;
  if (history.val_accuracy) h.valAccuracy = history.val_accuracy;
  return h;
}

/** Appends one finished epoch's logs (every key of the history) and counts it. Mutates `h`. */
export function recordEpoch(h: History, keys: readonly string[], logs: EpochLogs, epoch: number): void {
  for (const k of keys) h.history[k].push(logs[k] as number);
  h.epochs = epoch + 1;
}
