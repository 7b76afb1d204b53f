/**
 * The ONNX facts users may read without loading the ONNX code itself (which pulls in
 * protobufjs): the opset and IR version exports declare and the operators import understands.
 * export.ts and import.ts take them from here.
 */

/** The default-domain operator set exports declare (13: Softmax over the last axis). */
export const EXPORT_OPSET = 13;
/** The ONNX IR version exports declare (7 is what opset 13 needs at least). */
export const EXPORT_IR_VERSION = 7;

/** The operators fromONNX understands. */
export const SUPPORTED_OPS = [
  'Gemm',
  'MatMul',
  'Add',
  'Flatten',
  'Reshape',
  'Relu',
  'Sigmoid',
  'Tanh',
  'LeakyRelu',
  'Softmax',
  'Identity',
  'Greater',
  'Cast',
  'BatchNormalization',
  'Dropout',
  'Constant',
] as const;
