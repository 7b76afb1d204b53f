/**
 * `wasmlp export --pytorch DIR` / `--tfjs DIR` (a saved model as a PyTorch package or a
 * TensorFlow.js layers model) and `wasmlp import --safetensors FILE` (weights back from PyTorch).
 */
import { MAX_MODEL_FILE_BYTES } from '../io/model-file.js';
import { Sequential } from '../model/sequential.js';
import { checkOutputs, readInput, writeOutput } from './files.js';
import { readModel } from './model-commands.js';
import { EXIT, UsageError } from './usage-error.js';

function count(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be an integer >= 1, got ${v}`);
  return n;
}

/** Writes files by name into folder `dir` (created when missing), refusing existing ones without `force`. */
async function writeFolder(dir: string, files: Record<string, Uint8Array>, force: boolean): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const paths = Object.keys(files).map((name) => join(dir, name));
  await mkdir(dir, { recursive: true });
  await checkOutputs(paths, force);
  for (const [name, bytes] of Object.entries(files)) await writeOutput(join(dir, name), bytes);
}

/** Writes the PyTorch package (`o.pytorch`) and / or the tfjs model (`o.tfjs`) of a saved model. */
export async function exportFolders(o: {
  model: string;
  pytorch?: string;
  tfjs?: string;
  epochs?: string;
  batch?: string;
  shuffle?: boolean;
  force?: boolean;
}): Promise<number> {
  const fit = { epochs: count(o.epochs, '--epochs'), batchSize: count(o.batch, '--batch'), shuffle: o.shuffle };
  const model = await readModel(o.model);
  try {
    if (o.pytorch !== undefined) {
      await writeFolder(o.pytorch, model.toPyTorch(fit), o.force === true);
      console.log(`wrote ${o.pytorch}/: model.py, train.py, config.json, weights.safetensors (python train.py --data data.csv; --nproc N or torchrun for DDP)`);
    }
    if (o.tfjs !== undefined) {
      await writeFolder(o.tfjs, model.toTFJS(), o.force === true);
      console.log(`wrote ${o.tfjs}/: model.json, weights.bin (tf.loadLayersModel)`);
    }
    return EXIT.ok;
  } finally {
    model.dispose();
  }
}

/**
 * Reads safetensors weights with PyTorch names (the architecture from the file's metadata, else
 * `o.config` or the config.json beside the file) and writes a wasmlp model to `o.out`.
 */
export async function importSafetensors(file: string, o: { out: string; config?: string; backend?: string; force?: boolean }): Promise<number> {
  await checkOutputs([o.out], o.force === true);
  const backend = o.backend ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'reference') throw new UsageError(`--backend must be wasm or reference, got ${backend}`);
  const bytes = await readInput(file, MAX_MODEL_FILE_BYTES, 'import');
  const { dirname, join } = await import('node:path');
  const { access } = await import('node:fs/promises');
  let configPath = o.config;
  const beside = join(dirname(file), 'config.json');
  if (
    configPath === undefined &&
    (await access(beside).then(
      () => true,
      () => false,
    ))
  )
    configPath = beside;
  let config: string | undefined;
  if (configPath !== undefined) config = new TextDecoder().decode(await readInput(configPath, MAX_MODEL_FILE_BYTES, 'import'));
  let model: Sequential;
  try {
    model = Sequential.fromSafetensors(bytes, { backend });
  } catch (e) {
    if (config === undefined) throw e;
    model = Sequential.fromSafetensors(bytes, { backend, config });
  }
  try {
    const data = o.out.toLowerCase().endsWith('.json') ? JSON.stringify(model.toJSON()) : model.save();
    await writeOutput(o.out, data);
    console.log(
      `wrote ${o.out}: ${model.layers.map((l) => l.toConfig().config.activation ?? l.className).join(' → ')}${model.compiled ? ' (compiled as exported)' : ''}`,
    );
    return EXIT.ok;
  } finally {
    model.dispose();
  }
}
