/**
 * `wasmlp/onnx`: ONNX import and export, loaded only by the pages that use it (the main entry
 * keeps the protobuf code in a separate chunk). Importing this module installs the ONNX code (and
 * the formats part it builds models with), so the synchronous `model.toONNX()` and
 * `Sequential.fromONNX()` work from then on in browsers too.
 */
import { ONNX_CODEC } from './io/onnx/codec.js';
import { installONNX } from './io/onnx/loader.js';
import { installPart } from './model/parts.js';
import * as persist from './model/persist.js';
import type { ONNXExportOptions } from './io/onnx/export.js';
import type { ONNXImportOptions } from './io/onnx/import.js';
import { Sequential } from './index.js';

installONNX(ONNX_CODEC);
// ONNX models are built and captured through the formats part: this entry brings it along.
installPart('formats', persist);

export { EXPORT_OPSET, EXPORT_IR_VERSION, SUPPORTED_OPS } from './io/onnx/constants.js';
export type { ONNXExportOptions, ONNXImportOptions };

/** The network of `model` as ONNX bytes (opset 13, float32, dynamic batch), as model.toONNX(). Changes nothing. */
export function toONNX(model: Sequential, options: ONNXExportOptions = {}): Uint8Array {
  return model.toONNX(options);
}

/** A new, uncompiled Sequential built from ONNX bytes, as Sequential.fromONNX(); see the README's ONNX section. */
export function fromONNX(bytes: Uint8Array, options: ONNXImportOptions = {}): Sequential {
  return Sequential.fromONNX(bytes, options);
}
