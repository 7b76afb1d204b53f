/**
 * The native model document (format 'wasmlp-model', version 2): layers, compile settings, the
 * weights as base64 little-endian float32 (wasm) or float64 (reference) with the dtype noted, and
 * optionally the training state (optimiser step and buffers, shuffle RNG) for exact resumption.
 * Version 1 documents (weights as number arrays) are still read. The binary form
 * (binary-format.ts) stores the same document as a header with the tensors' bytes after it.
 * Both convert a ModelRecord; src/model/persist.ts builds the model.
 */
import { isBackendName, BACKEND_NAMES, type BackendName } from '../engine-options.js';
import { ConfigError, ValueError, describe } from '../errors.js';
import type { RandomState } from '../random.js';
import { copyMetadata, type ModelMetadata } from './metadata.js';
import type { CompileRecord, LayerConfig, ModelRecord, PendingEpochRecord, TensorRecord } from './model-record.js';
import { decodeTensor, encodeTensor, fromBase64, toBase64, type DType } from './tensor-codec.js';

/** The identifier in the document's `format` field. */
export const MODEL_FORMAT = 'wasmlp-model';
/** The version toJSON and save write. */
export const MODEL_VERSION = 2;
/** Versions this wasmlp reads. */
export const READABLE_VERSIONS: readonly number[] = [1, 2];

/** A tensor in the JSON document: `data` is base64 of little-endian `dtype` values, row-major. */
export interface TensorJSON {
  name: string;
  shape: number[];
  dtype: DType;
  data: string;
}

/** The document's training state, present only when saved with `includeOptimizer: true`. */
export interface TrainingJSON<T = TensorJSON> {
  optimizerStep: number;
  optimizerState: T[];
  shuffleRandom: RandomState;
  /** The epoch an interrupted fit left unfinished; `order` as a float64 tensor of row indices, or null. */
  pending?: PendingEpochJSON<T>;
  /** Steps the lr schedule has taken (only when the model has a schedule). */
  scheduleStep?: number;
}

/** An unfinished epoch in the document (see PendingEpochRecord). */
export interface PendingEpochJSON<T = TensorJSON> {
  rows: number;
  batchSize: number;
  shuffle: boolean;
  nextBatch: number;
  lossSum: number;
  order: T | null;
}

/** The model document (what toJSON returns); `T` is how tensors are stored (base64 in JSON). */
export interface ModelJSON<T = TensorJSON> {
  format: typeof MODEL_FORMAT;
  version: number;
  seed: number;
  backend: BackendName;
  layers: LayerConfig[];
  compile: CompileRecord | null;
  weights: T[];
  training?: TrainingJSON<T>;
  /** The model's metadata (class labels, scaling, anything JSON), only when it has some. */
  metadata?: ModelMetadata;
}

/** Turns a record into a document, encoding each tensor with `encode`. */
export function recordToDocument<T>(r: ModelRecord, encode: (t: TensorRecord, dtype: DType) => T): ModelJSON<T> {
  const doc: ModelJSON<T> = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    seed: r.seed,
    backend: r.backend,
    layers: r.layers.map((l) => ({ className: l.className, config: { ...l.config } })),
    compile: r.compile === null ? null : { ...r.compile, optimizer: { ...r.compile.optimizer }, metrics: r.compile.metrics.slice() },
    weights: r.weights.map((t) => encode(t, r.dtype)),
  };
  if (r.metadata !== undefined && Object.keys(r.metadata).length > 0) doc.metadata = copyMetadata(r.metadata, 'metadata');
  if (r.training !== null) {
    doc.training = {
      optimizerStep: r.training.optimizerStep,
      optimizerState: r.training.optimizerState.map((t) => encode(t, r.dtype)),
      shuffleRandom: r.training.shuffleRandom,
    };
    if (r.compile?.schedule !== undefined) doc.training.scheduleStep = r.training.scheduleStep;
    const p = r.training.pending;
    if (p !== null) {
      const order = p.order === null ? null : encode({ name: 'order', shape: [p.order.length], values: Float64Array.from(p.order) }, 'float64');
      doc.training.pending = { rows: p.rows, batchSize: p.batchSize, shuffle: p.shuffle, nextBatch: p.nextBatch, lossSum: p.lossSum, order };
    }
  }
  return doc;
}

