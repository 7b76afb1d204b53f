/**
 * Truncated, corrupt and hostile files for every reader: Sequential.fromJSON / fromBytes / load
 * (JSON and the binary WMLP form), Sequential.fromONNX, parseIDX / readIDX and parseCSV. Wrong
 * magic, lengths that overflow, deeply nested JSON and protobuf, absurd layer sizes, NaN weights,
 * ONNX graphs with cycles, unknown operators or external data. Each gives its named error naming
 * the field, node or line, allocates nothing that outlives the call (arena bytes unchanged, walk
 * intact), and the canary model still trains to its baseline afterwards.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Dense, ReLU, Sequential, ShapeError, ValueError, type WasmlpError } from '../src/index.js';
import { encodeIDX, parseIDX, readIDX } from '../src/datasets/idx.js';
import { parseCSV } from '../src/io/csv.js';
import { decodeModel, encodeModel, DataType, type Model } from '../src/io/onnx/schema.js';
import { arenaBytesInUse } from '../src/wasm/core.js';
import { canaryWeights, expectArenaIntact, refusal } from './helpers/hardening.js';

type Case = [name: string, call: () => unknown, error: new (...a: never[]) => WasmlpError, message: RegExp];

const model = new Sequential([new Dense(2, 3), new ReLU(), new Dense(3, 1)], { seed: 1 });
model.compile({ loss: 'mse', optimizer: 'adam' });
const doc = model.toJSON({ includeOptimizer: true });
const binary = model.save();
const onnx = model.toONNX();
model.dispose();

const edit = (f: (d: Record<string, any>) => void) => {
  const d = structuredClone(doc) as Record<string, any>;
  f(d);
  return d;
};
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const f32base64 = (...v: number[]) => Buffer.from(new Float32Array(v).buffer).toString('base64');
const withU32 = (bytes: Uint8Array, at: number, v: number) => {
  const b = bytes.slice();
  new DataView(b.buffer).setUint32(at, v, true);
  return b;
};
const onnxEdit = (f: (m: Model) => void) => {
  const m = decodeModel(onnx);
  f(m);
  return encodeModel(m);
};

/** A protobuf of `depth` GraphProtos nested through NodeProto.attribute.g (hostile recursion). */
function deepProtobuf(depth: number): Uint8Array {
  const frame = (field: number, body: Uint8Array): Uint8Array => {
    const len: number[] = [];
    for (let n = body.length; ; n >>>= 7) {
      if (n < 128) {
        len.push(n);
        break;
      }
      len.push((n & 127) | 128);
    }
    return Uint8Array.from([(field << 3) | 2, ...len, ...body]);
  };
  let g: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < depth; i++) g = frame(1, frame(5, frame(6, g))); // graph.node[0].attribute[0].g
  return frame(7, g); // model.graph
}

