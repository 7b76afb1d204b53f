/**
 * Model files in any of the three forms: the binary form ("WMLP" magic), the JSON document, or
 * ONNX, recognised by their first bytes and decoded into records. Node paths are read and written
 * through a dynamic import of node:fs/promises so browser bundles never pull it in; browsers
 * pass bytes, an ArrayBuffer or a Blob (a File from an <input>, a fetch() body's blob()).
 */
import { ValueError, describe } from '../errors.js';
import { BINARY_MAGIC, isBinaryModel, recordFromBytes } from './binary-format.js';
import { recordFromJSON } from './json-format.js';
import type { ModelRecord, NetworkRecord } from './model-record.js';
import { onnxCodec } from './onnx/onnx-codec.js';

/** The largest model file read from a path (2 GiB): a bound checked before reading. */
export const MAX_MODEL_FILE_BYTES = 2 ** 31;

/** Where a model can be loaded from. */
export type ModelSource = Uint8Array | ArrayBuffer | Blob | string;

/** Which form `bytes` hold: 'binary' (magic), 'json' (starts with '{' after blanks) or 'onnx' (anything else). */
export function sniffFormat(bytes: Uint8Array): 'binary' | 'json' | 'onnx' {
  // A file cut inside the magic itself is still a binary model (reported as truncated).
  if (isBinaryModel(bytes) || (bytes.length > 0 && bytes.length < 4 && BINARY_MAGIC.subarray(0, bytes.length).every((b, i) => bytes[i] === b))) return 'binary';
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3; // UTF-8 BOM
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b ? 'json' : 'onnx';
}

/**
 * What a model file holds: a whole model (binary or JSON form; `where` is the prefix its
 * messages use), or an ONNX network (no seed, backend or training).
 */
export type DecodedModelFile = { kind: 'model'; record: ModelRecord; where: string } | { kind: 'network'; record: NetworkRecord };

/**
 * Decodes the bytes of any model file (binary, JSON or ONNX) into its record. Throws as the
 * matching decoder does: 'load: ...' for the binary form, 'fromJSON: ...' and 'fromONNX: ...';
 * ONNX needs the ONNX code loaded (io/onnx/loader.ts), else StateError.
 */
export function decodeModelFile(bytes: Uint8Array): DecodedModelFile {
  if (bytes.length === 0) throw new ValueError('load: the file is empty (0 bytes)');
  switch (sniffFormat(bytes)) {
    case 'binary':
      return { kind: 'model', record: recordFromBytes(bytes, 'load'), where: 'load' };
    case 'json': {
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        throw new ValueError('load: the JSON model is not valid UTF-8');
      }
      return { kind: 'model', record: recordFromJSON(text, 'fromJSON'), where: 'fromJSON' };
    }
    default:
      return { kind: 'network', record: onnxCodec('load').recordFromONNX(bytes) };
  }
}

/** Reads a source into bytes: a path (Node), a Blob, an ArrayBuffer or bytes (not copied). Throws ValueError naming a path it cannot read. */
export async function readSource(source: ModelSource): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof Blob !== 'undefined' && source instanceof Blob) return new Uint8Array(await source.arrayBuffer());
  // Paths are Node only: the file code loads on first use, so browser pages never ship it.
  if (typeof source === 'string') return (await import('./atomic-file.js')).readFileBounded(source, MAX_MODEL_FILE_BYTES, 'load');
  throw new ValueError(`load: expected a path, Uint8Array, ArrayBuffer or Blob, got ${describe(source)}`);
}

/**
 * Writes `bytes` to `path` (Node only), whole or not at all (temporary file, fsync, rename: a
 * crash leaves the previous file intact). Writes to one path run in call order. A missing
 * folder is a ValueError naming the path.
 */
export async function writeFileBytes(path: string, bytes: Uint8Array): Promise<void> {
  const { writeFileAtomic } = await import('./atomic-file.js');
  await writeFileAtomic(path, bytes, { what: 'save' });
}