/** The version-2 JSON document of `record` (tensors as base64). Reads the record, changes nothing. */
export function recordToJSON(record: ModelRecord): ModelJSON {
  return recordToDocument(record, (t, dtype) => ({
    name: t.name ?? '',
    shape: t.shape.slice(),
    dtype,
    data: toBase64(encodeTensor(t.values, dtype)),
  }));
}

/** Values read later: how many there will be, and how to decode them (run once, on first use). */
export interface DeferredValues {
  length: number;
  decode: () => Float64Array;
}

/** Reads one tensor's values from its stored form, now or deferred; `where` names the field for errors. */
export type TensorReader = (t: Record<string, unknown>, where: string) => Float64Array | DeferredValues;

/** Checks a tensor entry's name, shape and dtype, reads its values with `read`, checks the count. */
function readTensor(t: unknown, where: string, read: TensorReader, version: number): TensorRecord {
  if (typeof t !== 'object' || t === null || Array.isArray(t)) throw new ValueError(`${where} must be an object, got ${describe(t)}`);
  const e = t as Record<string, unknown>;
  const shape = e.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw new ValueError(`${where}.shape must be an array of non-negative integers, got ${describe(shape)}`);
  if (version >= 2) {
    if (typeof e.name !== 'string') throw new ValueError(`${where}.name must be a string, got ${describe(e.name)}`);
    if (e.dtype !== 'float32' && e.dtype !== 'float64') throw new ConfigError(`${where}.dtype is ${describe(e.dtype)} (valid: float32, float64)`);
  }
  const values = read(e, where);
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  if (values.length !== count) throw new ValueError(`${where}: holds ${values.length} values but its shape [${shape.join(', ')}] needs ${count}`);
  const name = version >= 2 ? (e.name as string) : undefined;
  if (values instanceof Float64Array) return { name, shape: shape as number[], values };
  // Decoded on first read of `values`: loading compares names and shapes with the layers first.
  let decoded: Float64Array | null = null;
  const record = { name, shape: shape as number[] } as TensorRecord;
  Object.defineProperty(record, 'values', { enumerable: true, get: () => (decoded ??= values.decode()) });
  return record;
}

/** Why JSON.parse refused `text`: empty, truncated (it failed at the very end) or not valid JSON. */
function jsonFailure(text: string, message: string): string {
  const length = text.trimEnd().length;
  if (length === 0 || (length === 1 && text.charCodeAt(0) === 0xfeff)) return 'the file is empty (no JSON)';
  const at = /at position (\d+)/.exec(message);
  if (/end of JSON input/.test(message) || (at !== null && Number(at[1]) >= length - 1 && /Unterminated|Expected/.test(message))) {
    return `truncated: the JSON ends after ${length} characters (${message})`;
  }
  return `not valid JSON (${message})`;
}

/**
 * Parses and checks a document (object or JSON text) into a record, reading tensors with
 * `read` (version 2; version 1's number arrays are read directly). Throws ValueError /
 * ConfigError naming the field; builds nothing.
 */
