/** `wasmlp export` (a saved model to ONNX) and `wasmlp import` (ONNX to a wasmlp model file). */
import { readFile, writeFile } from 'node:fs/promises';
import { Sequential } from '../model/sequential.js';
import { readModel } from './model-commands.js';
import { EXIT, UsageError } from './usage-error.js';

/** Writes the ONNX form of a saved model (any format) to `o.onnx`. */
export async function exportCommand(o: { model: string; onnx: string }): Promise<number> {
  const model = await readModel(o.model);
  try {
    const bytes = model.toONNX();
    await writeFile(o.onnx, bytes);
    console.log(`wrote ${o.onnx} (${bytes.length} bytes, opset 13, ${model.inputSize} inputs, ${model.outputSize} outputs)`);
    return EXIT.ok;
  } finally {
    model.dispose();
  }
}

/**
 * Imports an ONNX MLP and writes it as a wasmlp model: the JSON document when `o.out` ends in
 * .json, the binary form otherwise. The model is uncompiled (no loss is stored in ONNX).
 */
export async function importCommand(file: string, o: { out: string; backend?: string }): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const backend = o.backend ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'reference') throw new UsageError(`--backend must be wasm or reference, got ${backend}`);
  const model = Sequential.fromONNX(bytes, { backend });
  try {
    const data = o.out.toLowerCase().endsWith('.json') ? JSON.stringify(model.toJSON()) : model.save();
    await writeFile(o.out, data);
    console.log(`wrote ${o.out}: ${model.layers.map((l) => l.toConfig().config.activation ?? l.className).join(' → ')}`);
    return EXIT.ok;
  } finally {
    model.dispose();
  }
}
