/**
 * The IDX file format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a 4-byte
 * magic number 0x00 0x00 TYPE NDIMS, NDIMS big-endian uint32 sizes, then the values, row-major,
 * big-endian for multi-byte types. Works in Node and browsers (no Node imports).
 */
import { ValueError, describe } from '../errors.js';

/** Element types of IDX files, by their type code. */
export type IDXType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array each IDX type is read into. */
export type IDXData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX file: element type, dimensions (outermost first) and the values, row-major. */
export interface IDXArray {
  type: IDXType;
  shape: number[];
  data: IDXData;
}

/** Type code (third magic byte) → element type and size in bytes. */
export const IDX_TYPES: Readonly<Record<number, { type: IDXType; bytes: number }>> = Object.freeze({
  0x08: { type: 'uint8', bytes: 1 },
  0x09: { type: 'int8', bytes: 1 },
  0x0b: { type: 'int16', bytes: 2 },
  0x0c: { type: 'int32', bytes: 4 },
  0x0d: { type: 'float32', bytes: 4 },
  0x0e: { type: 'float64', bytes: 8 },
});

/** The most elements an IDX file may declare (2^31): larger headers are refused before any allocation. */
export const MAX_IDX_ELEMENTS = 2 ** 31;

const hex = (b: number): string => '0x' + b.toString(16).padStart(2, '0');

/**
 * Parses an uncompressed IDX file. Checks, in order, each with a ValueError that says what is
 * wrong: at least the 4 magic bytes; the two leading zero bytes; a known type code; at least one
 * dimension; the complete dimension list; a total element count <= 2^31 (checked before
 * allocating); and a data length that matches the header exactly (truncated and trailing bytes
 * are both refused). Multi-byte values are read big-endian. Returns new arrays; `bytes` is not
 * mutated.
 */
