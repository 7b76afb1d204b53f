/**
 * The public form of the PyTorch package export, typed on Sequential (interop.ts takes the
 * narrower SavableModel, which the API reference does not document). The interop code loads on
 * first call (parts.ts), so importing this function costs a page nothing.
 */
import type { PyTorchFitOptions } from './interop.js';
import { loadPart } from './parts.js';
import type { Sequential } from './sequential.js';

/**
 * Writes the PyTorch package of `model` (model.py, train.py, config.json, weights.safetensors)
 * into folder `dir` (Node; created when missing), each file atomically; resolves with the paths
 * written. `options` are the fit settings train.py reproduces; with `overwrite: false` existing
 * files are refused before anything is written. Reads the model, changes nothing in it.
 */
export async function exportPyTorch(model: Sequential, dir: string, options: PyTorchFitOptions & { overwrite?: boolean } = {}): Promise<string[]> {
  return (await loadPart('interop')).exportPyTorch(model, dir, options);
}
