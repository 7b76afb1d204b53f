// Loading rejects malformed input with a named error class and the offending field, and never
// builds half a model: the WebAssembly arena holds exactly as many bytes after a failed load.
import { describe, expect, it } from 'vitest';
import { Adam, ConfigError, Dense, ReLU, Sequential, ShapeError, Sigmoid, ValueError, type ModelJSON } from '../src/index.js';
import { arenaBytesInUse } from '../src/wasm/core.js';
import { recordFromBytes } from '../src/io/binary-format.js';

function trained(): Sequential {
  const model = new Sequential([new Dense(2, 4), new ReLU(), new Dense(4, 1), new Sigmoid()], { seed: 1 });
  model.compile({ loss: 'bce', optimizer: new Adam({ lr: 0.1 }) });
  return model;
}

const model = trained();
const good = (): ModelJSON => JSON.parse(JSON.stringify(model.toJSON({ includeOptimizer: true })));
const base64Of = (values: number[]) => Buffer.from(new Float32Array(values).buffer).toString('base64');

/** Expects `load` to throw `type` with a message matching `message`, leaking no arena memory. */
function rejects(load: () => unknown, type: new (...a: never[]) => Error, message: RegExp): void {
  const before = arenaBytesInUse();
  expect(load).toThrow(type);
  expect(load).toThrow(message);
  expect(arenaBytesInUse()).toBe(before);
}

describe('fromJSON rejects', () => {
  const cases: [string, (j: ModelJSON) => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['a wrong version', (j) => ({ ...j, version: 3 }), ConfigError, /version 3 is not supported \(this wasmlp reads versions 1, 2\)/],
    ['a wrong format', (j) => ({ ...j, format: 'keras' }), ConfigError, /format is "keras"/],
    [
      'an unknown layer',
      (j) => ({ ...j, layers: [...j.layers.slice(0, 2), { className: 'Conv2D', config: {} }, ...j.layers.slice(2)] }),
      ConfigError,
      /layers\[2\].*unknown layer class "Conv2D"/,
    ],
    [
      'a layer of bad size',
      (j) => {
        j.layers[0].config.units = -4;
        return j;
      },
      ValueError,
      /layers\[0\].*Dense units must be a positive integer/,
    ],
    [
      'layers that do not chain',
      (j) => {
        j.layers[2].config.inputs = 5;
        return j;
      },
      ShapeError,
      /layers: layer 2 \(Dense 5→1\) expects 5 inputs/,
    ],
    [
      'a weight length not matching the layer',
      (j) => {
        j.weights[1] = { ...j.weights[1], shape: [3], data: base64Of([1, 2, 3]) };
        return j;
      },
      ShapeError,
      /weights\[1\] \(b0\) has shape \[3\] but the layers need \[4\]/,
    ],
    [
      'data not matching its own shape',
      (j) => {
        j.weights[1].data = base64Of([1, 2, 3]);
        return j;
      },
      ValueError,
      /weights\[1\]: holds 3 values but its shape \[4\] needs 4/,
    ],
    [
      'a missing weight tensor',
      (j) => {
        j.weights.pop();
        return j;
      },
      ShapeError,
      /expected 4 weight tensors/,
    ],
    [
      'a NaN weight',
      (j) => {
        j.weights[0].data = base64Of([1, 2, NaN, 4, 5, 6, 7, 8]);
        return j;
      },
      ValueError,
      /W0\[2\] is NaN/,
    ],
    [
      'bad base64',
      (j) => {
        j.weights[0].data = j.weights[0].data.slice(0, -4) + 'A*A=';
        return j;
      },
      ValueError,
      /weights\[0\].data: invalid base64 character "\*"/,
    ],
    [
      'base64 of a bad length',
      (j) => {
        j.weights[0].data += 'AB';
        return j;
      },
      ValueError,
      /weights\[0\].data: base64 length/,
    ],
    [
      'an unknown dtype',
      (j) => {
        (j.weights[0] as { dtype: string }).dtype = 'int8';
        return j;
      },
      ConfigError,
      /weights\[0\].dtype is "int8"/,
    ],
    [
      'a tensor under the wrong name',
      (j) => {
        j.weights[0].name = 'b0';
        return j;
      },
      ConfigError,
      /weights\[0\] is named "b0" but the layers' tensor 0 is W0/,
    ],
    [
      'an unknown loss',
      (j) => {
        (j.compile as { loss: string }).loss = 'hinge';
        return j;
      },
      ConfigError,
      /compile: unknown loss "hinge"/,
    ],
    [
      'optimiser state of another optimiser',
      (j) => {
        j.training!.optimizerState.pop();
        return j;
      },
      ConfigError,
      /training.optimizerState has buffers \[m\] but adam needs \[m, v\]/,
    ],
    [
      'a NaN in the optimiser state',
      (j) => {
        j.training!.optimizerState[0].data = base64Of(Array.from({ length: 17 }, (_, i) => (i === 3 ? NaN : 0)));
        return j;
      },
      ValueError,
      /optimizerState m\[3\] is NaN/,
    ],
    [
      'a bad optimiser step',
      (j) => {
        j.training!.optimizerStep = -1;
        return j;
      },
      ValueError,
      /optimizerStep must be an integer/,
    ],
    [
      'a bad RNG state',
      (j) => {
        j.training!.shuffleRandom = { s: [0, 0, 0, 0], spare: null };
        return j;
      },
      ValueError,
      /shuffleRandom: Random.setState: the all-zero state/,
    ],
    ['a bad seed', (j) => ({ ...j, seed: 1.5 }), ValueError, /seed must be an integer/],
  ];
  it.each(cases)('%s', (_, mutate, type, message) => {
    rejects(() => Sequential.fromJSON(mutate(good())), type, message);
    rejects(() => Sequential.fromJSON(JSON.stringify(mutate(good()))), type, message);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a number', 42],
    ['a string that is not JSON', '{"format":'],
  ])('JSON that is not a model object: %s', (_, value) => {
    rejects(() => Sequential.fromJSON(value), ValueError, /fromJSON: (expected a model object|not valid JSON|truncated)/);
  });
});

