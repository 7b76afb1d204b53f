/**
 * The compact binary model file: the same document as the JSON form (json-format.ts),
 * but with each tensor's bytes stored raw after the header instead of as base64.
 *
 *   bytes 0-3   magic "WMLP"
 *   bytes 4-5   container version (uint16 LE), currently 1
 *   bytes 6-7   reserved, 0
 *   bytes 8-11  header length H in bytes (uint32 LE)
 *   12 .. 12+H  the document as UTF-8 JSON; each tensor is { name, shape, dtype, offset, byteLength }
 *   then        zero padding to a multiple of 8, then the data section: every tensor's
 *               little-endian values at `offset` bytes from the start of the data section
 */
import { ConfigError, ValueError, describe } from '../errors.js';
import { documentToRecord, recordToDocument, type TensorReader } from './json-format.js';
import type { ModelRecord } from './model-record.js';
import { decodeTensor, encodeTensor, itemSize, type DType } from './tensor-codec.js';

/** The first four bytes of a binary model file: "WMLP". */
export const BINARY_MAGIC = Uint8Array.of(0x57, 0x4d, 0x4c, 0x50);
/** The container layout version written in bytes 4-5. */
export const BINARY_VERSION = 1;
const PREFIX = 12;

/** True when `bytes` starts with the binary model magic. */
export function isBinaryModel(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && BINARY_MAGIC.every((b, i) => bytes[i] === b);
}

/** Encodes `record` as a binary file. Returns new bytes; changes nothing. */
export function recordToBytes(record: ModelRecord): Uint8Array {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const doc = recordToDocument(record, (t, dtype) => {
    const bytes = encodeTensor(t.values, dtype);
    const entry = { name: t.name, shape: t.shape.slice(), dtype, offset, byteLength: bytes.length };
    chunks.push(bytes);
    offset += bytes.length;
    return entry;
  });
  const header = new TextEncoder().encode(JSON.stringify(doc));
  const dataStart = Math.ceil((PREFIX + header.length) / 8) * 8;
  const out = new Uint8Array(dataStart + offset);
  out.set(BINARY_MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint16(4, BINARY_VERSION, true);
  view.setUint32(8, header.length, true);
  out.set(header, PREFIX);
  let at = dataStart;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * The record of a binary file. Throws ValueError for a bad magic, a truncated file, or a header
 * length or tensor range that runs past the end; then the document checks of the JSON form.
 * Messages start with `where`.
 */
export function recordFromBytes(bytes: Uint8Array, where = 'load'): ModelRecord {
  if (!(bytes instanceof Uint8Array)) throw new ValueError(`${where}: expected a Uint8Array, got ${describe(bytes)}`);
  if (!isBinaryModel(bytes)) throw new ValueError(`${where}: not a wasmlp binary model (the first bytes are not the magic "WMLP")`);
  if (bytes.length < PREFIX) throw new ValueError(`${where}: truncated: ${bytes.length} bytes is shorter than the ${PREFIX}-byte prefix`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version !== BINARY_VERSION) throw new ConfigError(`${where}: binary container version ${version} is not supported (this wasmlp reads ${BINARY_VERSION})`);
  const headerLength = view.getUint32(8, true);
  if (headerLength > bytes.length - PREFIX) throw new ValueError(`${where}: header length ${headerLength} overflows the file (${bytes.length - PREFIX} bytes after the prefix): truncated or corrupt`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX, PREFIX + headerLength));
  } catch {
    throw new ValueError(`${where}: the header is not valid UTF-8`);
  }
  const dataStart = Math.ceil((PREFIX + headerLength) / 8) * 8;
  const data = bytes.subarray(Math.min(dataStart, bytes.length));
  const read: TensorReader = (e, w) => {
    const { offset, byteLength } = e;
    for (const [k, v] of [['offset', offset], ['byteLength', byteLength]] as const) {
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new ValueError(`${w}.${k} must be a non-negative integer, got ${describe(v)}`);
    }
    const [o, n] = [offset as number, byteLength as number];
    if (o + n > data.length) throw new ValueError(`${w}: bytes ${o}..${o + n} overflow the data section (${data.length} bytes): truncated or corrupt`);
    const dtype = e.dtype as DType;
    if (n % itemSize(dtype) !== 0) throw new ValueError(`${w}.byteLength ${n} is not a multiple of ${itemSize(dtype)} (${dtype})`);
    return decodeTensor(data.subarray(o, o + n), dtype, w);
  };
  return documentToRecord(text, read, where);
}
