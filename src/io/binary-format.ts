/**
 * The compact binary model file: the same document as the JSON form (json-format.ts),
 * but with each tensor's bytes stored raw after the header instead of as base64.
 *
 *   bytes 0-3   magic "WMLP"
 *   bytes 4-5   container version (uint16 LE), currently 2 (1 is still read)
 *   bytes 6-7   reserved, 0
 *   bytes 8-11  header length H in bytes (uint32 LE)
 *   12 .. 12+H  the document as UTF-8 JSON; each tensor is { name, shape, dtype, offset, byteLength }
 *   then        zero padding to a multiple of 8, then the data section: every tensor's
 *               little-endian values at `offset` bytes from the start of the data section,
 *               one after another in table order, nothing else
 *   last 4      (version 2) CRC-32 of every byte before it (uint32 LE)
 *
 * Reading checks the tensor table before decoding any tensor: every entry's byte range matches
 * its shape and dtype, and the ranges tile the data section exactly (no overlap, no gap, no
 * trailing bytes), so decoding costs at most the file's own size; then the checksum.
 */
import { ConfigError, ValueError, describe } from '../errors.js';
import { documentToRecord, recordToDocument, type TensorReader } from './json-format.js';
import type { ModelRecord } from './model-record.js';
import CRC32 from 'crc-32';
import { checkTensorTable, type TableEntry } from './tensor-table.js';
import { decodeTensor, encodeTensor, itemSize } from './tensor-codec.js';

/** The first four bytes of a binary model file: "WMLP". */
export const BINARY_MAGIC = Uint8Array.of(0x57, 0x4d, 0x4c, 0x50);
/** The container layout version written in bytes 4-5 (2: with the CRC-32 trailer). */
export const BINARY_VERSION = 2;
/** Container versions this wasmlp reads (1: no checksum). */
export const READABLE_BINARY_VERSIONS: readonly number[] = [1, 2];
const PREFIX = 12;
/** Bytes of the version-2 checksum trailer. */
const TRAILER = 4;

/** CRC-32 (IEEE) of `bytes` as an unsigned 32-bit integer. */
function crc32(bytes: Uint8Array): number {
  return CRC32.buf(bytes) >>> 0;
}

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
  const out = new Uint8Array(dataStart + offset + TRAILER);
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
  view.setUint32(at, crc32(out.subarray(0, at)), true);
  return out;
}

/**
 * The record of a binary file. Throws ValueError for an empty or truncated file (saying so), a
 * bad magic, a header length or tensor range that runs past the end, a tensor table whose
 * ranges overlap, leave gaps or do not match their shapes, trailing bytes, or (version 2) a
 * checksum mismatch, all before any tensor is decoded; then the document checks of the JSON
 * form. Messages start with `where`.
 */
export function recordFromBytes(bytes: Uint8Array, where = 'load'): ModelRecord {
  if (!(bytes instanceof Uint8Array)) throw new ValueError(`${where}: expected a Uint8Array, got ${describe(bytes)}`);
  if (bytes.length === 0) throw new ValueError(`${where}: the file is empty (0 bytes)`);
  if (!isBinaryModel(bytes)) {
    if (bytes.length < 4 && BINARY_MAGIC.subarray(0, bytes.length).every((b, i) => bytes[i] === b))
      throw new ValueError(`${where}: truncated: ${bytes.length} bytes is shorter than the ${PREFIX}-byte prefix`);
    throw new ValueError(`${where}: not a wasmlp binary model (the first bytes are not the magic "WMLP")`);
  }
  if (bytes.length < PREFIX) throw new ValueError(`${where}: truncated: ${bytes.length} bytes is shorter than the ${PREFIX}-byte prefix`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (!READABLE_BINARY_VERSIONS.includes(version))
    throw new ConfigError(`${where}: binary container version ${version} is not supported (this wasmlp reads ${READABLE_BINARY_VERSIONS.join(', ')})`);
  const trailer = version >= 2 ? TRAILER : 0;
  if (bytes.length < PREFIX + trailer)
    throw new ValueError(`${where}: truncated: ${bytes.length} bytes is shorter than a version-${version} file's ${PREFIX + trailer}-byte frame`);
  const headerLength = view.getUint32(8, true);
  if (headerLength > bytes.length - PREFIX - trailer)
    throw new ValueError(
      `${where}: truncated or corrupt: header length ${headerLength} overflows the file (${bytes.length - PREFIX - trailer} bytes after the prefix)`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX, PREFIX + headerLength));
  } catch {
    throw new ValueError(`${where}: the header is not valid UTF-8`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ValueError(`${where}: the header is not valid JSON (${(e as Error).message})`);
  }
  const dataStart = Math.ceil((PREFIX + headerLength) / 8) * 8;
  // The table is checked, and the file's length with it, before any tensor is decoded.
  const dataLength = checkTensorTable(doc, where);
  const expected = dataStart + dataLength + trailer;
  if (bytes.length < expected) throw new ValueError(`${where}: truncated: ${bytes.length} bytes, but the header describes ${expected}`);
  if (bytes.length > expected) throw new ValueError(`${where}: ${bytes.length - expected} trailing bytes after the ${expected} the header describes`);
  for (let i = PREFIX + headerLength; i < dataStart; i++) {
    if (bytes[i] !== 0) throw new ValueError(`${where}: padding byte ${i} is ${bytes[i]}, not 0: corrupt`);
  }
  if (trailer > 0) {
    const stored = view.getUint32(bytes.length - TRAILER, true);
    const actual = crc32(bytes.subarray(0, bytes.length - TRAILER));
    if (stored !== actual)
      throw new ValueError(`${where}: checksum mismatch (stored CRC-32 ${hex(stored)}, computed ${hex(actual)}): the file is torn, truncated or corrupt`);
  }
  const data = bytes.subarray(dataStart, dataStart + dataLength);
  // Decoding waits until a tensor's values are first read: persist.ts compares names and shapes with the layers first.
  const read: TensorReader = (e, w) => {
    const { offset, byteLength, dtype } = e as unknown as TableEntry;
    return { length: byteLength / itemSize(dtype), decode: () => decodeTensor(data.subarray(offset, offset + byteLength), dtype, w) };
  };
  return documentToRecord(doc, read, where);
}

function hex(v: number): string {
  return '0x' + v.toString(16).padStart(8, '0');
}
