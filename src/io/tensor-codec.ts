/**
 * Raw tensor bytes for the save formats: float32 or float64 little-endian, and strict base64.
 * Written out by hand (not Buffer, not atob) so the same code runs in Node and browsers and so a
 * malformed base64 string is reported as such instead of decoding to garbage.
 */
import type { DType } from '../engine-options.js';
import { ValueError } from '../errors.js';

export type { DType };

/** Bytes per element of `dtype`. */
export function itemSize(dtype: DType): number {
  return dtype === 'float32' ? 4 : 8;
}

/** Encodes `values` as little-endian `dtype` bytes (float32 rounds to nearest). Returns new bytes. */
export function encodeTensor(values: ArrayLike<number>, dtype: DType): Uint8Array {
  const size = itemSize(dtype);
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    if (dtype === 'float32') view.setFloat32(i * size, values[i], true);
    else view.setFloat64(i * size, values[i], true);
  }
  return out;
}

/**
 * Decodes little-endian `dtype` bytes into float64 values (exact for both types). Throws
 * ValueError naming `what` when the byte count is not a whole number of elements.
 */
export function decodeTensor(bytes: Uint8Array, dtype: DType, what: string): Float64Array {
  const size = itemSize(dtype);
  if (bytes.length % size !== 0) throw new ValueError(`${what}: ${bytes.length} bytes is not a whole number of ${dtype} values`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(bytes.length / size);
  for (let i = 0; i < out.length; i++) out[i] = dtype === 'float32' ? view.getFloat32(i * size, true) : view.getFloat64(i * size, true);
  return out;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** Standard base64 (RFC 4648, with padding) of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? ALPHABET[n & 63] : '=';
  }
  return out;
}

/**
 * Decodes standard padded base64. Throws ValueError naming `what` for a length that is not a
 * multiple of 4, a character outside the alphabet, or misplaced padding.
 */
export function fromBase64(text: string, what: string): Uint8Array {
  if (typeof text !== 'string') throw new ValueError(`${what} must be a base64 string`);
  if (text.length % 4 !== 0) throw new ValueError(`${what}: base64 length ${text.length} is not a multiple of 4`);
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = text.charCodeAt(i + k);
      const padded = c === 61 && i + 4 === text.length && k >= 4 - pad;
      const v = padded ? 0 : c < 128 ? LOOKUP[c] : -1;
      if (v < 0) throw new ValueError(`${what}: invalid base64 character ${JSON.stringify(text[i + k])} at position ${i + k}`);
      n = (n << 6) | v;
    }
    out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
