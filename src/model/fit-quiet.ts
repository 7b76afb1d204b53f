/**
 * The whole fit when nothing happens between epochs (no shuffle, callbacks, onEpochEnd, metrics,
 * validation or schedule): the epochs run through one EpochRunner whose runs may go on past an
 * epoch's end (EpochShape.runAhead), and each epoch is recorded straight from the runs' losses,
 * so an epoch costs a tiny network no more JavaScript than a push. Loaded with fit's optional
 * parts (fit-extras.ts).
 */
import type { EpochRunner, EpochShape } from './fit-epoch.js';
import type { History } from './logs.js';
import { nextTick, type YieldClock } from './yield.js';

/**
 * Runs every epoch of `shape` on `runner`, the first from batch `first` with loss sum `total`
 * (an unfinished epoch's), recording each into `history` as fit records it (its loss, and
 * `lr`). Yields as fit's loop does (between runs only). Returns where a stop (`stopped()`) left
 * it: null when every epoch ran, else the unfinished epoch (null when the stop came at an
 * epoch's end). Mutates what the runner's steps mutate, and `history`.
 */
export async function fitQuietly(
  runner: EpochRunner,
  shape: EpochShape,
  clock: YieldClock,
  stopped: () => boolean,
  first: number,
  total: number,
  history: History,
  lr: number,
): Promise<{ unfinished: { nextBatch: number; lossSum: number } | null } | null> {
  const { rows, batches, epochs, sumsLoss } = shape;
  const losses = history.history.loss,
    rates = history.history.lr;
  for (let epoch = 0, b = first; epoch < epochs; epoch++, b = 0, total = 0) {
    let at = runner.epoch(epoch, b, total);
    if (at instanceof Promise) at = await at;
    if (at.next < batches) return { unfinished: { nextBatch: at.next, lossSum: at.total } };
    losses.push(sumsLoss ? at.total : at.total / rows);
    rates.push(lr);
    history.epochs = epoch + 1;
    if (stopped()) return epoch + 1 < epochs ? { unfinished: null } : null;
    if (!runner.ahead && clock.sinceYield() > 16) {
      await nextTick();
      clock.yielded();
      if (stopped() && epoch + 1 < epochs) return { unfinished: null };
    }
  }
  return null;
}
