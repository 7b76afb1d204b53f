/**
 * Integrity of model files: the binary form's CRC-32 trailer (a bit flip anywhere is refused),
 * trailing bytes, a tensor table that aliases or misstates its ranges (refused before any tensor
 * is decoded), version-1 files without a checksum still loading, and empty or truncated files
 * of every form saying so.
 */
import { describe, expect, it } from 'vitest';
import { Dense, ReLU, Sequential, ValueError } from '../src/index.js';

function model(): Sequential {
  const m = new Sequential([new Dense(3, 4), new ReLU(), new Dense(4, 2)], { seed: 2, backend: 'reference' });
  m.compile({ loss: 'mse', optimizer: 'adam' });
  return m;
}

/** Splits a version-2 binary file into its header document and data section. */
function parts(bytes: Uint8Array): { header: Record<string, any>; data: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + h)));
  const start = Math.ceil((12 + h) / 8) * 8;
  return { header, data: bytes.subarray(start, bytes.length - 4) };
}

/** A version-1 container (no checksum) holding `header` and `data`. */
function v1File(header: unknown, data: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(header));
  const start = Math.ceil((12 + text.length) / 8) * 8;
  const out = new Uint8Array(start + data.length);
  out.set([0x57, 0x4d, 0x4c, 0x50]);
  const view = new DataView(out.buffer);
  view.setUint16(4, 1, true);
  view.setUint32(8, text.length, true);
  out.set(text, 12);
  out.set(data, start);
  return out;
}

describe('the binary model file', () => {
  const m = model();
  const bytes = m.save();

  it('is version 2 and round-trips', () => {
    expect(new DataView(bytes.buffer).getUint16(4, true)).toBe(2);
    expect(Sequential.fromBytes(bytes).predict([[1, 2, 3]])).toEqual(m.predict([[1, 2, 3]]));
  });

  it('refuses a bit flip in the data section or the checksum', () => {
    for (const at of [bytes.length - 40, bytes.length - 9, bytes.length - 1]) {
      const flipped = bytes.slice();
      flipped[at] ^= 0x10;
      expect(() => Sequential.fromBytes(flipped)).toThrow(ValueError);
      expect(() => Sequential.fromBytes(flipped)).toThrow(/checksum mismatch \(stored CRC-32 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\)/);
    }
  });

  it('refuses trailing bytes', () => {
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    expect(() => Sequential.fromBytes(longer)).toThrow(/load: 3 trailing bytes after the \d+ the header describes/);
    const { header, data } = parts(bytes);
    const withTail = v1File(header, Uint8Array.from([...data, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(() => Sequential.fromBytes(withTail)).toThrow(/8 trailing bytes/);
  });

  it('still loads a version-1 file (no checksum)', () => {
    const { header, data } = parts(bytes);
    const old = v1File(header, data);
    expect(Sequential.fromBytes(old).predict([[1, 2, 3]])).toEqual(m.predict([[1, 2, 3]]));
  });

  it('refuses a table whose entries alias one range, before decoding any', () => {
    const { header, data } = parts(bytes);
    header.weights = header.weights.map((w: Record<string, unknown>) => ({ ...w, offset: 0 }));
    expect(() => Sequential.fromBytes(v1File(header, data))).toThrow(/load: weights\[1\]: bytes 0\.\.\d+ overlap the tensor before \(expected offset 96\)/);
    // 100 entries of one 4 MB range: refused at the second entry, nothing decoded.
    const big: Record<string, unknown> = {
      ...header,
      weights: Array.from({ length: 100 }, (_, i) => ({ name: `W${i}`, shape: [1024, 1024], dtype: 'float32', offset: 0, byteLength: 4 * 2 ** 20 })),
    };
    delete big.training;
    expect(() => Sequential.fromBytes(v1File(big, new Uint8Array(4 * 2 ** 20)))).toThrow(/weights\[1\]: bytes 0\.\.4194304 overlap/);
  });

  it('refuses a byteLength that disagrees with the shape, and a range that leaves a gap', () => {
    const { header, data } = parts(bytes);
    const wrong = structuredClone(header);
    wrong.weights[0].byteLength -= 4;
    expect(() => Sequential.fromBytes(v1File(wrong, data))).toThrow(/weights\[0\]: byteLength 92 does not match shape \[3, 4\] of float64 \(96 bytes\)/);
    const gap = structuredClone(header);
    gap.weights[1].offset += 4;
    expect(() => Sequential.fromBytes(v1File(gap, data))).toThrow(/weights\[1\]: .*leave a gap/);
  });

  it('compares names and shapes with the layers before decoding', () => {
    const { header, data } = parts(bytes);
    const renamed = structuredClone(header);
    renamed.weights[0].name = 'b7';
    expect(() => Sequential.fromBytes(v1File(renamed, data))).toThrow(/weights\[0\] is named "b7" but the layers' tensor 0 is W0/);
    const reshaped = structuredClone(header);
    [reshaped.weights[0].shape, reshaped.weights[0].byteLength] = [[3, 5], 120];
    for (const t of [...reshaped.weights.slice(1), ...reshaped.training.optimizerState]) t.offset += 24;
    expect(() => Sequential.fromBytes(v1File(reshaped, new Uint8Array(data.length + 24)))).toThrow(
      /weights\[0\] \(W0\) has shape \[3, 5\] but the layers need \[3, 4\]/,
    );
  });
});

describe('empty and truncated files say so', () => {
  const m = model();
  const forms: [string, Uint8Array][] = [
    ['binary', m.save()],
    ['JSON', new TextEncoder().encode(JSON.stringify(m.toJSON()))],
    ['ONNX', m.toONNX()],
  ];
  it('empty bytes, through fromBytes, load and fromONNX', async () => {
    expect(() => Sequential.fromBytes(new Uint8Array(0))).toThrow(/load: the file is empty \(0 bytes\)/);
    await expect(Sequential.load(new Uint8Array(0))).rejects.toThrow(/the file is empty/);
    expect(() => Sequential.fromONNX(new Uint8Array(0))).toThrow(/fromONNX: the file is empty/);
    expect(() => Sequential.fromJSON('')).toThrow(/fromJSON: the file is empty/);
    expect(() => Sequential.fromBytes(new TextEncoder().encode('   \n'))).toThrow(/empty|truncated/);
  });
  it.each(forms)('%s cut at every length says empty or truncated', (_, bytes) => {
    for (let n = 1; n < bytes.length; n += Math.max(1, Math.floor(bytes.length / 97))) {
      expect(() => Sequential.fromBytes(bytes.slice(0, n)), `cut at ${n}`).toThrow(/empty|truncated/);
    }
  });
});