const modelFiles: Case[] = [
  ['JSON nested 100,000 deep', () => Sequential.fromJSON(nested(100000)), ValueError, /expected a model object, got an array/],
  [
    'JSON object nested 20,000 deep in a layer',
    () =>
      Sequential.fromJSON(
        edit((d) => {
          d.layers[0].config.init = JSON.parse(nested(20000));
        }),
      ),
    ConfigError,
    /initializer: expected a name or \{ name, \.\.\.params \}, got an array of length 1/,
  ],
  [
    'JSON text cut in half',
    () => Sequential.fromJSON(JSON.stringify(doc).slice(0, 200)),
    ValueError,
    /fromJSON: truncated: the JSON ends after 200 characters/,
  ],
  [
    'JSON of the wrong format',
    () =>
      Sequential.fromJSON(
        edit((d) => {
          d.format = 'keras';
        }),
      ),
    ConfigError,
    /format is "keras", expected 'wasmlp-model'/,
  ],
  [
    'JSON version 99',
    () =>
      Sequential.fromJSON(
        edit((d) => {
          d.version = 99;
        }),
      ),
    ConfigError,
    /version 99 is not supported/,
  ],
  [
    'JSON layer Dense 1e6 x 1e6',
    () =>
      Sequential.fromJSON(
        edit((d) => {
          d.layers = [{ className: 'Dense', config: { inputs: 1e6, units: 1e6 } }];
        }),
      ),
    ShapeError,
    /more than the limit/,
  ],
  [
    'JSON unknown layer class',
    () =>
      Sequential.fromJSON(
        edit((d) => {
          d.layers[1].className = 'LSTM';
        }),
      ),
    ConfigError,
    /layers\[1\]: unknown layer class "LSTM"/,
  ],
  [
    'JSON weight of the wrong shape',
    () =>
      Sequential.fromJSON(
        edit((d) => {
          d.weights[1].shape = [4];
        }),
      ),
    ValueError,
    /weights\[1\]: holds 3 values but its shape \[4\] needs 4/,
  ],
  [
    'JSON weight shape [1e9, 1e9]',
    () =>
      Sequential.fromJSON(
        edit((d) => {
          d.weights[0].shape = [1e9, 1e9];
        }),
      ),
    ValueError,
    /needs 1000000000000000000/,
  ],
  [
    'JSON NaN weight',
    () =>
      Sequential.fromJSON(
        edit((d) => {
          d.weights[1].data = f32base64(0, NaN, 0);
        }),
      ),
    ValueError,
    /b0\[1\] is NaN/,
  ],
  [
    'JSON bad base64',
    () =>
      Sequential.fromJSON(
        edit((d) => {
          d.weights[0].data = '!!!!';
        }),
      ),
    ValueError,
    /invalid base64 character "!"/,
  ],
  [
    'JSON unknown dtype',
    () =>
      Sequential.fromJSON(
        edit((d) => {
          d.weights[0].dtype = 'int8';
        }),
      ),
    ConfigError,
    /dtype is "int8"/,
  ],
  [
    'JSON optimiser state of SGD for Adam',
    () =>
      Sequential.fromJSON(
        edit((d) => {
          d.training.optimizerState = [];
        }),
      ),
    ConfigError,
    /optimizerState has buffers \[\] but adam needs \[m, v\]/,
  ],
  [
    'JSON optimiser step -1',
    () =>
      Sequential.fromJSON(
        edit((d) => {
          d.training.optimizerStep = -1;
        }),
      ),
    ValueError,
    /optimizerStep must be an integer in \[0, 2\^31\), got -1/,
  ],
  [
    'JSON shuffle state null',
    () =>
      Sequential.fromJSON(
        edit((d) => {
          d.training.shuffleRandom = null;
        }),
      ),
    ValueError,
    /shuffleRandom/,
  ],
  ['bytes: empty', () => Sequential.fromBytes(new Uint8Array(0)), ValueError, /load: the file is empty \(0 bytes\)/],
  [
    'binary: wrong magic',
    () => Sequential.fromBytes(Uint8Array.from([0x57, 0x4d, 0x4c, 0x51, ...binary.subarray(4)])),
    ValueError,
    /not a valid ONNX file|opset|graph/,
  ],
  ['binary: container version 9', () => Sequential.fromBytes(withU32(binary, 4, 9)), ConfigError, /binary container version 9 is not supported/],
  ['binary: header length 0xffffffff', () => Sequential.fromBytes(withU32(binary, 8, 0xffffffff)), ValueError, /header length 4294967295 overflows the file/],
  ['binary: truncated to 11 bytes', () => Sequential.fromBytes(binary.slice(0, 11)), ValueError, /truncated: 11 bytes/],
  [
    'binary: data section cut off',
    () => Sequential.fromBytes(binary.slice(0, binary.length - 8)),
    ValueError,
    /load: truncated: \d+ bytes, but the header describes \d+/,
  ],
  ['load: a number', () => Sequential.load(5 as never), ValueError, /expected a path, Uint8Array, ArrayBuffer or Blob, got 5/],
  ['load: a missing file', () => Sequential.load('/nonexistent/model.wasmlp'), ValueError, /cannot read "\/nonexistent\/model.wasmlp": ENOENT/],
  ['ONNX: not protobuf', () => Sequential.fromONNX(Uint8Array.of(0xff, 0xff, 0xff, 0xff)), ValueError, /fromONNX: (not a valid ONNX file|truncated)/],
  ['ONNX: protobuf nested 5,000 deep', () => Sequential.fromONNX(deepProtobuf(5000)), ValueError, /not a valid ONNX file/],
  [
    'ONNX: an unknown operator',
    () =>
      Sequential.fromONNX(
        onnxEdit((m) => {
          m.graph!.node[1].opType = 'Elu';
        }),
      ),
    ConfigError,
    /Elu node .*operator Elu is not supported/,
  ],
  [
    'ONNX: a cycle',
    () =>
      Sequential.fromONNX(
        onnxEdit((m) => {
          const n = m.graph!.node;
          n[0].input[0] = n[2].output[0];
        }),
      ),
    ConfigError,
    /cycle through/,
  ],
  [
    'ONNX: a dangling input',
    () =>
      Sequential.fromONNX(
        onnxEdit((m) => {
          m.graph!.node[1].input[0] = 'nowhere';
        }),
      ),
    ConfigError,
    /reads "nowhere", which no node, input or initializer provides/,
  ],
  [
    'ONNX: external data',
    () =>
      Sequential.fromONNX(
        onnxEdit((m) => {
          m.graph!.initializer[0].dataLocation = 1;
        }),
      ),
    ConfigError,
    /external data is not supported/,
  ],
  [
    'ONNX: no opset',
    () =>
      Sequential.fromONNX(
        onnxEdit((m) => {
          m.opsetImport = [];
        }),
      ),
    ConfigError,
    /declares no opset/,
  ],
  [
    'ONNX: a weight of the wrong size',
    () =>
      Sequential.fromONNX(
        onnxEdit((m) => {
          m.graph!.initializer[0].dims = [5, 5];
        }),
      ),
    ValueError,
    /holds 6 values but its dims \[5, 5\] need 25/,
  ],
  [
    'ONNX: int32 raw data of 3 bytes',
    () =>
      Sequential.fromONNX(
        onnxEdit((m) => {
          Object.assign(m.graph!.initializer[0], { dataType: DataType.INT32, dims: [1], rawData: Uint8Array.of(1, 2, 3) });
        }),
      ),
    ValueError,
    /3 bytes is not a whole number of int32 values/,
  ],
  [
    'ONNX: two outputs',
    () =>
      Sequential.fromONNX(
        onnxEdit((m) => {
          m.graph!.output.push({ name: 'extra' });
        }),
      ),
    ConfigError,
    /exactly one output, this graph has 2/,
  ],
];

