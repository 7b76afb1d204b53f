/**
 * The backend switch: the one module that knows the backends' classes. The model layer gets its
 * engines here, and the float64 maths it reports with (evaluation losses, probabilities), so it
 * never imports src/wasm/ or src/reference/ itself.
 *
 * The float64 reference engine is not part of a page's first download: nothing imports it
 * statically but src/extras.ts, which model/parts.ts loads with a dynamic import (a separate
 * chunk for bundlers) and Node when `wasmlp` is imported, so `backend: 'reference'` works there
 * as always.
 */
import { BACKEND_NAMES, isBackendName, type BackendName } from './engine-options.js';
import type { Engine } from './engine.js';
import { ConfigError, StateError, describe } from './errors.js';
import type { Ops } from './ops.js';
import type { Plan } from './plan.js';
import type { ReferenceEngine } from './reference/engine.js';
import { activationForward } from './reference/activations.js';
import { lossValue } from './reference/losses.js';
import { isReady } from './wasm/core.js';
import type { forwardStages as ForwardStages } from './wasm/forward-stages.js';
import { WasmEngine } from './wasm/engine.js';
import { installForwardStages } from './wasm/stage-pass.js';
import { installStaging } from './wasm/staging-pass.js';
import type * as WasmStaging from './wasm/staging.js';

let Reference: typeof ReferenceEngine | null = null;

/**
 * Installs the backends' code that comes with src/extras.ts: the class 'reference' models are
 * built with, the wasm engine's stage-by-stage forward pass (layerOutputs) and its staging calls (streamed fit). model/parts.ts
 * calls this once extras are loaded. Mutates this module's and wasm/stage-pass.ts's state only.
 */
export function installBackendParts(parts: {
  ReferenceEngine: typeof ReferenceEngine;
  forwardStages: typeof ForwardStages;
  wasmStaging: typeof WasmStaging;
}): void {
  Reference ??= parts.ReferenceEngine;
  installForwardStages(parts.forwardStages);
  installStaging(parts.wasmStaging);
}

/** Whether the reference engine is loaded. */
export function referenceLoaded(): boolean {
  return Reference !== null;
}

/** A new engine for `plan` on `backend`; the wasm core must be loaded (await ready()), the reference engine too for 'reference'. */
export function createEngine(plan: Plan, backend: BackendName): Engine {
  if (!isBackendName(backend)) throw new ConfigError(`unknown backend ${describe(backend)} (valid: ${BACKEND_NAMES.join(', ')})`);
  if (backend === 'reference') {
    if (Reference === null)
      throw new StateError(
        "the reference backend is not loaded yet: `await preload('reference')` once (import { preload } from 'wasmlp') before creating reference models",
      );
    return new Reference(plan);
  }
  if (!isReady()) throw new StateError("the WebAssembly core is not loaded yet: `await ready()` once (import { ready } from 'wasmlp') before creating models");
  return new WasmEngine(plan);
}

/**
 * Float64 ops for numbers a model reports whatever its backend (evaluate's loss, predictProba's
 * probabilities): the reference kernels, so both backends report on the same footing. Only the
 * two the model layer uses (a loss's value, not its gradient), so a page does not ship the
 * reference GEMM, dense layer and loss gradients with them.
 */
export const float64Ops: Pick<Ops, 'activationForward'> & { lossValue: typeof lossValue } = { lossValue, activationForward };
