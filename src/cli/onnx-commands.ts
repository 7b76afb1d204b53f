/** `wasmlp export` (a saved model to ONNX) and `wasmlp import` (ONNX to a wasmlp model file). */
import { Sequential } from '../model/sequential.js';
import { MAX_MODEL_FILE_BYTES } from '../io/model-file.js';
import { checkOutputs, readInput, writeOutput } from './files.js';
import { readModel } from './model-commands.js';
import { EXIT, UsageError } from './usage-error.js';

/** Writes the ONNX form of a saved model (any format) to `o.onnx`. */
export async function exportCommand(o: { model: string; onnx: string; output?: string; force?: boolean }): Promise<number> {
  if (o.output !== undefined && o.output !== 'logits' && o.output !== 'probabilities')
    throw new UsageError(`--output must be logits or probabilities, got '${o.output}'`);
  await checkOutputs([o.onnx], o.force === true);
  const model = await readModel(o.model);
  try {
    const bytes = await model.exportONNX(o.output === undefined ? {} : { output: o.output });
    await writeOutput(o.onnx, bytes);
    console.log(`wrote ${o.onnx} (${bytes.length} bytes, opset 13, ${model.inputSize} inputs, ${model.outputSize} outputs${o.output ? `, ${o.output}` : ''})`);
    return EXIT.ok;
  } finally {
    model.dispose();
  }
}

/**
 * Imports an ONNX MLP and writes it as a wasmlp model: the JSON document when `o.out` ends in
 * .json, the binary form otherwise. The model is uncompiled (no loss is stored in ONNX).
 */
export async function importCommand(file: string, o: { out: string; backend?: string; force?: boolean }): Promise<number> {
  await checkOutputs([o.out], o.force === true);
  const bytes = await readInput(file, MAX_MODEL_FILE_BYTES, 'import');
  const backend = o.backend ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'reference') throw new UsageError(`--backend must be wasm or reference, got ${backend}`);
  const model = await Sequential.importONNX(bytes, { backend });
  try {
    const data = o.out.toLowerCase().endsWith('.json') ? JSON.stringify(model.toJSON()) : model.save();
    await writeOutput(o.out, data);
    console.log(`wrote ${o.out}: ${model.layers.map((l) => l.toConfig().config.activation ?? l.className).join(' → ')}`);
    return EXIT.ok;
  } finally {
    model.dispose();
  }
}
