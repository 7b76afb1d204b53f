/**
 * Where the wasm engine gets its staging calls (staging.ts), which only streamed training uses:
 * that code comes with src/extras.ts and backends.ts installs it, as the stage pass (stage-pass.ts).
 */
import { StateError } from '../errors.js';
import type * as Staging from './staging.js';

let installed: typeof Staging | null = null;

/** Makes `staging` the code WasmEngine.createStaging / loadBatch run (once; later calls keep the first). Mutates this module's state only. */
export function installStaging(staging: typeof Staging): void {
  installed ??= staging;
}

/** The installed staging code; throws StateError while it is not loaded (fit loads it before it streams). */
export function stagingCode(): typeof Staging {
  if (installed === null)
    throw new StateError(
      "createStaging: the streaming code is not loaded yet: fit loads it before it streams; `await preload()` loads it ahead (import { preload } from 'wasmlp')",
    );
  return installed;
}
