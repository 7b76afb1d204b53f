/**
 * Saving and loading model files in any of the three forms: the binary form ("WMLP" magic),
 * the JSON document, or ONNX, recognised by their first bytes. Node paths are read and written
 * through a dynamic import of node:fs/promises so browser bundles never pull it in; browsers
 * pass bytes, an ArrayBuffer or a Blob (a File from an <input>, a fetch() body's blob()).
 */
import { ValueError, describe } from '../errors.js';
import type { BackendName } from '../model/backends.js';
import { modelFromJSON, type SaveOptions } from '../model/serialize.js';
import type { Sequential } from '../model/sequential.js';
import { isBinaryModel, modelFromBytes, modelToBytes } from './binary-format.js';
import { modelFromONNX } from './onnx/import.js';
import { readFileBounded, writeFileAtomic } from './atomic-file.js';

/** The largest model file read from a path (2 GiB): a bound checked before reading. */
export const MAX_MODEL_FILE_BYTES = 2 ** 31;

/** Where a model can be loaded from. */
export type ModelSource = Uint8Array | ArrayBuffer | Blob | string;

/** Which form `bytes` hold: 'binary' (magic), 'json' (starts with '{' after blanks) or 'onnx' (anything else). */
export function sniffFormat(bytes: Uint8Array): 'binary' | 'json' | 'onnx' {
  if (isBinaryModel(bytes)) return 'binary';
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3; // UTF-8 BOM
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b ? 'json' : 'onnx';
}

/** Builds a model from the bytes of any model file (binary, JSON or ONNX). Throws as the matching loader does. */
export function modelFromAnyBytes(bytes: Uint8Array, options: { backend?: BackendName } = {}): Sequential {
  switch (sniffFormat(bytes)) {
    case 'binary': return modelFromBytes(bytes, options);
    case 'json': {
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        throw new ValueError('load: the JSON model is not valid UTF-8');
      }
      return modelFromJSON(text, options);
    }
    default: return modelFromONNX(bytes, options);
  }
}

/** Reads a source into bytes: a path (Node), a Blob, an ArrayBuffer or bytes (not copied). */
async function bytesOf(source: ModelSource): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof Blob !== 'undefined' && source instanceof Blob) return new Uint8Array(await source.arrayBuffer());
  if (typeof source === 'string') return readFileBounded(source, MAX_MODEL_FILE_BYTES, 'load');
  throw new ValueError(`load: expected a path, Uint8Array, ArrayBuffer or Blob, got ${describe(source)}`);
}

/** Loads a model from a file path (Node), bytes or a Blob, in any of the three forms. */
export async function loadModel(source: ModelSource, options: { backend?: BackendName } = {}): Promise<Sequential> {
  return modelFromAnyBytes(await bytesOf(source), options);
}

/**
 * Writes `model` in the binary form to `path` (Node only), whole or not at all (temporary file,
 * fsync, rename: a crash leaves the previous file intact), and resolves with the bytes written.
 * Saves to one path run in call order. A missing folder is a ValueError naming the path.
 */
export async function saveModel(model: Sequential, path: string, options: SaveOptions = {}): Promise<Uint8Array> {
  const bytes = modelToBytes(model, options);
  await writeFileAtomic(path, bytes, { what: 'save' });
  return bytes;
}
