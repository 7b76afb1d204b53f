/**
 * The core's public entry points, re-declared with plain types so the published declarations
 * (dist/index.d.ts) never mention WebAssembly.Memory or BufferSource: a consumer compiling
 * without the DOM library (Node's types only) can use wasmlp's .d.ts with skipLibCheck off.
 * Each constant is the very function of core.ts / threads-support.ts; nothing is wrapped.
 */
import * as core from './core.js';
import * as threads from './threads/threads-support.js';

/** Which build of the core is loaded. */
export type CoreVariant = 'simd128' | 'relaxed-simd';

/** Options of ready(). */
export interface ReadyOptions {
  /** true: the relaxed-SIMD (FMA) build where the engine can run it; false: always the baseline. Default true. */
  relaxedSimd?: boolean;
}

/** Whether threads can be used here, and if not, why. */
export interface ThreadSupport {
  available: boolean;
  /** Why not (null when available). */
  reason: string | null;
}

/** Loads the WebAssembly core once (Node does so on import; browsers call it before the first model). */
export const ready: (options?: ReadyOptions) => Promise<void> = core.ready;
/** True once the core is loaded. */
export const isReady: () => boolean = core.isReady;
/** The build that ready() loaded ('simd128' before it resolves). */
export const coreVariant: () => CoreVariant = core.coreVariant;
/** Whether multi-threaded training can run here, and if not, why. */
export const threadSupport: () => ThreadSupport = threads.threadSupport;
/** True when multi-threaded training can run here. */
export const threadsAvailable: () => boolean = threads.threadsAvailable;
/** Turns multi-threaded training off for this process (fit then runs on one thread), with an optional reason. */
export const disableThreads: (reason?: string | null) => void = threads.disableThreads;
/** Bytes of the shared memory of the threads build (0 before it is loaded). */
export const threadsMemoryBytes: () => number = threads.threadsMemoryBytes;
