/**
 * The ONNX code as one object, the module that loader.ts imports on demand and the
 * `wasmlp/onnx` entry installs: everything that needs protobufjs is reached from here only.
 */
import { recordToONNX } from './export.js';
import { recordFromONNX } from './import.js';

/** ONNX export and import of network records (no state; importing this module changes nothing). */
// Not annotated with loader.ts's ONNXCodec: that would make the two files import each other.
export const ONNX_CODEC = { recordToONNX, recordFromONNX };