const idx = encodeIDX({ type: 'uint8', shape: [2, 3], data: Uint8Array.of(1, 2, 3, 4, 5, 6) });
const dataFiles: Case[] = [
  [
    'IDX: wrong magic',
    () => parseIDX(Uint8Array.of(1, 0, 8, 1, 0, 0, 0, 0)),
    ValueError,
    /bad magic number: the first two bytes must be 0x00 0x00, got 0x01 0x00/,
  ],
  ['IDX: gzip given to parseIDX', () => parseIDX(new Uint8Array(gzipSync(idx))), ValueError, /this is gzip data: use readIDX/],
  ['IDX: unknown type code', () => parseIDX(Uint8Array.of(0, 0, 0x0a, 1, 0, 0, 0, 0)), ValueError, /unknown type code 0x0a/],
  ['IDX: 0 dimensions', () => parseIDX(Uint8Array.of(0, 0, 8, 0)), ValueError, /declares 0 dimensions/],
  ['IDX: truncated header', () => parseIDX(idx.slice(0, 9)), ValueError, /truncated header: 2 dimensions need 12 header bytes, the file has 9/],
  [
    'IDX: sizes of 2^32-1 x 2^32-1',
    () => parseIDX(Uint8Array.of(0, 0, 8, 2, 255, 255, 255, 255, 255, 255, 255, 255)),
    ValueError,
    /more than 2\^31 elements .* before allocating/,
  ],
  ['IDX: truncated data', () => parseIDX(idx.slice(0, idx.length - 1)), ValueError, /truncated file: .* \(1 missing\)/],
  ['IDX: trailing bytes', () => parseIDX(Uint8Array.from([...idx, 0])), ValueError, /1 trailing bytes/],
  ['IDX: not bytes', () => parseIDX('idx' as never), ValueError, /expected a Uint8Array, got \[object String\]/],
  ['IDX: truncated gzip', () => readIDX(new Uint8Array(gzipSync(idx)).slice(0, 15)), ValueError, /gzip data is (truncated|corrupt)/],
  ['encodeIDX: type as a BigInt', () => encodeIDX({ type: 5n as never, shape: [1], data: [1] }), ValueError, /encodeIDX: unknown type 5n \(a BigInt\)/],
  ['CSV: ragged rows', () => parseCSV('1,2,3\n4,5\n'), ShapeError, /CSV line 2 has 2 cells but the first row has 3/],
  ['CSV: a non-numeric cell', () => parseCSV('a,b\n1,2\n3,x\n'), ValueError, /CSV line 3, column 2: "x" is not a number/],
  ['CSV: Infinity', () => parseCSV('1,2\n1,Infinity\n'), ValueError, /"Infinity" is not a number/],
  ['CSV: 1e400', () => parseCSV('1,2\n1,1e400\n'), ValueError, /"1e400" is not a number/],
  ['CSV: no data rows', () => parseCSV('x,y\n# nothing\n'), ValueError, /CSV has no data rows/],
  ['CSV: not text', () => parseCSV(5 as never), ValueError, /expected the file text as a string/],
];

/** The number of bad-input cases in this file. */
export const CASES = modelFiles.length + dataFiles.length;

describe('hostile files', () => {
  let canary: unknown;
  let bytes = 0;
  beforeAll(async () => {
    canary = await canaryWeights('wasm');
    bytes = arenaBytesInUse();
  });
  afterAll(async () => {
    expect(await canaryWeights('wasm')).toEqual(canary);
  });

  it.each([...modelFiles, ...dataFiles])('%s', async (_, call, error, message) => {
    const e = await refusal(call);
    expect(e).toBeInstanceOf(error);
    expect(e.message).toMatch(message);
    expect(arenaBytesInUse()).toBe(bytes);
    expectArenaIntact();
  });
});
