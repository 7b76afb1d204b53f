/**
 * The backend switch: the one module that knows the backends' classes. The model layer gets its
 * engines here, and the float64 maths it reports with (evaluation losses, probabilities), so it
 * never imports src/wasm/ or src/reference/ itself.
 */
import { BACKEND_NAMES, isBackendName, type BackendName } from './engine-options.js';
import type { Engine } from './engine.js';
import { ConfigError, StateError, describe } from './errors.js';
import type { Ops } from './ops.js';
import type { Plan } from './plan.js';
import { ReferenceEngine } from './reference/engine.js';
import { referenceOps } from './reference/ops.js';
import { isReady } from './wasm/core.js';
import { WasmEngine } from './wasm/engine.js';

/** A new engine for `plan` on `backend`; the wasm core must be loaded (await ready()). */
export function createEngine(plan: Plan, backend: BackendName): Engine {
  if (!isBackendName(backend)) throw new ConfigError(`unknown backend ${describe(backend)} (valid: ${BACKEND_NAMES.join(', ')})`);
  if (backend === 'reference') return new ReferenceEngine(plan);
  if (!isReady()) throw new StateError("the WebAssembly core is not loaded yet: `await ready()` once (import { ready } from 'wasmlp') before creating models");
  return new WasmEngine(plan);
}

/**
 * Float64 ops for numbers a model reports whatever its backend (evaluate's loss, predictProba's
 * probabilities): the reference kernels, so both backends report on the same footing.
 */
export const float64Ops: Ops = referenceOps;
