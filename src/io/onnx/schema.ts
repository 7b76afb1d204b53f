/**
 * The subset of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto, proto2) that an MLP needs,
 * compiled at load time by protobufjs from an embedded string so it works in browsers without
 * file access. Field numbers and types are those of the official schema; messages and fields
 * left out here are skipped by the decoder as unknown fields. Enums are declared as int32 (same
 * wire type) so unknown enum values in newer files still decode.
 */
import protobuf from 'protobufjs';

const ONNX_PROTO = `
syntax = "proto2";
package onnx;

message AttributeProto {
  optional string name = 1;
  optional string ref_attr_name = 21;
  optional string doc_string = 13;
  optional int32 type = 20;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  optional GraphProto g = 6;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
  repeated TensorProto tensors = 10;
  repeated GraphProto graphs = 11;
}

message ValueInfoProto {
  optional string name = 1;
  optional TypeProto type = 2;
  optional string doc_string = 3;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  optional string domain = 7;
  repeated AttributeProto attribute = 5;
  optional string doc_string = 6;
}

message StringStringEntryProto {
  optional string key = 1;
  optional string value = 2;
}

message ModelProto {
  optional int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional string domain = 4;
  optional int64 model_version = 5;
  optional string doc_string = 6;
  optional GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14;
}

message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  optional string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}

message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int32 int32_data = 5 [packed = true];
  repeated bytes string_data = 6;
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
  optional string doc_string = 12;
  optional bytes raw_data = 9;
  repeated StringStringEntryProto external_data = 13;
  optional int32 data_location = 14;
  repeated double double_data = 10 [packed = true];
  repeated uint64 uint64_data = 11 [packed = true];
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
    optional string denotation = 3;
  }
  repeated Dimension dim = 1;
}

message TypeProto {
  message Tensor {
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
  }
  optional string denotation = 6;
}

message OperatorSetIdProto {
  optional string domain = 1;
  optional int64 version = 2;
}
`;

/** ONNX TensorProto.DataType codes used here. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9, DOUBLE: 11 } as const;
/** ONNX AttributeProto.AttributeType codes used here. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

/** An attribute as decoded (plain object; numbers for int64). */
export interface Attribute {
  name: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: Tensor;
  floats?: number[];
  ints?: number[];
}

/** A tensor as decoded. */
export interface Tensor {
  name?: string;
  dims: number[];
  dataType?: number;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  doubleData?: number[];
  rawData?: Uint8Array;
  dataLocation?: number;
}

/** A node as decoded. */
export interface Node {
  input: string[];
  output: string[];
  name?: string;
  opType: string;
  domain?: string;
  attribute: Attribute[];
}

/** A graph input or output as decoded. */
export interface ValueInfo {
  name: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim: { dimValue?: number; dimParam?: string }[] } } };
}

/** A graph as decoded. */
export interface Graph {
  node: Node[];
  name?: string;
  initializer: Tensor[];
  input: ValueInfo[];
  output: ValueInfo[];
}

/** A model as decoded. */
export interface Model {
  irVersion?: number;
  opsetImport: { domain?: string; version?: number }[];
  producerName?: string;
  producerVersion?: string;
  graph?: Graph;
  /** Key-value pairs about the model (ONNX ModelProto.metadata_props). */
  metadataProps?: { key?: string; value?: string }[];
}

let modelType: protobuf.Type | null = null;

/** The compiled ModelProto type (parsed once, on first use). */
function ModelProto(): protobuf.Type {
  modelType ??= protobuf.parse(ONNX_PROTO, { keepCase: false }).root.lookupType('onnx.ModelProto');
  return modelType;
}

/** Encodes a ModelProto given as a plain object (camelCase field names). Returns new bytes. */
export function encodeModel(model: Model): Uint8Array {
  const T = ModelProto();
  return T.encode(T.fromObject(model)).finish();
}

/** Decodes ModelProto bytes into a plain object (int64 as numbers, repeated fields as arrays). Throws protobufjs errors on corrupt input. */
export function decodeModel(bytes: Uint8Array): Model {
  const T = ModelProto();
  return T.toObject(T.decode(bytes), { longs: Number, arrays: true, defaults: false }) as Model;
}
