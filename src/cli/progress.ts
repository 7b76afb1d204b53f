/**
 * Training progress for the terminal: a live bar (cli-progress) with epoch, batch, loss,
 * accuracy, samples/s and ETA on a TTY; plain lines every few epochs otherwise (CI logs).
 */
import cliProgress from 'cli-progress';
import type { BatchLogs, EpochLogs } from '../model/fit.js';

/** Callbacks to pass to fit, and a stop() that closes the bar. */
export interface ProgressReporter {
  onBatchEnd: (batch: number, logs: BatchLogs) => void;
  onEpochEnd: (epoch: number, logs: EpochLogs) => void;
  stop(): void;
}

/** A reporter for `epochs` epochs of `batches` batches over `samples` rows. Writes to stdout/stderr only. */
export function progressReporter(epochs: number, batches: number, _samples: number, quiet = false): ProgressReporter {
  const started = Date.now();
  let seen = 0;
  const rate = () => Math.round(seen / Math.max(1e-3, (Date.now() - started) / 1000));
  if (quiet) return { onBatchEnd: () => {}, onEpochEnd: () => {}, stop: () => {} };
  if (!process.stdout.isTTY) {
    const every = Math.max(1, Math.round(epochs / 10));
    return {
      onBatchEnd: (_b, logs) => {
        seen += logs.size;
      },
      onEpochEnd: (epoch, logs) => {
        if ((epoch + 1) % every !== 0 && epoch + 1 !== epochs) return;
        const acc = logs.accuracy === undefined ? '' : `  accuracy ${logs.accuracy.toFixed(4)}`;
        const val = logs.valAccuracy === undefined ? '' : `  val_accuracy ${logs.valAccuracy.toFixed(4)}`;
        console.log(`epoch ${epoch + 1}/${epochs}  loss ${logs.loss.toFixed(6)}${acc}${val}  ${rate().toLocaleString('en')} samples/s`);
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: 'epoch {epoch}/{epochs} |{bar}| batch {batch}/{batches}  loss {loss}  acc {acc}  {rate} samples/s  ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(epochs * batches, 0, { epoch: 1, epochs, batch: 0, batches, loss: '-', acc: '-', rate: 0 });
  let epochNow = 0;
  let accuracy = '-';
  return {
    onBatchEnd: (b, logs) => {
      seen += logs.size;
      epochNow = logs.epoch;
      bar.increment(1, { epoch: epochNow + 1, batch: b + 1, loss: logs.loss.toFixed(4), acc: accuracy, rate: rate().toLocaleString('en') });
    },
    onEpochEnd: (_e, logs) => {
      if (logs.accuracy !== undefined) accuracy = logs.accuracy.toFixed(4);
    },
    stop: () => bar.stop(),
  };
}
