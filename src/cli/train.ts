/**
 * `wasmlp train`: builds an MLP from flags, trains it on a dataset with a progress bar, prints
 * train/test loss and accuracy, and writes the model and plots. Ctrl-C stops after the current
 * batch and still writes them (a second Ctrl-C waits for the writes); the model file keeps the
 * training state, so `--resume FILE` continues an interrupted run exactly.
 */
import { minMaxScaler, standardScaler, trainTestSplit, type Scaler } from '../datasets/index.js';
import { checkThreads, type ThreadsOption } from '../engine-options.js';
import type { InitializerSpec } from '../initializers.js';
import type { History } from '../model/fit.js';
import { isTensorLike } from '../model/input.js';
import { activationLayer, Dense, Flatten, type Layer } from '../model/layers.js';
import { resolveLoss } from '../model/lower.js';
import { resolveOptimizer } from '../model/optimizers.js';
import { Sequential } from '../model/sequential.js';
import type { ActivationName, LossName } from '../plan.js';
import { loadData, type LoadedData } from './data.js';
import { checkOutputs, writeOutput } from './files.js';
import { readModel } from './model-commands.js';
import { cliMetadata, readCLIMetadata } from './model-metadata.js';
import { taskFlag } from './targets.js';
import { writePlots } from './plots.js';
import { progressReporter } from './progress.js';
import { EXIT, UsageError } from './usage-error.js';

/** The flags of train, as commander gives them (strings until checked here). */
export interface TrainFlags {
  data: string;
  layers?: string;
  activation?: string;
  outputActivation?: string;
  loss?: string;
  optimizer: string;
  lr?: string;
  momentum?: string;
  epochs: string;
  batch?: string;
  seed: string;
  backend: string;
  init?: string;
  n?: string;
  noise?: string;
  classes?: string;
  testSize: string;
  out?: string;
  plot?: string;
  curves?: string;
  quiet?: boolean;
  force?: boolean;
  resume?: string;
  task?: string;
  targets?: string;
  scale?: string;
  threads?: string;
  weightDecay?: string;
}

/** Below this many rows nothing is held out for testing: a 3/1 split of xor tests on one point. */
export const MIN_SPLIT_ROWS = 20;

/** The feature scalings --scale offers. */
const SCALES: Record<string, () => Scaler> = { standard: () => standardScaler(), minmax: () => minMaxScaler() };

/** Training or test rows as the data loader gives them. */
type Split = { x: LoadedData['x']; y: LoadedData['y'] };

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
function defaultOutputActivation(loss: LossName): string | null {
  if (loss === 'categorical_ce') return 'softmax';
  if (loss === 'bce') return 'sigmoid';
  // Logit losses and regression losses want a linear output.
  return null;
}

/** Builds the layer list from --layers and --activation (one name for hidden layers, or one per Dense). */
function buildLayers(sizes: number[], activations: string[], output: string | null, image: boolean, init?: string): Layer[] {
  const dense = sizes.length - 1;
  if (activations.length !== 1 && activations.length !== dense - 1 && activations.length !== dense) {
    throw new UsageError(`--activation lists ${activations.length} names; give 1, ${dense - 1} (hidden layers) or ${dense} (every Dense)`);
  }
  const layers: Layer[] = image ? [new Flatten()] : [];
  for (let i = 0; i < dense; i++) {
    // Names from the command line are checked by Dense and activationLayer themselves.
    layers.push(new Dense(sizes[i], sizes[i + 1], init ? { init: init as InitializerSpec } : {}));
    const last = i === dense - 1;
    const act = activations.length === dense ? activations[i] : last ? output : activations.length === 1 ? activations[0] : activations[i];
    if (act && act !== 'none' && act !== 'linear') layers.push(activationLayer(act as ActivationName));
  }
  return layers;
}

