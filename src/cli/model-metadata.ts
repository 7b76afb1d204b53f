/**
 * What `wasmlp train` keeps in a model's metadata so that `predict` and `evaluate` read new rows
 * as training did and print what the user's data said: the task, the class names of text
 * labels, the feature scaling, and the column names.
 */
import { scalerFromJSON, type Scaler, type ScalerJSON } from '../datasets/scalers.js';
import type { JSONValue, ModelMetadata } from '../io/metadata.js';
import { UsageError } from './usage-error.js';

/** The metadata the CLI writes and reads (under these keys of model.metadata). */
export interface CLIMetadata {
  task?: 'classification' | 'regression';
  /** Class names in index order. */
  labels?: string[];
  /** The fitted feature scaler (`--scale`). */
  scaler?: ScalerJSON;
  featureNames?: string[];
  targetNames?: string[];
}

/** The metadata object for a trained model (undefined fields left out). Returns a new object. */
export function cliMetadata(m: CLIMetadata): ModelMetadata {
  const out: ModelMetadata = {};
  for (const [k, v] of Object.entries(m)) if (v !== undefined) out[k] = v as JSONValue;
  return out;
}

/** What a loaded model's metadata says for the CLI: task, class names and a rebuilt scaler. Throws UsageError for malformed entries. */
export function readCLIMetadata(
  metadata: ModelMetadata,
  file: string,
): { task?: 'classification' | 'regression'; labels?: string[]; scaler?: Scaler; targetNames?: string[] } {
  const task = metadata.task === 'regression' || metadata.task === 'classification' ? metadata.task : undefined;
  const strings = (key: string): string[] | undefined => {
    const v = metadata[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((e) => typeof e !== 'string')) throw new UsageError(`${file}: metadata.${key} must be a list of names`);
    return v as string[];
  };
  let scaler: Scaler | undefined;
  if (metadata.scaler !== undefined) {
    try {
      scaler = scalerFromJSON(metadata.scaler as unknown as ScalerJSON);
    } catch (e) {
      throw new UsageError(`${file}: metadata.scaler: ${(e as Error).message}`);
    }
  }
  return { task, labels: strings('labels'), scaler, targetNames: strings('targetNames') };
}
