/**
 * The choices a model makes about its engine, shared by the model layer, the backends and the
 * file formats: which backend, how many threads, and the float type the numbers are stored in.
 * Part of the engine contract (src/engine.ts); no backend's code is needed to check them.
 */
import { ValueError, describe } from './errors.js';

/** The two backends: the f32 WebAssembly core, and the float64 reference in plain TypeScript. */
export type BackendName = 'wasm' | 'reference';

/** Every backend name, in the order error messages list them. */
export const BACKEND_NAMES: readonly BackendName[] = ['wasm', 'reference'];

/** The backend a model gets when none is asked for. */
export const DEFAULT_BACKEND: BackendName = 'wasm';

/** True when `b` names a backend. */
export function isBackendName(b: unknown): b is BackendName {
  return (BACKEND_NAMES as readonly unknown[]).includes(b);
}

/** The float type an engine stores its numbers in (and a saved tensor's element type). */
export type DType = 'float32' | 'float64';

/** `threads` of a model or of fit: a count, or 'auto' (the backend picks per step; see src/wasm/thread-count.ts). */
export type ThreadsOption = 'auto' | number;

/** Most threads anyone may ask for (the wasm core's team limit). */
export const MAX_THREADS = 64;

/** True when `t` is 'auto' or an integer in [1, MAX_THREADS]. */
export function isThreadsOption(t: unknown): t is ThreadsOption {
  return t === 'auto' || (typeof t === 'number' && Number.isInteger(t) && t >= 1 && t <= MAX_THREADS);
}

/** Returns `t` when it is a valid threads option; throws ValueError naming `where` otherwise. */
export function checkThreads(t: unknown, where: string): ThreadsOption {
  if (!isThreadsOption(t)) throw new ValueError(`${where}: threads must be 'auto' or an integer in [1, ${MAX_THREADS}], got ${describe(t)}`);
  return t;
}