describe('the binary form rejects', () => {
  const bytes = model.save();
  const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  it('a bad magic', () => {
    const b = bytes.slice();
    b[0] = 0x58;
    rejects(() => recordFromBytes(b), ValueError, /not a wasmlp binary model \(the first bytes are not the magic "WMLP"\)/);
    // Sniffing loaders then try ONNX, which refuses it too.
    rejects(() => Sequential.fromBytes(b), ValueError, /not a valid ONNX file/);
    expect(() => Sequential.fromBytes(Uint8Array.of(0x57, 0x4d, 0x4c))).toThrow(); // too short for the magic: not a model in any form
  });
  it('truncated bytes, at every length', () => {
    for (const n of [4, 11, 12, 40, bytes.length - 1])
      rejects(() => Sequential.fromBytes(bytes.subarray(0, n)), ValueError, /truncated|overflow|not valid JSON/);
  });
  it('a header length that overflows', () => {
    const b = bytes.slice();
    view(b).setUint32(8, 0xffffffff, true);
    rejects(() => Sequential.fromBytes(b), ValueError, /header length 4294967295 overflows the file/);
  });
  it('a tensor range that overflows', () => {
    const headerLength = view(bytes).getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
    header.weights[2].offset = 2 ** 52;
    const text = new TextEncoder().encode(JSON.stringify(header));
    const b = new Uint8Array(bytes.length + text.length);
    b.set(bytes.subarray(0, 12));
    view(b).setUint32(8, text.length, true);
    b.set(text, 12);
    rejects(() => Sequential.fromBytes(b), ValueError, /weights\[2\]: bytes 4503599627370496\.\..* leave a gap after the tensor before/);
  });
  it('an unknown container version', () => {
    const b = bytes.slice();
    view(b).setUint16(4, 9, true);
    rejects(() => Sequential.fromBytes(b), ConfigError, /binary container version 9/);
  });
});
