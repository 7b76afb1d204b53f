/**
 * A model record as a self-contained Python package for PyTorch (model.py, train.py,
 * config.json, weights.safetensors), and the architecture and compile settings read back from
 * its config.json or from a safetensors file's metadata (train.py copies the metadata into the
 * weights it writes, so a trained file alone comes back).
 */
import { ConfigError, ValueError, describe } from '../../errors.js';
import type { CompileRecord, LayerConfig, ModelRecord } from '../model-record.js';
import { layerSizes } from '../layer-sizes.js';
import { encodeSafetensors } from '../safetensors.js';
import { modelPy } from './python-model.js';
import { TRAIN_PY } from './python-train.js';
import { networkToStateDict, torchModule } from './state-dict.js';

/** config.json's `format`. */
export const PYTORCH_CONFIG_FORMAT = 'wasmlp-pytorch';
/** config.json's `version`. */
export const PYTORCH_CONFIG_VERSION = 1;
/** Metadata key of exported safetensors files holding the layers (JSON text). */
export const METADATA_LAYERS = 'wasmlp_layers';
/** Metadata key holding the compile settings (JSON text), when the model was compiled. */
export const METADATA_COMPILE = 'wasmlp_compile';
/** Metadata key holding the model's seed (decimal text). */
export const METADATA_SEED = 'wasmlp_seed';

/** Fit settings train.py reproduces (the model does not keep them: give the ones you fit with). */
export interface PyTorchFitOptions {
  /** Epochs (default 1). */
  epochs?: number;
  /** Batch size (default 32; larger than the data means full batch). */
  batchSize?: number;
  /** Shuffle each epoch (default true; PyTorch draws its own order). */
  shuffle?: boolean;
}

/** The package's config.json. */
export interface PyTorchConfig {
  format: string;
  version: number;
  seed: number;
  dtype: 'float32' | 'float64';
  inputSize: number;
  outputSize: number;
  layers: LayerConfig[];
  modules: string[];
  compile: CompileRecord | null;
  fit: { epochs: number; batchSize: number; shuffle: boolean };
}

function checkFit(o: PyTorchFitOptions): PyTorchConfig['fit'] {
  if (typeof o !== 'object' || o === null) throw new ConfigError(`toPyTorch options must be an object, got ${describe(o)}`);
  for (const k of Object.keys(o))
    if (!['epochs', 'batchSize', 'shuffle'].includes(k)) throw new ConfigError(`toPyTorch: unknown option '${k}' (valid: epochs, batchSize, shuffle)`);
  const count = (v: unknown, name: string, fallback: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new ValueError(`toPyTorch: ${name} must be an integer >= 1, got ${describe(v)}`);
    return v;
  };
  if (o.shuffle !== undefined && typeof o.shuffle !== 'boolean') throw new ValueError(`toPyTorch: shuffle must be a boolean, got ${describe(o.shuffle)}`);
  return { epochs: count(o.epochs, 'epochs', 1), batchSize: count(o.batchSize, 'batchSize', 32), shuffle: o.shuffle ?? true };
}

/**
 * The files of the PyTorch package of `record` (a built model's, so its layers chain), by name:
 * model.py, train.py, config.json, weights.safetensors (the record's dtype; BatchNorm's
 * num_batches_tracked is the optimiser's step count when the record has training state).
 * Throws ConfigError for a layer PyTorch has no module for or a bad option. Reads the record.
 */
export function recordToPyTorch(record: ModelRecord, options: PyTorchFitOptions = {}): Record<string, Uint8Array> {
  const fit = checkFit(options);
  const modules = record.layers.map((l, i) => torchModule(l, i));
  const config: PyTorchConfig = {
    format: PYTORCH_CONFIG_FORMAT,
    version: PYTORCH_CONFIG_VERSION,
    seed: record.seed,
    dtype: record.dtype,
    ...layerSizes(record.layers),
    layers: record.layers,
    modules,
    compile: record.compile,
    fit,
  };
  const metadata: Record<string, string> = { format: 'pt', [METADATA_LAYERS]: JSON.stringify(record.layers), [METADATA_SEED]: String(record.seed) };
  if (record.compile !== null) metadata[METADATA_COMPILE] = JSON.stringify(record.compile);
  const weights = encodeSafetensors(networkToStateDict(record, record.dtype, record.training?.optimizerStep ?? 0), metadata);
  const text = (s: string) => new TextEncoder().encode(s);
  return {
    'model.py': text(modelPy(modules, record.dtype)),
    'train.py': text(TRAIN_PY),
    'config.json': text(JSON.stringify(config, null, 2) + '\n'),
    'weights.safetensors': weights,
  };
}

/** What a model is rebuilt from besides its weights. */
export interface Architecture {
  layers: LayerConfig[];
  compile: CompileRecord | null;
  seed: number | undefined;
}

function parseJSON(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ValueError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
}

function layerList(v: unknown, what: string): LayerConfig[] {
  if (
    !Array.isArray(v) ||
    v.some(
      (l) =>
        typeof l !== 'object' || l === null || typeof l.className !== 'string' || typeof l.config !== 'object' || l.config === null || Array.isArray(l.config),
    )
  ) {
    throw new ConfigError(`${what} must be a list of { className, config }, got ${describe(v)}`);
  }
  return v as LayerConfig[];
}

/** The architecture in a package's config.json (object or text). Throws ConfigError / ValueError naming the field. */
export function architectureFromConfig(config: unknown, where: string): Architecture {
  const c = (typeof config === 'string' ? parseJSON(config, `${where}: config.json`) : config) as Partial<PyTorchConfig>;
  if (typeof c !== 'object' || c === null || c.format !== PYTORCH_CONFIG_FORMAT)
    throw new ConfigError(`${where}: config.json must have format '${PYTORCH_CONFIG_FORMAT}', got ${describe((c as { format?: unknown } | null)?.format)}`);
  if (c.version !== PYTORCH_CONFIG_VERSION)
    throw new ConfigError(`${where}: config.json version ${describe(c.version)} is not supported (expected ${PYTORCH_CONFIG_VERSION})`);
  const compile = c.compile ?? null;
  if (compile !== null && (typeof compile !== 'object' || Array.isArray(compile)))
    throw new ConfigError(`${where}: config.json compile must be an object or null`);
  return { layers: layerList(c.layers, `${where}: config.json layers`), compile, seed: c.seed };
}

/** The architecture in an exported safetensors file's metadata, or null when it has none. */
export function architectureFromMetadata(metadata: Record<string, string>, where: string): Architecture | null {
  const layers = metadata[METADATA_LAYERS];
  if (layers === undefined) return null;
  const compile = metadata[METADATA_COMPILE];
  const seed = metadata[METADATA_SEED] === undefined ? undefined : Number(metadata[METADATA_SEED]);
  return {
    layers: layerList(parseJSON(layers, `${where}: metadata ${METADATA_LAYERS}`), `${where}: metadata ${METADATA_LAYERS}`),
    compile: compile === undefined ? null : (parseJSON(compile, `${where}: metadata ${METADATA_COMPILE}`) as CompileRecord),
    seed,
  };
}
