/**
 * The safetensors format (what Hugging Face and PyTorch users pass weights around in): 8 bytes of
 * little-endian header length N, N bytes of UTF-8 JSON `{ name: { dtype, shape, data_offsets },
 * __metadata__?: { string: string } }`, then the raw little-endian tensor bytes. No npm package
 * implements it with the format's rules enforced, so this reader is small and strict: it refuses
 * what the reference implementation refuses (header over 100 MB, invalid UTF-8 or JSON, duplicate
 * keys, unknown dtypes, offsets that leave gaps, overlap or run past the data, shapes whose size
 * does not match the bytes) before decoding any tensor.
 */
import { ValueError, describe } from '../errors.js';
import { checkStrictJSON } from './strict-json.js';

/** The reference implementation's limit on the header's length. */
export const MAX_SAFETENSORS_HEADER = 100_000_000;

/** Bytes per element of each dtype the format defines. */
export const SAFETENSORS_DTYPES = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
} as const;

/** A dtype of the format. */
export type SafetensorsDType = keyof typeof SAFETENSORS_DTYPES;

/** One tensor: its dtype, shape and raw little-endian bytes (a view into the file for parsed ones). */
export interface SafetensorsTensor {
  dtype: SafetensorsDType;
  shape: number[];
  data: Uint8Array;
}

