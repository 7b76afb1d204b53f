/**
 * The safetensors reader and writer: round trips, the format's rules (each refused with a
 * ValueError saying which), and fromSafetensors' own checks (architecture, names, shapes).
 */
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  Dense,
  MAX_SAFETENSORS_HEADER,
  Sequential,
  ShapeError,
  Tanh,
  ValueError,
  encodeSafetensors,
  parseSafetensors,
  tensorToFloat64,
} from '../src/index.js';

/** A file with `header` (text) and `data` bytes, the header length as given or the true one. */
function file(header: string, data: Uint8Array = new Uint8Array(0), length?: bigint): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

const f32 = (...v: number[]) => new Uint8Array(Float32Array.from(v).buffer);

describe('safetensors', () => {
  it('round-trips tensors and metadata, the header padded to 8 bytes', () => {
    const bytes = encodeSafetensors(
      [
        { name: 'a', dtype: 'F32', shape: [2, 2], data: f32(1, 2, 3, 4) },
        { name: 'b', dtype: 'F64', shape: [1], data: new Uint8Array(Float64Array.of(0.1).buffer) },
        { name: 'c', dtype: 'I64', shape: [], data: new Uint8Array(BigInt64Array.of(7n).buffer) },
        { name: 'e', dtype: 'F16', shape: [2], data: new Uint8Array(Uint16Array.of(0x3c00, 0xc000).buffer) },
        { name: 'z', dtype: 'F32', shape: [0, 3], data: new Uint8Array(0) },
      ],
      { format: 'pt' },
    );
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
    const parsed = parseSafetensors(bytes);
    expect([...parsed.tensors.keys()]).toEqual(['a', 'b', 'c', 'e', 'z']);
    expect(parsed.metadata).toEqual({ format: 'pt' });
    expect(Array.from(tensorToFloat64(parsed.tensors.get('a')!, 'a'))).toEqual([1, 2, 3, 4]);
    expect(tensorToFloat64(parsed.tensors.get('b')!, 'b')[0]).toBe(0.1);
    expect(tensorToFloat64(parsed.tensors.get('c')!, 'c')[0]).toBe(7);
    expect(Array.from(tensorToFloat64(parsed.tensors.get('e')!, 'e'))).toEqual([1, -2]);
  });

  const t = (dtype: string, shape: number[], offsets: number[]) =>
    `{"dtype":"${dtype}","shape":${JSON.stringify(shape)},"data_offsets":${JSON.stringify(offsets)}}`;
  const bad: [string, Uint8Array, RegExp][] = [
    ['a short file', new Uint8Array(5), /fewer than the 8/],
    ['a header over the limit', file('{}', undefined, BigInt(MAX_SAFETENSORS_HEADER + 1)), /exceeds the 100000000-byte limit/],
    ['a header past the end', file('{}', undefined, 99n), /runs past the end/],
    [
      'invalid UTF-8',
      ((b) => {
        b[10] = 0xff;
        return b;
      })(file('{"a":"b"}')),
      /not valid UTF-8/,
    ],
    ['not JSON', file('{"a": }'), /invalid JSON value/],
    ['not an object', file('[1]'), /must be a JSON object/],
    ['a duplicate key', file(`{"a":${t('F32', [1], [0, 4])},"a":${t('F32', [1], [0, 4])}}`, f32(1)), /duplicate key "a"/],
    ['an unknown dtype', file(`{"a":${t('F128', [1], [0, 16])}}`, new Uint8Array(16)), /unknown dtype "F128"/],
    ['a shape that does not match the bytes', file(`{"a":${t('F32', [3], [0, 8])}}`, f32(1, 2)), /needs 12 bytes but data_offsets span 8/],
    ['a gap', file(`{"a":${t('F32', [1], [4, 8])}}`, f32(1, 2)), /a gap/],
    ['overlap', file(`{"a":${t('F32', [2], [0, 8])},"b":${t('F32', [1], [4, 8])}}`, f32(1, 2)), /overlap/],
    ['data not covered', file(`{"a":${t('F32', [1], [0, 4])}}`, f32(1, 2)), /cover 4 bytes of data but 8 follow/],
    ['offsets out of bounds', file(`{"a":${t('F32', [2], [0, 8])}}`, f32(1)), /run past the 4 bytes/],
    ['a metadata value that is not a string', file('{"__metadata__":{"k":1}}'), /must be a string/],
    ['an unknown field', file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}`, f32(1)), /unknown field "x"/],
  ];
  for (const [what, bytes, message] of bad) {
    it(`refuses ${what}`, () => {
      expect(() => parseSafetensors(bytes)).toThrow(ValueError);
      expect(() => parseSafetensors(bytes)).toThrow(message);
    });
  }

  it('fromSafetensors checks architecture, names and shapes before building', () => {
    const model = new Sequential([new Dense(3, 4), new Tanh(), new Dense(4, 2)], { seed: 1 });
    const weights = model.toPyTorch()['weights.safetensors'];
    const back = Sequential.fromSafetensors(weights);
    expect(back.predict([[1, 2, 3]])).toEqual(model.predict([[1, 2, 3]]));
    const withLayers = Sequential.fromSafetensors(weights, [new Dense(3, 4), new Tanh(), new Dense(4, 2)]);
    expect(withLayers.predict([[1, 2, 3]])).toEqual(model.predict([[1, 2, 3]]));
    expect(() => Sequential.fromSafetensors(weights, [new Dense(3, 5), new Tanh(), new Dense(5, 2)])).toThrow(ShapeError);
    expect(() => Sequential.fromSafetensors(weights, [new Dense(3, 4)])).toThrow(/tensor "2.weight" belongs to no layer/);
    const bare = encodeSafetensors([...parseSafetensors(weights).tensors].map(([name, t]) => ({ name, ...t })));
    expect(() => Sequential.fromSafetensors(bare)).toThrow(ConfigError);
    expect(() => Sequential.fromSafetensors(bare)).toThrow(/pass layers or the package's config.json/);
    const config = new TextDecoder().decode(model.toPyTorch()['config.json']);
    const fromConfig = Sequential.fromSafetensors(bare, { config });
    expect(fromConfig.predict([[1, 2, 3]])).toEqual(model.predict([[1, 2, 3]]));
    [model, back, withLayers, fromConfig].forEach((m) => m.dispose());
  });
});
