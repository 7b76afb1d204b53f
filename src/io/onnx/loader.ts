/**
 * Where the rest of wasmlp gets the ONNX code from. That code (codec.ts: export, import and the
 * protobufjs schema) is most of what a page would otherwise ship without using it, so nothing
 * imports it statically but the `wasmlp/onnx` entry: loadONNX() fetches it with a dynamic import
 * (a separate chunk for bundlers), and Node loads it when `wasmlp` is imported so the synchronous
 * toONNX / fromONNX keep working there.
 */
import type { NetworkOutput, NetworkRecord } from '../model-record.js';
import type { ONNXExportOptions } from './export.js';

/** The two halves of ONNX support, as codec.ts provides them. */
export interface ONNXCodec {
  recordToONNX(network: NetworkRecord & { output?: NetworkOutput }, options?: ONNXExportOptions): Uint8Array;
  recordFromONNX(bytes: Uint8Array): ReturnType<typeof import('./import.js').recordFromONNX>;
}

let installed: ONNXCodec | null = null;
let loading: Promise<ONNXCodec> | null = null;

/** Makes `codec` the ONNX code every later call uses (the `wasmlp/onnx` entry calls this). Mutates this module's state only. */
export function installONNX(codec: ONNXCodec): void {
  installed = codec;
}

/** Whether the ONNX code is loaded, so the synchronous toONNX / fromONNX can run. */
export function onnxLoaded(): boolean {
  return installed !== null;
}

/** The ONNX code once installed (null before): onnx-codec.ts turns null into the error synchronous callers throw. Reads only. */
export function installedONNX(): ONNXCodec | null {
  return installed;
}

/** Loads the ONNX code (once; later calls share the same promise) and installs it, so the synchronous toONNX / fromONNX work. */
export async function loadONNX(): Promise<void> {
  if (installed !== null) return;
  loading ??= import('./codec.js').then((m) => {
    installed ??= m.ONNX_CODEC;
    return installed;
  });
  try {
    await loading;
  } catch (e) {
    loading = null;
    throw e;
  }
}