export function documentToRecord(input: unknown, read: TensorReader, where: string): ModelRecord {
  let json = input;
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch (e) {
      throw new ValueError(`${where}: ${jsonFailure(json as string, (e as Error).message)}`);
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ValueError(`${where}: expected a model object, got ${describe(json)}`);
  const j = json as Record<string, unknown>;
  if (j.format !== MODEL_FORMAT) throw new ConfigError(`${where}: format is ${describe(j.format)}, expected '${MODEL_FORMAT}'`);
  const version = j.version as number;
  if (!READABLE_VERSIONS.includes(version))
    throw new ConfigError(`${where}: version ${describe(j.version)} is not supported (this wasmlp reads versions ${READABLE_VERSIONS.join(', ')})`);
  const seed = j.seed;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)
    throw new ValueError(`${where}: seed must be an integer in [0, 2^32), got ${describe(seed)}`);
  if (!isBackendName(j.backend)) throw new ConfigError(`${where}: backend is ${describe(j.backend)} (valid: ${BACKEND_NAMES.join(', ')})`);
  if (!Array.isArray(j.layers)) throw new ValueError(`${where}: layers must be an array, got ${describe(j.layers)}`);
  if (!Array.isArray(j.weights)) throw new ValueError(`${where}: weights must be an array, got ${describe(j.weights)}`);
  // Each layer's class and config are checked when the model is built from them.
  const layers = j.layers as LayerConfig[];
  const compile = j.compile ?? null;
  if (compile !== null && (typeof compile !== 'object' || Array.isArray(compile)))
    throw new ValueError(`${where}: compile must be an object or null, got ${describe(compile)}`);
  const readV1: TensorReader = (e, w) => {
    if (!Array.isArray(e.values)) throw new ValueError(`${w}.values must be an array of numbers`);
    return Float64Array.from(e.values as number[], (v, k) => {
      if (typeof v !== 'number') throw new ValueError(`${w}.values[${k}] is ${describe(v)}, not a number`);
      return v;
    });
  };
  const reader = version === 1 ? readV1 : read;
  const weights = j.weights.map((t, i) => readTensor(t, `${where}: weights[${i}]`, reader, version));
  let training: ModelRecord['training'] = null;
  if (j.training !== undefined && j.training !== null) {
    const t = j.training as Record<string, unknown>;
    if (typeof t !== 'object' || !Array.isArray(t.optimizerState)) throw new ValueError(`${where}: training.optimizerState must be an array`);
    training = {
      optimizerStep: t.optimizerStep as number,
      optimizerState: t.optimizerState.map((b, i) => readTensor(b, `${where}: training.optimizerState[${i}]`, read, version)),
      shuffleRandom: t.shuffleRandom as RandomState,
      scheduleStep: (t.scheduleStep ?? 0) as number,
      pending: readPending(t.pending, `${where}: training.pending`, read, version),
    };
  }
  const dtype: DType = weights.length > 0 && (j.weights[0] as { dtype?: DType }).dtype === 'float64' ? 'float64' : 'float32';
  const metadata = j.metadata === undefined ? {} : copyMetadata(j.metadata, where);
  return { seed, backend: j.backend, layers, compile: compile as ModelRecord['compile'], dtype, weights, training, metadata };
}

/** Reads the unfinished epoch of a document (its fields are checked when the model is built); null when absent. */
function readPending(p: unknown, where: string, read: TensorReader, version: number): PendingEpochRecord | null {
  if (p === undefined || p === null) return null;
  if (typeof p !== 'object' || Array.isArray(p)) throw new ValueError(`${where} must be an object, got ${describe(p)}`);
  const e = p as Record<string, unknown>;
  let order: Int32Array | null = null;
  if (e.order !== null && e.order !== undefined) {
    const values = readTensor(e.order, `${where}.order`, read, version).values;
    order = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isInteger(values[i]) || values[i] < 0 || values[i] > 0x7fffffff)
        throw new ValueError(`${where}.order[${i}] is ${values[i]}, not a row index`);
      order[i] = values[i];
    }
  }
  return { rows: e.rows, batchSize: e.batchSize, shuffle: e.shuffle, nextBatch: e.nextBatch, lossSum: e.lossSum, order } as PendingEpochRecord;
}

/** Reads a JSON document tensor: base64 `data` of its dtype. */
const readBase64: TensorReader = (e, where) => decodeTensor(fromBase64(e.data as string, `${where}.data`), e.dtype as DType, `${where}.data`);

/**
 * The record of a JSON document (object or JSON text, version 1 or 2). Throws ConfigError /
 * ValueError naming the field, prefixed with `where`.
 */
export function recordFromJSON(input: unknown, where: string): ModelRecord {
  return documentToRecord(input, readBase64, where);
}
