/** Choosing the engine that holds a model's numbers. */
import { ConfigError, StateError, describe } from '../errors.js';
import type { Engine } from '../engine.js';
import type { Plan } from '../plan.js';
import { ReferenceEngine } from '../reference/engine.js';
import { isReady } from '../wasm/core.js';
import { WasmEngine } from '../wasm/engine.js';

/** The two backends: the f32 WebAssembly core, and the float64 reference in plain TypeScript. */
export type BackendName = 'wasm' | 'reference';

/** A new engine for `plan` on `backend`; the wasm core must be loaded (await ready()). */
export function createEngine(plan: Plan, backend: BackendName): Engine {
  if (backend === 'reference') return new ReferenceEngine(plan);
  if (backend !== 'wasm') throw new ConfigError(`unknown backend ${describe(backend)} (valid: wasm, reference)`);
  if (!isReady()) throw new StateError("the WebAssembly core is not loaded yet: `await ready()` once (import { ready } from 'wasmlp') before creating models");
  return new WasmEngine(plan);
}