/** A parsed file: tensors by name in file order, and the `__metadata__` strings (empty when absent). */
export interface SafetensorsFile {
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

const INFO_KEYS = ['dtype', 'shape', 'data_offsets'];

/**
 * Parses safetensors bytes. Throws ValueError naming the rule that failed: a short file, a header
 * length over MAX_SAFETENSORS_HEADER or past the end, a header that is not UTF-8 JSON object
 * text or repeats a key, a bad tensor entry (unknown dtype, shape, offsets), offsets that do not
 * tile the data exactly, or a metadata value that is not a string. Reads `bytes`, changes nothing.
 */
export function parseSafetensors(bytes: Uint8Array): SafetensorsFile {
  const fail = (why: string): never => {
    throw new ValueError(`safetensors: ${why}`);
  };
  if (bytes.length < 8) fail(`the file has ${bytes.length} bytes, fewer than the 8 of its header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_SAFETENSORS_HEADER)) fail(`header length ${n} exceeds the ${MAX_SAFETENSORS_HEADER}-byte limit`);
  const headerLength = Number(n);
  if (8 + headerLength > bytes.length) fail(`header length ${headerLength} runs past the end of the ${bytes.length}-byte file`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    return fail('the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail('the header must be a JSON object starting with "{"');
  checkStrictJSON(text, 'safetensors header');
  const header = JSON.parse(text) as Record<string, unknown>;
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('the header must be a JSON object');
  const data = bytes.subarray(8 + headerLength);
  const metadata: Record<string, string> = {};
  const entries: { name: string; tensor: SafetensorsTensor; begin: number; end: number }[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (typeof info !== 'object' || info === null || Array.isArray(info)) fail('__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(info as object)) {
        if (typeof v !== 'string') fail(`__metadata__[${JSON.stringify(k)}] must be a string, got ${describe(v)}`);
        metadata[k] = v as string;
      }
      continue;
    }
    entries.push({ name, ...tensorEntry(name, info, data, fail) });
  }
  // The tensors, ordered by offset, must tile the data: each starts where the last ended, the last ends at the end.
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (e.begin !== at)
      fail(`tensor ${JSON.stringify(e.name)} starts at byte ${e.begin} of the data but the previous one ends at ${at} (${e.begin < at ? 'overlap' : 'a gap'})`);
    at = e.end;
  }
  if (at !== data.length) fail(`the tensors cover ${at} bytes of data but ${data.length} follow the header`);
  const tensors = new Map<string, SafetensorsTensor>();
  for (const e of entries) tensors.set(e.name, e.tensor);
  return { tensors, metadata };
}

function tensorEntry(name: string, info: unknown, data: Uint8Array, fail: (why: string) => never): { tensor: SafetensorsTensor; begin: number; end: number } {
  const where = `tensor ${JSON.stringify(name)}`;
  if (typeof info !== 'object' || info === null || Array.isArray(info)) fail(`${where} must be { dtype, shape, data_offsets }, got ${describe(info)}`);
  const o = info as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!INFO_KEYS.includes(k)) fail(`${where} has an unknown field ${JSON.stringify(k)} (valid: ${INFO_KEYS.join(', ')})`);
  const dtype = o.dtype as SafetensorsDType;
  if (typeof dtype !== 'string' || !Object.hasOwn(SAFETENSORS_DTYPES, dtype))
    fail(`${where}: unknown dtype ${describe(o.dtype)} (valid: ${Object.keys(SAFETENSORS_DTYPES).join(', ')})`);
  const shape = o.shape;
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0))
    fail(`${where}: shape must be a list of integers >= 0, got ${describe(shape)}`);
  const offsets = o.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((d) => typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0)) {
    fail(`${where}: data_offsets must be [begin, end] integers >= 0, got ${describe(offsets)}`);
  }
  const [begin, end] = offsets as number[];
  if (end < begin) fail(`${where}: data_offsets [${begin}, ${end}] end before they begin`);
  if (end > data.length) fail(`${where}: data_offsets [${begin}, ${end}] run past the ${data.length} bytes of data`);
  let count = 1;
  for (const d of shape as number[]) count *= d;
  const want = count * SAFETENSORS_DTYPES[dtype];
  if (want !== end - begin) fail(`${where}: shape [${(shape as number[]).join(', ')}] of ${dtype} needs ${want} bytes but data_offsets span ${end - begin}`);
  return { tensor: { dtype, shape: (shape as number[]).slice(), data: data.subarray(begin, end) }, begin, end };
}

/**
 * Encodes tensors (in the order given) and string metadata as a safetensors file, the header
 * padded with spaces to a multiple of 8 bytes as the reference writer does. Throws ValueError for
 * a repeated or reserved name, or a tensor whose bytes do not match its dtype and shape.
 */
export function encodeSafetensors(tensors: readonly (SafetensorsTensor & { name: string })[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  let offset = 0;
  for (const t of tensors) {
    if (t.name === '__metadata__' || Object.hasOwn(header, t.name))
      throw new ValueError(`safetensors: tensor name ${JSON.stringify(t.name)} is repeated or reserved`);
    const want = t.shape.reduce((a, b) => a * b, 1) * SAFETENSORS_DTYPES[t.dtype];
    if (want !== t.data.length) throw new ValueError(`safetensors: tensor ${JSON.stringify(t.name)} has ${t.data.length} bytes, its shape needs ${want}`);
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.length] };
    offset += t.data.length;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const head = new Uint8Array(padded).fill(0x20);
  head.set(json);
  json = head;
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of tensors) {
    out.set(t.data, at);
    at += t.data.length;
  }
  return out;
}

/**
 * A float or integer tensor's values as float64 (exact for F32, F64, F16, BF16 and integers up to
 * 2^53). Throws ValueError naming `what` for BOOL, FP8 and 64-bit integers beyond 2^53.
 */
export function tensorToFloat64(t: SafetensorsTensor, what: string): Float64Array {
  const size = SAFETENSORS_DTYPES[t.dtype];
  const view = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const out = new Float64Array(t.data.length / size);
  const read = READERS[t.dtype];
  if (read === undefined) throw new ValueError(`${what}: dtype ${t.dtype} is not a number type wasmlp reads`);
  for (let i = 0; i < out.length; i++) out[i] = read(view, i * size);
  for (let i = 0; i < out.length; i++)
    if (!Number.isFinite(out[i]) && (t.dtype === 'I64' || t.dtype === 'U64')) throw new ValueError(`${what}[${i}] is beyond 2^53`);
  return out;
}

function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1,
    exp = (bits >> 10) & 31,
    frac = bits & 1023;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function safeBig(v: bigint): number {
  return v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(v);
}

const READERS: Partial<Record<SafetensorsDType, (v: DataView, at: number) => number>> = {
  U8: (v, at) => v.getUint8(at),
  I8: (v, at) => v.getInt8(at),
  I16: (v, at) => v.getInt16(at, true),
  U16: (v, at) => v.getUint16(at, true),
  I32: (v, at) => v.getInt32(at, true),
  U32: (v, at) => v.getUint32(at, true),
  F32: (v, at) => v.getFloat32(at, true),
  F64: (v, at) => v.getFloat64(at, true),
  F16: (v, at) => half(v.getUint16(at, true)),
  BF16: (v, at) => {
    const b = new DataView(new ArrayBuffer(4));
    b.setUint32(0, v.getUint16(at, true) << 16);
    return b.getFloat32(0);
  },
  I64: (v, at) => safeBig(v.getBigInt64(at, true)),
  U64: (v, at) => safeBig(v.getBigUint64(at, true)),
};