function parseSizes(text: string | undefined, data: LoadedData): number[] {
  if (text === undefined) return [data.features, 16, data.task === 'regression' || data.classes > 2 ? data.classes : 1];
  const sizes = text.split(',').map((s) => Number(s.trim()));
  if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1))
    throw new UsageError(`--layers must list at least two positive integers like 2,16,1, got '${text}'`);
  if (sizes[0] !== data.features) throw new UsageError(`--layers starts with ${sizes[0]} inputs but ${data.name} has ${data.features} features per sample`);
  const out = sizes[sizes.length - 1];
  if (data.task === 'regression') {
    if (out !== data.classes) throw new UsageError(`the last layer has ${out} outputs but ${data.name} has ${data.classes} target column(s)`);
    return sizes;
  }
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
  await checkOutputs([flags.out, flags.plot, flags.curves], flags.force === true);
  const threads = threadsFlag(flags.threads);
  const scale = flags.scale ?? 'none';
  if (scale !== 'none' && !Object.hasOwn(SCALES, scale)) throw new UsageError(`--scale must be standard, minmax or none, got '${scale}'`);
  const task = taskFlag(flags.task);
  const data = await loadData(flags.data, {
    seed,
    n: numberFlag('n', flags.n, 2, 1e7, true),
    noise: numberFlag('noise', flags.noise, 0),
    classes: numberFlag('classes', flags.classes, 2, 100, true),
    task,
    targets: numberFlag('targets', flags.targets, 1, 1e6, true),
  });
  if (task !== 'auto' && task !== data.task) throw new UsageError(`--task ${task}: ${data.name} is ${data.task} data`);
  const resumed = flags.resume !== undefined ? await resumedModel(flags.resume, data) : null;
  let scaler: Scaler | undefined;
  if (resumed !== null) scaler = readCLIMetadata(resumed.metadata, flags.resume!).scaler;
  else if (scale !== 'none') {
    if (isTensorLike(data.x)) throw new UsageError(`--scale applies to tables; ${data.name} is images (already in [0, 1])`);
    scaler = SCALES[scale]();
  }
  let train: Split = { x: data.x, y: data.y };
  let test = data.test as Split | undefined;
  const tableRows = isTensorLike(data.x) ? 0 : data.x.length;
  if (!test && testSize > 0 && !isTensorLike(data.x)) {
    if (tableRows < MIN_SPLIT_ROWS) {
      console.log(`${data.name} has ${tableRows} rows, fewer than ${MIN_SPLIT_ROWS}: no test split; training and reporting on all of them`);
    } else {
      const split = trainTestSplit(data.x as number[][], data.y as (number | number[])[], { testSize, seed, stratify: data.task === 'classification' });
      train = { x: split.xTrain, y: split.yTrain as Split['y'] };
      test = { x: split.xTest, y: split.yTest as Split['y'] };
    }
  }
  if (scaler !== undefined) {
    // Fitted on the training rows only (a resumed model keeps the scaling it was trained with).
    if (!scaler.fitted) scaler.fit(train.x as number[][]);
    train = { x: scaler.transform(train.x as number[][]), y: train.y };
    if (test) test = { x: scaler.transform(test.x as number[][]), y: test.y };
    data.x = scaler.transform(data.x as number[][]);
  }
  const model = resumed ?? buildModel(flags, data, seed, threads);
  if (resumed === null) {
    model.metadata = cliMetadata({
      task: data.task,
      labels: data.labels,
      scaler: scaler?.toJSON(),
      featureNames: data.featureNames,
      targetNames: data.targetNames,
    });
  }
  if (!flags.quiet) console.log(model.summary());
  const rows = isTensorLike(train.x) ? train.x.shape[0] : train.x.length;
  const batchSize = Math.min(batch ?? 32, rows);
  const controller = new AbortController();
  // The first Ctrl-C stops after the current batch; later ones only say that the outputs are
  // being written (the listener stays until the command ends, so none of them kills a write).
  const onInterrupt = () => {
    if (controller.signal.aborted) process.stderr.write('\nwasmlp: stopping: writing the model and plots first\n');
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    const progress = progressReporter(epochs, Math.ceil(rows / batchSize), rows, flags.quiet);
    let history: History;
    try {
      history = await model.fit(train.x, train.y, {
        epochs,
        batchSize,
        shuffle: true,
        signal: controller.signal,
        threads,
        validationData: test ? [test.x, test.y] : undefined,
        onBatchEnd: progress.onBatchEnd,
        onEpochEnd: progress.onEpochEnd,
      });
    } finally {
      progress.stop();
    }
    return await finish(model, data, history, train, test, flags);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    model.dispose();
  }
}

