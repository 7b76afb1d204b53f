/**
 * `wasmlp demo`: seed 002's digits MLP — Flatten, 784-64(ReLU)-10, softmax cross-entropy,
 * W ~ N(0, 0.01), SGD lr 0.1, batch 64 — trained on the real MNIST digits of the optional `mnist`
 * package, 8,000 for training, 2,000 for testing), with plots of predictions and curves.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { digits } from '../datasets/index.js';
import { Dense, Flatten, ReLU } from '../model/layers.js';
import { SGD } from '../model/optimizers.js';
import { Sequential } from '../model/sequential.js';
import { digitGrid, savePlot, trainingCurves } from '../plot/index.js';
import { progressReporter } from './progress.js';
import { numberFlag } from './train.js';
import { EXIT, UsageError } from './usage-error.js';

/** Runs the demo; resolves to the exit code. Writes PNGs into `outDir`. */
export async function demoCommand(o: { epochs: string; outDir: string; backend: string; quiet?: boolean }): Promise<number> {
  const epochs = numberFlag('epochs', o.epochs, 1, 1000, true)!;
  if (o.backend !== 'wasm' && o.backend !== 'reference') throw new UsageError(`--backend must be wasm or reference, got '${o.backend}'`);
  const { train, test } = await digits({ train: 8000, test: 2000 });
  console.log(`MNIST digits (the mnist package): ${train.rows} for training, ${test.rows} for testing (28x28)`);
  const init = { name: 'normal', std: 0.01 } as const;
  const model = new Sequential([new Flatten(), new Dense(784, 64, { init }), new ReLU(), new Dense(64, 10, { init })], { seed: 2, backend: o.backend });
  model.compile({ loss: 'softmax_ce', optimizer: new SGD({ lr: 0.1 }), metrics: ['accuracy'] });
  const x = { data: train.x, shape: train.shape };
  const testX = { data: test.x, shape: test.shape };
  const batchSize = 64;
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  const progress = progressReporter(epochs, Math.ceil(train.rows / batchSize), train.rows, o.quiet);
  const started = performance.now();
  const history = await model
    .fit(x, train.y, {
      epochs,
      batchSize,
      shuffle: true,
      signal: controller.signal,
      validationData: [testX, test.y],
      onBatchEnd: progress.onBatchEnd,
      onEpochEnd: progress.onEpochEnd,
    })
    .finally(() => {
      progress.stop();
      process.removeListener('SIGINT', onInterrupt);
    });
  const seconds = (performance.now() - started) / 1000;
  const result = model.evaluate(testX, test.y);
  console.log(
    `test accuracy ${(result.accuracy * 100).toFixed(2)}% (loss ${result.loss.toFixed(4)}) after ${history.epochs} epoch(s), ${seconds.toFixed(1)} s training`,
  );
  await mkdir(o.outDir, { recursive: true });
  const shown = 40;
  const predicted = model.predictClasses({ data: test.x.subarray(0, shown * 784), shape: [shown, 28, 28] });
  await savePlot(
    join(o.outDir, 'digits.png'),
    digitGrid({
      images: test.x.subarray(0, shown * 784),
      shape: [shown, 28, 28],
      labels: Array.from(test.y.subarray(0, shown)),
      predicted,
      cols: 10,
      title: 'test digits: predicted label (red = wrong)',
    }),
  );
  if (history.loss.length > 0) await savePlot(join(o.outDir, 'curves.png'), trainingCurves(history, { title: 'digits 784-64-10: training' }));
  console.log(`plots written to ${join(o.outDir, 'digits.png')} and ${join(o.outDir, 'curves.png')}`);
  model.dispose();
  return history.stopped === 'aborted' ? EXIT.interrupted : EXIT.ok;
}
