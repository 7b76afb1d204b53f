/**
 * Between live models and the formats other frameworks read: the PyTorch package (model.py,
 * train.py, config.json, safetensors weights), safetensors weights coming back from PyTorch, and
 * the TensorFlow.js layers format both ways. The formats themselves live in src/io/; this file
 * captures a model into a record or builds one from a record (through persist.ts).
 */
import type { BackendName } from '../engine-options.js';
import { ConfigError, ValueError, describe } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-file.js';
import type { LayerConfig, ModelRecord } from '../io/model-record.js';
import {
  architectureFromConfig,
  architectureFromMetadata,
  METADATA_LAYERS,
  recordToPyTorch,
  type Architecture,
  type PyTorchFitOptions,
} from '../io/pytorch/package.js';
import { stateDictToNetwork } from '../io/pytorch/state-dict.js';
import { parseSafetensors } from '../io/safetensors.js';
import { recordToTFJS, tfjsModelJSON, TFJS_WEIGHTS_FILE, type TFJSArtifacts } from '../io/tfjs/export.js';
import { recordFromTFJS } from '../io/tfjs/import.js';
import { Layer } from './layers.js';
import { captureModel, loadRecord, type LoadedModel, type SavableModel } from './persist.js';

export type { PyTorchFitOptions, TFJSArtifacts };

/**
 * The PyTorch package of `model` as files by name (model.py, train.py, config.json,
 * weights.safetensors). `options` are the fit settings train.py reproduces. Changes nothing.
 */
export function modelToPyTorch(model: SavableModel, options: PyTorchFitOptions = {}): Record<string, Uint8Array> {
  return recordToPyTorch(captureModel(model, true), options);
}

/**
 * Writes the PyTorch package of `model` into folder `dir` (Node; created when missing), each
 * file atomically; resolves with the paths written. With `overwrite: false`, existing files are
 * refused before anything is written.
 */
export async function exportPyTorch(model: SavableModel, dir: string, options: PyTorchFitOptions & { overwrite?: boolean } = {}): Promise<string[]> {
  const { overwrite, ...fit } = options;
  const files = modelToPyTorch(model, fit);
  const fs = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises');
  const { join } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:path');
  await fs.mkdir(dir, { recursive: true });
  const paths = Object.keys(files).map((name) => join(dir, name));
  if (overwrite === false) {
    for (const p of paths) {
      if (
        await fs.stat(p).then(
          () => true,
          () => false,
        )
      )
        throw new ValueError(`exportPyTorch: ${JSON.stringify(p)} exists; pass --force (or overwrite: true) to replace it`);
    }
  }
  for (const [name, bytes] of Object.entries(files)) await writeFileAtomic(join(dir, name), bytes, { what: 'exportPyTorch' });
  return paths;
}

/** Options of fromSafetensors. */
export interface SafetensorsImportOptions {
  /** The architecture: layers (instances or { className, config }); by default from `config` or the file's metadata. */
  layers?: readonly (Layer | LayerConfig)[];
  /** The package's config.json (object or text): architecture and compile settings. */
  config?: unknown;
  backend?: BackendName;
  /** Seed for shuffling (default: the exported model's). */
  seed?: number;
}

/**
 * Builds a model from a PyTorch state dict in safetensors form (PyTorch names and layouts, as
 * toPyTorch and train.py write). The architecture comes from `options.layers`, else
 * `options.config`, else the file's metadata; the model is compiled with the exported compile
 * settings when they are known (not with `layers` alone). Throws before building anything.
 */
export function loadFromSafetensors(bytes: Uint8Array, options: SafetensorsImportOptions = {}): LoadedModel {
  const where = 'fromSafetensors';
  if (!(bytes instanceof Uint8Array)) throw new ConfigError(`${where}: expected the file's bytes (a Uint8Array), got ${describe(bytes)}`);
  if (typeof options !== 'object' || options === null) throw new ConfigError(`${where}: options must be an object, got ${describe(options)}`);
  for (const k of Object.keys(options))
    if (!['layers', 'config', 'backend', 'seed'].includes(k)) throw new ConfigError(`${where}: unknown option '${k}' (valid: layers, config, backend, seed)`);
  const file = parseSafetensors(bytes);
  let arch: Architecture | null;
  if (options.layers !== undefined) {
    if (!Array.isArray(options.layers)) throw new ConfigError(`${where}: layers must be a list, got ${describe(options.layers)}`);
    arch = { layers: options.layers.map((l) => (l instanceof Layer ? l.toConfig() : l)), compile: null, seed: undefined };
  } else if (options.config !== undefined) {
    arch = architectureFromConfig(options.config, where);
  } else {
    arch = architectureFromMetadata(file.metadata, where);
  }
  if (arch === null)
    throw new ConfigError(`${where}: the file does not say its architecture (no ${METADATA_LAYERS} metadata): pass layers or the package's config.json`);
  const network = stateDictToNetwork(file, arch.layers, where);
  const record: ModelRecord = {
    ...network,
    seed: options.seed ?? (arch.seed as number),
    backend: options.backend ?? 'wasm',
    compile: arch.compile,
    dtype: 'float64',
    training: null,
  };
  return loadRecord(record, { backend: options.backend }, where);
}

/** The TensorFlow.js artifacts of `model` (topology, weight specs, float32 weight bytes). Changes nothing. */
export function modelToTFJSArtifacts(model: SavableModel): TFJSArtifacts {
  return recordToTFJS(captureModel(model, false));
}

/** `model.json` (text) and `weights.bin` of `model`, by file name. Changes nothing. */
export function modelToTFJS(model: SavableModel): Record<string, Uint8Array> {
  const artifacts = modelToTFJSArtifacts(model);
  return {
    'model.json': new TextEncoder().encode(JSON.stringify(tfjsModelJSON(artifacts))),
    [TFJS_WEIGHTS_FILE]: artifacts.weightData,
  };
}

/**
 * Builds an uncompiled model from a tfjs layers model: `doc` is model.json (object or text) or
 * tfjs save artifacts ({ modelTopology, weightSpecs, weightData? }); `weightData` the weight
 * bytes (ArrayBuffer or Uint8Array; default doc.weightData). Throws before building anything.
 */
export function loadFromTFJS(doc: unknown, weightData: ArrayBuffer | Uint8Array | undefined, options: { backend?: BackendName; seed?: number }): LoadedModel {
  const data = weightData ?? (doc as { weightData?: ArrayBuffer | Uint8Array } | null)?.weightData;
  const bytes = data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : null;
  if (bytes === null) throw new ConfigError(`fromTFJS: the weight data must be an ArrayBuffer or Uint8Array, got ${describe(data)}`);
  const network = recordFromTFJS(doc, bytes);
  const record: ModelRecord = { ...network, seed: options.seed as number, backend: options.backend ?? 'wasm', compile: null, dtype: 'float32', training: null };
  return loadRecord(record, { backend: options.backend }, 'fromTFJS');
}
