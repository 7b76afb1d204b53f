/**
 * `wasmlp train`: builds an MLP from flags, trains it on a dataset with a progress bar, prints
 * train/test loss and accuracy, and writes the model and plots. Ctrl-C stops after the current
 * batch and still writes them.
 */
import { writeFile } from 'node:fs/promises';
import { trainTestSplit } from '../datasets/index.js';
import { isTensorLike } from '../model/input.js';
import { activationLayer, Dense, Flatten, type Layer } from '../model/layers.js';
import { resolveLoss } from '../model/lower.js';
import { resolveOptimizer } from '../model/optimizers.js';
import { Sequential } from '../model/sequential.js';
import type { LossName } from '../plan.js';
import { loadData, type LoadedData } from './data.js';
import { writePlots } from './plots.js';
import { progressReporter } from './progress.js';
import { EXIT, UsageError } from './usage-error.js';

/** The flags of train, as commander gives them (strings until checked here). */
export interface TrainFlags {
  data: string; layers?: string; activation?: string; outputActivation?: string; loss?: string;
  optimizer: string; lr?: string; momentum?: string; epochs: string; batch?: string; seed: string;
  backend: string; init?: string; n?: string; noise?: string; classes?: string; testSize: string;
  out?: string; plot?: string; curves?: string; quiet?: boolean;
}

/** Parses a flag that must be a number in [min, max] (integer when asked). */
export function numberFlag(name: string, value: string | undefined, min: number, max = Infinity, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}${max < Infinity ? ` and <= ${max}` : ''}, got '${value}'`);
  }
  return v;
}

/** The output activation that suits a loss when the user names none. */
function defaultOutputActivation(loss: LossName, outputs: number): string | null {
  if (loss === 'categorical_ce') return 'softmax';
  if (loss === 'bce_logits' || loss === 'softmax_ce' || loss === 'sigmoid_mse') return null;
  return 'sigmoid';
}

/** Builds the layer list from --layers and --activation (one name for hidden layers, or one per Dense). */
function buildLayers(sizes: number[], activations: string[], output: string | null, image: boolean, init?: string): Layer[] {
  const dense = sizes.length - 1;
  if (activations.length !== 1 && activations.length !== dense - 1 && activations.length !== dense) {
    throw new UsageError(`--activation lists ${activations.length} names; give 1, ${dense - 1} (hidden layers) or ${dense} (every Dense)`);
  }
  const layers: Layer[] = image ? [new Flatten()] : [];
  for (let i = 0; i < dense; i++) {
    layers.push(new Dense(sizes[i], sizes[i + 1], init ? { init } : {}));
    const last = i === dense - 1;
    const act = activations.length === dense ? activations[i] : last ? output : activations.length === 1 ? activations[0] : activations[i];
    if (act && act !== 'none' && act !== 'linear') layers.push(activationLayer(act));
  }
  return layers;
}

function parseSizes(text: string | undefined, data: LoadedData): number[] {
  if (text === undefined) return [data.features, 16, data.classes > 2 ? data.classes : 1];
  const sizes = text.split(',').map((s) => Number(s.trim()));
  if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new UsageError(`--layers must list at least two positive integers like 2,16,1, got '${text}'`);
  if (sizes[0] !== data.features) throw new UsageError(`--layers starts with ${sizes[0]} inputs but ${data.name} has ${data.features} features per sample`);
  const out = sizes[sizes.length - 1];
  if (out === 1 && data.classes > 2) throw new UsageError(`${data.name} has ${data.classes} classes: the last layer needs ${data.classes} outputs, not 1`);
  if (out > 1 && out !== data.classes) throw new UsageError(`the last layer has ${out} outputs but ${data.name} has ${data.classes} classes`);
  return sizes;
}

/** Runs train; resolves to the exit code. */
export async function trainCommand(flags: TrainFlags): Promise<number> {
  const seed = numberFlag('seed', flags.seed, 0, 2 ** 32 - 1, true)!;
  const epochs = numberFlag('epochs', flags.epochs, 0, 1e9, true)!;
  const batch = numberFlag('batch', flags.batch, 1, 1e9, true);
  const testSize = numberFlag('test-size', flags.testSize, 0, 0.9)!;
  if (flags.backend !== 'wasm' && flags.backend !== 'reference') throw new UsageError(`--backend must be wasm or reference, got '${flags.backend}'`);
  const data = await loadData(flags.data, {
    seed, n: numberFlag('n', flags.n, 2, 1e7, true), noise: numberFlag('noise', flags.noise, 0), classes: numberFlag('classes', flags.classes, 2, 100, true),
  });
  const sizes = parseSizes(flags.layers, data);
  const outputs = sizes[sizes.length - 1];
  const loss = resolveLoss(flags.loss ?? (outputs === 1 ? 'bce' : 'softmax_ce'));
  const optimizer = resolveOptimizer({ type: flags.optimizer, ...(flags.lr ? { lr: numberFlag('lr', flags.lr, 0) } : {}), ...(flags.momentum ? { momentum: numberFlag('momentum', flags.momentum, 0) } : {}) });
  const activations = (flags.activation ?? 'relu').split(',').map((s) => s.trim());
  const output = flags.outputActivation ?? defaultOutputActivation(loss, outputs);
  const layers = buildLayers(sizes, activations, output, data.image !== undefined, flags.init);

  let train = { x: data.x, y: data.y };
  let test = data.test;
  if (!test && testSize > 0 && !isTensorLike(data.x)) {
    const split = trainTestSplit(data.x as number[][], data.y as number[], { testSize, seed, stratify: true });
    train = { x: split.xTrain, y: split.yTrain };
    test = { x: split.xTest, y: split.yTest };
  }
  const model = new Sequential(layers, { seed, backend: flags.backend });
  model.compile({ loss, optimizer, metrics: ['accuracy'] });
  if (!flags.quiet) console.log(model.summary());
  const rows = isTensorLike(train.x) ? train.x.shape[0] : train.x.length;
  const batchSize = Math.min(batch ?? 32, rows);
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  const progress = progressReporter(epochs, Math.ceil(rows / batchSize), rows, flags.quiet);
  let history;
  try {
    history = await model.fit(train.x, train.y, {
      epochs, batchSize, shuffle: true, signal: controller.signal,
      validationData: test ? [test.x, test.y] : undefined,
      onBatchEnd: progress.onBatchEnd, onEpochEnd: progress.onEpochEnd,
    });
  } finally {
    progress.stop();
    process.removeListener('SIGINT', onInterrupt);
  }
  if (history.stopped === 'aborted') console.log(`interrupted after ${history.epochs} epoch(s): stopped after the current batch; writing what was trained`);
  const trained = model.evaluate(train.x, train.y);
  console.log(`train loss ${trained.loss.toFixed(6)}  accuracy ${trained.accuracy.toFixed(4)}`);
  if (test) {
    const t = model.evaluate(test.x, test.y);
    console.log(`test  loss ${t.loss.toFixed(6)}  accuracy ${t.accuracy.toFixed(4)}`);
  }
  if (flags.out) {
    await writeFile(flags.out, JSON.stringify(model.toJSON()));
    console.log(`model written to ${flags.out}`);
  }
  await writePlots(model, data, history, { boundary: flags.plot, curves: flags.curves });
  model.dispose();
  return history.stopped === 'aborted' ? EXIT.interrupted : EXIT.ok;
}