/** Builds and compiles the model the flags describe. */
function buildModel(flags: TrainFlags, data: LoadedData, seed: number, threads: ThreadsOption): Sequential {
  const sizes = parseSizes(flags.layers, data);
  const outputs = sizes[sizes.length - 1];
  const regression = data.task === 'regression';
  const loss = resolveLoss(flags.loss ?? (regression ? 'mse' : outputs === 1 ? 'bce' : 'softmax_ce'));
  const optimizer = resolveOptimizer({
    type: flags.optimizer,
    ...(flags.lr ? { lr: numberFlag('lr', flags.lr, 0) } : {}),
    ...(flags.momentum ? { momentum: numberFlag('momentum', flags.momentum, 0) } : {}),
    ...(flags.weightDecay ? { weightDecay: numberFlag('weight-decay', flags.weightDecay, 0) } : {}),
  });
  const activations = (flags.activation ?? 'relu').split(',').map((s) => s.trim());
  const output = flags.outputActivation ?? defaultOutputActivation(loss);
  const layers = buildLayers(sizes, activations, output, data.image !== undefined, flags.init);
  const model = new Sequential(layers, { seed, backend: flags.backend as 'wasm' | 'reference', threads });
  try {
    model.compile({ loss, optimizer, metrics: regression ? ['mae', 'mse'] : ['accuracy'] });
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/** Parses --threads: a count or 'auto' (default 1). */
function threadsFlag(value: string | undefined): ThreadsOption {
  if (value === undefined || value === 'auto') return value === 'auto' ? 'auto' : 1;
  const n = numberFlag('threads', value, 1, Infinity, true)!;
  try {
    return checkThreads(n, '--threads');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The model of an earlier `train --out`, with its training state, checked against the data. */
async function resumedModel(file: string, data: LoadedData): Promise<Sequential> {
  const model = await readModel(file);
  if (!model.compiled) {
    model.dispose();
    throw new UsageError(`--resume ${file}: the model has no training settings (it was saved uncompiled); train it afresh`);
  }
  if (model.inputSize !== data.features) {
    model.dispose();
    throw new UsageError(`--resume ${file}: the model takes ${model.inputSize} inputs but ${data.name} has ${data.features} features`);
  }
  return model;
}

/** Prints the final figures and writes the outputs; resolves to the exit code. */
async function finish(model: Sequential, data: LoadedData, history: History, train: Split, test: Split | undefined, flags: TrainFlags): Promise<number> {
  if (history.stopped === 'aborted') console.log(`interrupted after ${history.epochs} epoch(s): stopped after the current batch; writing what was trained`);
  const line = (r: { loss: number; accuracy: number; mae?: number; mse?: number }) =>
    data.task === 'regression'
      ? `loss ${r.loss.toFixed(6)}  mae ${(r.mae ?? NaN).toFixed(6)}  mse ${(r.mse ?? NaN).toFixed(6)}`
      : `loss ${r.loss.toFixed(6)}  accuracy ${r.accuracy.toFixed(4)}`;
  console.log(`train ${line(model.evaluate(train.x, train.y))}`);
  if (test) console.log(`test  ${line(model.evaluate(test.x, test.y))}`);
  if (flags.out) {
    await writeOutput(flags.out, JSON.stringify(model.toJSON({ includeOptimizer: true })));
    console.log(`model written to ${flags.out} (with its training state: --resume ${flags.out} continues it)`);
  }
  await writePlots(model, data, history, { boundary: flags.plot, curves: flags.curves });
  return history.stopped === 'aborted' ? EXIT.interrupted : EXIT.ok;
}