export function parseIDX(bytes: Uint8Array): IDXArray {
  if (!(bytes instanceof Uint8Array)) throw new ValueError(`parseIDX: expected a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  if (bytes.length < 4) throw new ValueError(`parseIDX: truncated file: ${bytes.length} bytes, shorter than the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const gz = bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (this is gzip data: use readIDX, which decompresses it)' : '';
    throw new ValueError(`parseIDX: bad magic number: the first two bytes must be 0x00 0x00, got ${hex(bytes[0])} ${hex(bytes[1])}${gz}`);
  }
  const code = bytes[2];
  const kind = IDX_TYPES[code];
  if (kind === undefined) {
    const known = Object.entries(IDX_TYPES)
      .map(([c, t]) => `${hex(Number(c))} ${t.type}`)
      .join(', ');
    throw new ValueError(`parseIDX: unknown type code ${hex(code)} in the magic number (known: ${known})`);
  }
  const ndims = bytes[3];
  if (ndims === 0) throw new ValueError('parseIDX: the header declares 0 dimensions; an IDX file needs at least one');
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new ValueError(`parseIDX: truncated header: ${ndims} dimensions need ${headerBytes} header bytes, the file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < ndims; d++) shape.push(view.getUint32(4 + 4 * d, false));
  // Multiply in float64 and stop at the limit: the product can neither wrap (as 32-bit integer
  // arithmetic would) nor reach Infinity (up to 255 sizes below 2^32 each). A zero size means an
  // empty array, whatever the other sizes are.
  let elements = shape.includes(0) ? 0 : 1;
  for (const size of shape) {
    elements *= size;
    if (elements > MAX_IDX_ELEMENTS) {
      throw new ValueError(`parseIDX: dimensions [${shape.join(', ')}] declare more than 2^31 elements (the limit); refusing the file before allocating`);
    }
  }
  const expected = headerBytes + elements * kind.bytes;
  if (bytes.length < expected) {
    throw new ValueError(
      `parseIDX: truncated file: dimensions [${shape.join(', ')}] of ${kind.type} need ${expected} bytes, the file has ${bytes.length} (${expected - bytes.length} missing)`,
    );
  }
  if (bytes.length > expected) {
    throw new ValueError(
      `parseIDX: ${bytes.length - expected} trailing bytes: dimensions [${shape.join(', ')}] of ${kind.type} need exactly ${expected} bytes, the file has ${bytes.length}`,
    );
  }
  return { type: kind.type, shape, data: readValues(view, headerBytes, elements, kind.type) };
}

/** Reads `count` big-endian values of `type` from `view` at byte `offset` into a new typed array. */
function readValues(view: DataView, offset: number, count: number, type: IDXType): IDXData {
  switch (type) {
    case 'uint8':
      return new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'int8':
      return new Int8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'int16': {
      const a = new Int16Array(count);
      for (let i = 0; i < count; i++) a[i] = view.getInt16(offset + 2 * i, false);
      return a;
    }
    case 'int32': {
      const a = new Int32Array(count);
      for (let i = 0; i < count; i++) a[i] = view.getInt32(offset + 4 * i, false);
      return a;
    }
    case 'float32': {
      const a = new Float32Array(count);
      for (let i = 0; i < count; i++) a[i] = view.getFloat32(offset + 4 * i, false);
      return a;
    }
    case 'float64': {
      const a = new Float64Array(count);
      for (let i = 0; i < count; i++) a[i] = view.getFloat64(offset + 8 * i, false);
      return a;
    }
  }
}

/**
 * Encodes an array as an IDX file (the inverse of parseIDX): `type` defaults from the typed array
 * (Uint8Array → uint8, …), multi-byte values are written big-endian. Throws ValueError when the
 * shape does not match the data length. Returns a new buffer; mutates nothing.
 */
export function encodeIDX(array: { type?: IDXType; shape: readonly number[]; data: ArrayLike<number> }): Uint8Array {
  const type = array.type ?? typeOfArray(array.data);
  const entry = Object.entries(IDX_TYPES).find(([, t]) => t.type === type);
  if (entry === undefined) throw new ValueError(`encodeIDX: unknown type ${describe(type)}`);
  const [code, { bytes: size }] = entry;
  const { shape, data } = array;
  if (shape.length < 1 || shape.length > 255 || shape.some((d) => !Number.isInteger(d) || d < 0 || d >= 2 ** 32)) {
    throw new ValueError(`encodeIDX: shape must have 1 to 255 sizes in [0, 2^32), got [${shape.join(', ')}]`);
  }
  const count = shape.reduce((p, d) => p * d, 1);
  if (count !== data.length) throw new ValueError(`encodeIDX: shape [${shape.join(', ')}] needs ${count} values, data has ${data.length}`);
  const out = new Uint8Array(4 + 4 * shape.length + count * size);
  const view = new DataView(out.buffer);
  out[2] = Number(code);
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const at = 4 + 4 * shape.length;
  for (let i = 0; i < count; i++) {
    const v = data[i];
    switch (type) {
      case 'uint8':
        view.setUint8(at + i, v);
        break;
      case 'int8':
        view.setInt8(at + i, v);
        break;
      case 'int16':
        view.setInt16(at + 2 * i, v, false);
        break;
      case 'int32':
        view.setInt32(at + 4 * i, v, false);
        break;
      case 'float32':
        view.setFloat32(at + 4 * i, v, false);
        break;
      case 'float64':
        view.setFloat64(at + 8 * i, v, false);
        break;
    }
  }
  return out;
}

/** The IDX type matching a typed array's class (float64 for plain arrays). */
function typeOfArray(data: ArrayLike<number>): IDXType {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float32Array) return 'float32';
  return 'float64';
}

/** True when `bytes` starts with the gzip magic number 0x1f 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Options of gunzip. */
export interface GunzipOptions {
  /**
   * The most decompressed bytes accepted: decompression stops, and a ValueError says so, as soon
   * as the output would pass it, so a small file that inflates to gigabytes is never held whole.
   */
  maxBytes?: number;
  /**
   * Called with the first bytes decompressed so far after each chunk until it returns a finite
   * size: the total size the data may have (Infinity while unknown). readIDX uses it to stop as
   * soon as the output passes the size the IDX header declares.
   */
  limitFrom?: (head: Uint8Array, total: number) => number;
}

/** The most bytes gunzip decompresses by default (2^31 elements of float64 plus a header). */
export const MAX_GUNZIP_BYTES = 2 ** 34;

/**
 * Decompresses gzip data with the platform's DecompressionStream('gzip') (Node 18+, browsers).
 * A truncated or corrupt stream gives a ValueError that says so; output past `maxBytes` (or the
 * limit `limitFrom` derives from the first bytes) stops the decompression at once with a
 * ValueError. Returns a new buffer; `bytes` is not mutated.
 */
export async function gunzip(bytes: Uint8Array, options: GunzipOptions = {}): Promise<Uint8Array> {
  if (!isGzip(bytes)) throw new ValueError('gunzip: not gzip data (the first two bytes are not 0x1f 0x8b)');
  if (typeof DecompressionStream === 'undefined') {
    throw new ValueError('gunzip: this platform has no DecompressionStream; decompress the file first (gunzip FILE.gz)');
  }
  const maxBytes = options.maxBytes ?? MAX_GUNZIP_BYTES;
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  const reader = source.pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let limit = maxBytes;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
      if (options.limitFrom !== undefined && limit === maxBytes) {
        limit = Math.min(maxBytes, options.limitFrom(concat(chunks, Math.min(total, 1024)), total));
      }
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        const why = limit < maxBytes ? 'the size its header declares: trailing bytes after the data' : 'the most accepted';
        throw new ValueError(`gunzip: the data inflates past ${limit} bytes (${why}); stopped after ${total} bytes`);
      }
    }
  } catch (error) {
    if (error instanceof ValueError) throw error;
    const reason = (error as Error).message;
    const what = /unexpected end|truncat|premature/i.test(reason) ? 'truncated' : 'corrupt';
    throw new ValueError(`gunzip: the gzip data is ${what} (${reason}); ${total} bytes were decompressed before the error`);
  }
  return concat(chunks, total);
}

/** The first `count` bytes of the chunks, joined (the chunk itself when one suffices). */
function concat(chunks: readonly Uint8Array[], count: number): Uint8Array {
  if (chunks.length === 1 && chunks[0].length === count) return chunks[0];
  const out = new Uint8Array(count);
  let at = 0;
  for (const chunk of chunks) {
    if (at >= count) break;
    const part = chunk.subarray(0, count - at);
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The total size an IDX file must have, judged from its first bytes: header plus declared data.
 * Infinity while the header is incomplete or unreadable (parseIDX then gives the precise error);
 * a ValueError when it declares more than 2^31 elements.
 */
function idxSizeFromHeader(head: Uint8Array): number {
  if (head.length < 4 || head[0] !== 0 || head[1] !== 0) return Infinity;
  const kind = IDX_TYPES[head[2]];
  const ndims = head[3];
  const headerBytes = 4 + 4 * ndims;
  if (kind === undefined || ndims === 0 || head.length < headerBytes) return Infinity;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < ndims; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const elements = shape.reduce((p, size) => Math.min(p * size, MAX_IDX_ELEMENTS + 1), 1);
  if (elements > MAX_IDX_ELEMENTS) {
    throw new ValueError(`readIDX: dimensions [${shape.join(', ')}] declare more than 2^31 elements (the limit); refusing the file before decompressing it`);
  }
  return headerBytes + elements * kind.bytes;
}

/**
 * Reads an IDX file given as raw or gzip-compressed bytes (detected by the gzip magic number):
 * gunzip when needed — stopping as soon as the output passes the size its header declares, so a
 * small file cannot inflate to gigabytes first — then parseIDX. Errors as gunzip and parseIDX;
 * mutates nothing.
 */
export async function readIDX(bytes: Uint8Array): Promise<IDXArray> {
  if (!(bytes instanceof Uint8Array)) throw new ValueError(`readIDX: expected a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  if (!isGzip(bytes)) return parseIDX(bytes);
  return parseIDX(await gunzip(bytes, { limitFrom: (head) => idxSizeFromHeader(head) }));
}
