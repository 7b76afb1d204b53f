/**
 * ONNX tensors <-> float64 arrays: reading initializers and Constant values (float32 or float64,
 * raw_data or the typed fields; int32/int64 for shape tensors), and writing float32 raw_data.
 */
import { ConfigError, ValueError } from '../../errors.js';
import { decodeTensor, encodeTensor } from '../tensor-codec.js';
import { DataType, type Tensor } from './schema.js';

/** A constant tensor's values (row-major, as float64) and dims. */
export interface ConstTensor {
  dims: number[];
  values: Float64Array;
}

/** Reads an ONNX tensor; `where` names it for errors. Throws ConfigError for unsupported types or external data, ValueError for a size mismatch. */
export function readTensor(t: Tensor, where: string): ConstTensor {
  const dims = (t.dims ?? []).map(Number);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new ValueError(`${where}: dims [${dims.join(', ')}] are not non-negative integers`);
  if (t.dataLocation === 1) throw new ConfigError(`${where}: external data is not supported (save the model with its weights inside the file)`);
  const count = dims.reduce((a, b) => a * b, 1);
  const type = t.dataType ?? 0;
  let values: Float64Array;
  const raw = t.rawData && t.rawData.length > 0 ? new Uint8Array(t.rawData) : null;
  switch (type) {
    case DataType.FLOAT:
      values = raw ? decodeTensor(raw, 'float32', where) : Float64Array.from(t.floatData ?? []);
      break;
    case DataType.DOUBLE:
      values = raw ? decodeTensor(raw, 'float64', where) : Float64Array.from(t.doubleData ?? []);
      break;
    case DataType.INT64:
      values = raw ? readInt64(raw, where) : Float64Array.from(t.int64Data ?? [], Number);
      break;
    case DataType.INT32:
      values = raw ? readInt32(raw, where) : Float64Array.from(t.int32Data ?? []);
      break;
    default:
      throw new ConfigError(`${where}: tensor data type ${type} is not supported (float32, float64, int32 and int64 are)`);
  }
  if (values.length !== count) throw new ValueError(`${where}: holds ${values.length} values but its dims [${dims.join(', ')}] need ${count}`);
  return { dims, values };
}

/** Little-endian int32 values as float64; a byte count that is not a multiple of 4 is a ValueError. */
function readInt32(raw: Uint8Array, where: string): Float64Array {
  if (raw.length % 4 !== 0) throw new ValueError(`${where}: ${raw.length} bytes is not a whole number of int32 values`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Float64Array.from({ length: raw.length / 4 }, (_, i) => view.getInt32(i * 4, true));
}

/** Little-endian int64 values as float64 (exact up to 2^53, which shapes never exceed). */
function readInt64(raw: Uint8Array, where: string): Float64Array {
  if (raw.length % 8 !== 0) throw new ValueError(`${where}: ${raw.length} bytes is not a whole number of int64 values`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Float64Array.from({ length: raw.length / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
}

/** A float32 initializer named `name` with `dims`, values rounded to float32, stored as raw_data. */
export function float32Tensor(name: string, dims: number[], values: ArrayLike<number>): Tensor {
  return { name, dims, dataType: DataType.FLOAT, rawData: encodeTensor(values, 'float32') };
}
