/**
 * The ONNX code for synchronous callers (toONNX, fromONNX, loading an ONNX file): the installed
 * codec, or a StateError naming the ways to load it. Apart from loader.ts so that only the code
 * that reads ONNX (model/persist.ts, io/model-file.ts, both loaded on first use) carries it.
 */
import { StateError } from '../../errors.js';
import { installedONNX, type ONNXCodec } from './loader.js';

/**
 * The loaded ONNX code. Throws StateError, naming `where` and the two ways to load it, when it
 * has not been loaded (only possible outside Node). Reads only.
 */
export function onnxCodec(where: string): ONNXCodec {
  const codec = installedONNX();
  if (codec === null) {
    throw new StateError(`${where}: the ONNX code is not loaded: import 'wasmlp/onnx' once (or use the async exportONNX / importONNX / load, which load it)`);
  }
  return codec;
}
