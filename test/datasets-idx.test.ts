// The IDX reader: hand-built files of every type code, every kind of corruption, raw vs gzip.
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { datasets, ValueError } from '../src/index.js';

const { parseIDX, readIDX, encodeIDX, gunzip } = datasets;

/** An IDX file written byte by byte (independently of encodeIDX): magic, sizes, then `body`. */
function idxBytes(code: number, shape: number[], body: number[]): Uint8Array {
  const header = [0, 0, code, shape.length];
  for (const d of shape) header.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return new Uint8Array([...header, ...body]);
}

describe('parseIDX', () => {
  it('reads each type code big-endian from hand-built bytes', () => {
    expect(parseIDX(idxBytes(0x08, [2, 2], [0, 1, 128, 255]))).toEqual({ type: 'uint8', shape: [2, 2], data: new Uint8Array([0, 1, 128, 255]) });
    expect(parseIDX(idxBytes(0x09, [3], [0x7f, 0x80, 0xff]))).toEqual({ type: 'int8', shape: [3], data: new Int8Array([127, -128, -1]) });
    expect(parseIDX(idxBytes(0x0b, [2], [0x01, 0x02, 0xff, 0xfe]))).toEqual({ type: 'int16', shape: [2], data: new Int16Array([258, -2]) });
    expect(parseIDX(idxBytes(0x0c, [1, 2], [0x00, 0x00, 0xea, 0x60, 0x80, 0, 0, 0]))).toEqual({
      type: 'int32',
      shape: [1, 2],
      data: new Int32Array([60000, -(2 ** 31)]),
    });
    expect(parseIDX(idxBytes(0x0d, [1], [0x3f, 0xc0, 0, 0]))).toEqual({ type: 'float32', shape: [1], data: new Float32Array([1.5]) });
    expect(parseIDX(idxBytes(0x0e, [1], [0xc0, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18]))).toEqual({
      type: 'float64',
      shape: [1],
      data: new Float64Array([-Math.PI]),
    });
  });

  it('round-trips every type through encodeIDX, including MNIST-like [n, 28, 28] images and empty arrays', () => {
    const arrays = [
      { type: 'uint8', shape: [3, 28, 28], data: Uint8Array.from({ length: 3 * 784 }, (_, i) => (i * 31) % 256) },
      { type: 'int8', shape: [4], data: new Int8Array([-128, -1, 0, 127]) },
      { type: 'int16', shape: [2, 2], data: new Int16Array([-32768, -1, 1, 32767]) },
      { type: 'int32', shape: [3], data: new Int32Array([-(2 ** 31), 0, 2 ** 31 - 1]) },
      { type: 'float32', shape: [2], data: new Float32Array([0.1, -3.25e30]) },
      { type: 'float64', shape: [2, 1, 2], data: new Float64Array([Math.E, -0, Number.MIN_VALUE, 1e300]) },
      { type: 'uint8', shape: [0, 28, 28], data: new Uint8Array(0) },
    ] as const;
    for (const a of arrays) expect(parseIDX(encodeIDX(a))).toEqual(a);
    // A view into a larger buffer, at an odd offset, reads the same.
    const bytes = encodeIDX(arrays[4]);
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 1);
    expect(parseIDX(padded.subarray(1, 1 + bytes.length))).toEqual(arrays[4]);
  });

  const corruptions: [string, Uint8Array, RegExp][] = [
    ['an empty file', new Uint8Array(0), /truncated file: 0 bytes, shorter than the 4-byte magic number/],
    [
      'a wrong magic number',
      idxBytes(0x08, [1], [0]).map((b, i) => (i === 0 ? 1 : b)),
      /bad magic number: the first two bytes must be 0x00 0x00, got 0x01 0x00/,
    ],
    ['gzip data given to parseIDX', new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]), /got 0x1f 0x8b \(this is gzip data: use readIDX/],
    [
      'an unknown type code',
      idxBytes(0x0a, [1], [0]),
      /unknown type code 0x0a in the magic number \(known: 0x08 uint8, 0x09 int8, 0x0b int16, 0x0c int32, 0x0d float32, 0x0e float64\)/,
    ],
    ['0 dimensions', idxBytes(0x08, [], []), /the header declares 0 dimensions; an IDX file needs at least one/],
    ['a truncated header', idxBytes(0x08, [5, 5], []).subarray(0, 10), /truncated header: 2 dimensions need 12 header bytes, the file has 10/],
    [
      'truncated data',
      idxBytes(0x0b, [2, 3], new Array(11).fill(0)),
      /truncated file: dimensions \[2, 3\] of int16 need 24 bytes, the file has 23 \(1 missing\)/,
    ],
    ['trailing bytes', idxBytes(0x08, [2], [1, 2, 3, 4]), /2 trailing bytes: dimensions \[2\] of uint8 need exactly 10 bytes, the file has 12/],
    [
      'dimensions whose product overflows 32 bits',
      idxBytes(0x08, [65536, 65536], []),
      /dimensions \[65536, 65536\] declare more than 2\^31 elements \(the limit\); refusing the file before allocating/,
    ],
    ['an absurd size that is not an overflow', idxBytes(0x0e, [2 ** 31 + 1], []), /declare more than 2\^31 elements/],
    ['many large dimensions', idxBytes(0x08, new Array(40).fill(0xffffffff), []), /declare more than 2\^31 elements/],
  ];
  it.each(corruptions)('refuses %s with a ValueError that says what is wrong', (_what, bytes, message) => {
    expect(() => parseIDX(bytes)).toThrow(ValueError);
    expect(() => parseIDX(bytes)).toThrow(message);
  });

  it('refuses non-Uint8Array input', () => {
    expect(() => parseIDX([0, 0, 8, 1] as never)).toThrow(/parseIDX: expected a Uint8Array, got \[object Array\]/);
  });
});

