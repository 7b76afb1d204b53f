/**
 * Where the wasm engine gets its stage-by-stage forward pass (forward-stages.ts), which only
 * layerOutputs uses: that code comes with src/extras.ts and backends.ts installs it, so a page
 * that never asks for layer outputs does not ship it (Node installs it when `wasmlp` is imported).
 */
import { StateError } from '../errors.js';
import type { forwardStages } from './forward-stages.js';

let installed: typeof forwardStages | null = null;

/** Makes `fn` the pass WasmEngine.forwardStages runs (once; later calls keep the first). Mutates this module's state only. */
export function installForwardStages(fn: typeof forwardStages): void {
  installed ??= fn;
}

/** The installed pass; throws StateError naming the preload call while it is not loaded. */
export function stagePass(): typeof forwardStages {
  if (installed === null)
    throw new StateError("forwardStages: the layer outputs code is not loaded yet: `await preload('inspect')` once first (import { preload } from 'wasmlp')");
  return installed;
}