describe('readIDX and gunzip', () => {
  const array = { type: 'int16', shape: [10, 100], data: Int16Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 65536) - 32768) } as const;
  const raw = encodeIDX(array);
  const gz = new Uint8Array(gzipSync(raw));

  it('reads raw and gzipped bytes to the same array', async () => {
    expect(datasets.isGzip(gz)).toBe(true);
    expect(datasets.isGzip(raw)).toBe(false);
    expect(await readIDX(raw)).toEqual(array);
    expect(await readIDX(gz)).toEqual(array);
    expect(await gunzip(gz)).toEqual(raw);
  });

  it('refuses a truncated gzip stream with a clear error', async () => {
    for (const cut of [gz.length - 1, gz.length - 8, Math.floor(gz.length / 2), 12]) {
      await expect(readIDX(gz.subarray(0, cut))).rejects.toThrow(ValueError);
      await expect(readIDX(gz.subarray(0, cut))).rejects.toThrow(/gunzip: the gzip data is truncated/);
    }
  });

  it('refuses corrupt gzip data, and gzip data whose content is not a valid IDX file', async () => {
    const bad = gz.slice();
    for (let i = 20; i < 40; i++) bad[i] ^= 0x5a;
    await expect(readIDX(bad)).rejects.toThrow(/gunzip: the gzip data is (corrupt|truncated)/);
    await expect(readIDX(new Uint8Array(gzipSync(raw.subarray(0, raw.length - 2))))).rejects.toThrow(/parseIDX: truncated file/);
    await expect(gunzip(raw)).rejects.toThrow('gunzip: not gzip data (the first two bytes are not 0x1f 0x8b)');
  });
});

describe('readIDX bounds the decompression by the header', () => {
  // 10 uint8 values declared, then 256 MiB of zeros: about 256 KB of gzip that must not be inflated whole.
  const header = encodeIDX({ type: 'uint8', shape: [10], data: new Uint8Array(10) });
  const bomb = new Uint8Array(gzipSync(Buffer.concat([header, Buffer.alloc(256 * 2 ** 20)]), { level: 9 }));

  it('stops a gzip bomb at the size its header declares, before inflating it', async () => {
    expect(bomb.length).toBeLessThan(2 ** 20);
    const before = process.memoryUsage().arrayBuffers;
    await expect(readIDX(bomb)).rejects.toThrow(
      /gunzip: the data inflates past 18 bytes \(the size its header declares: trailing bytes after the data\); stopped after \d+ bytes/,
    );
    // Stopped after its first chunk or so: far less than the 256 MiB the file holds.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20);
  });

  it('refuses a gzip header declaring over 2^31 elements before decompressing the rest', async () => {
    const huge = new Uint8Array(12);
    huge.set([0, 0, 0x08, 2]);
    new DataView(huge.buffer).setUint32(4, 65536, false);
    new DataView(huge.buffer).setUint32(8, 65536, false);
    await expect(readIDX(new Uint8Array(gzipSync(huge)))).rejects.toThrow(/readIDX: dimensions \[65536, 65536\] declare more than 2\^31 elements/);
  });

  it('gunzip honours maxBytes, and a declared size of one byte more than the data is still named as trailing', async () => {
    const raw = encodeIDX({ type: 'uint8', shape: [4], data: new Uint8Array([1, 2, 3, 4]) });
    await expect(gunzip(new Uint8Array(gzipSync(raw)), { maxBytes: 5 })).rejects.toThrow(/gunzip: the data inflates past 5 bytes \(the most accepted\)/);
    const oneMore = new Uint8Array(gzipSync(Buffer.concat([raw, Buffer.from([9])])));
    await expect(readIDX(oneMore)).rejects.toThrow(/trailing bytes after the data/);
  });
});
