/**
 * The threads build of the core: one shared WebAssembly.Memory, the main instance that owns it
 * (the only one that allocates), and the compiled Module that worker threads instantiate on
 * the same memory (pool.ts). Loaded on demand, once, the first time a model trains with more
 * than one thread; models on one thread keep the ordinary build, which is what `ready()` loads.
 *
 * Shared memory needs SharedArrayBuffer, which browsers only offer to cross-origin isolated
 * pages (served with COOP `same-origin` and COEP `require-corp`); where it or workers are
 * missing, `threadSupport()` says why and models train on one thread (with one console.info).
 */
import { coreVariant, instantiate, makeCore, source, type Core } from '../core.js';
import { importedMemoryLimits } from './memory-import.js';
import { allocOrThrow } from '../memory.js';

/** The threads build, ready to use. */
export interface ThreadsCore extends Core {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** Logical CPU cores of this machine (navigator.hardwareConcurrency or os.availableParallelism). */
  readonly cores: number;
}

/** Whether threads can be used here, and if not, why. */
export interface ThreadSupport {
  available: boolean;
  /** Why not (null when available). */
  reason: string | null;
}

const THREADS_URL = new URL('../../../build/wasmlp.threads.wasm', import.meta.url);
const THREADS_RELAXED_URL = new URL('../../../build/wasmlp.threads-relaxed.wasm', import.meta.url);
/** Pages of 64 KiB the shared memory starts with (the module needs 1 at least, for its static data). */
const INITIAL_PAGES = 16;

let disabledReason: string | null = null;
let loading: Promise<ThreadsCore> | null = null;
let loaded: ThreadsCore | null = null;
let noticed = false;

/** True in a browser's window (or any page context) rather than in a worker or Node. */
export function isBrowserMainThread(): boolean {
  const g = globalThis as { document?: unknown; window?: unknown };
  return typeof g.window !== 'undefined' && typeof g.document !== 'undefined';
}

function isNode(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node;
}

/** Whether multi-threaded training is possible in this context (see ThreadSupport). */
export function threadSupport(): ThreadSupport {
  const no = (reason: string): ThreadSupport => ({ available: false, reason });
  if (disabledReason !== null) return no(disabledReason);
  if (typeof SharedArrayBuffer !== 'function') {
    return no(
      isNode()
        ? 'SharedArrayBuffer is not available'
        : 'SharedArrayBuffer is not available: serve the page cross-origin isolated (Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp)',
    );
  }
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  if (!isNode() && g.crossOriginIsolated === false) {
    return no('the page is not cross-origin isolated (needs Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)');
  }
  if (!isNode() && typeof g.Worker !== 'function') return no('Web Workers are not available');
  return { available: true, reason: null };
}

/** True when threadSupport() says threads can be used. */
export function threadsAvailable(): boolean {
  return threadSupport().available;
}

/**
 * Turns multi-threaded training off for this process (`reason` says why in notices), or back on
 * with null. Models then train on one thread, as where shared memory is missing.
 */
export function disableThreads(reason: string | null = 'threads disabled by disableThreads()'): void {
  disabledReason = reason;
}

/** Says once (console.info) that a model asked for threads and gets one. */
export function noticeSingleThread(reason: string): void {
  if (noticed) return;
  noticed = true;
  console.info(`wasmlp: training on one thread: ${reason}`);
}

async function cpuCount(): Promise<number> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (nav?.hardwareConcurrency) return nav.hardwareConcurrency;
  if (isNode()) {
    const os = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:os');
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  }
  return 1;
}

/** Compiles and instantiates the threads build that matches the loaded core's SIMD variant. */
async function load(): Promise<ThreadsCore> {
  const relaxed = coreVariant() === 'relaxed-simd';
  const src = await source(relaxed ? THREADS_RELAXED_URL : THREADS_URL);
  // The bytes, not a stream: the memory's maximum must be the one the module declares (asconfig.json).
  const bytes =
    src instanceof Response
      ? new Uint8Array(await src.arrayBuffer())
      : ArrayBuffer.isView(src)
        ? new Uint8Array(src.buffer, src.byteOffset, src.byteLength)
        : new Uint8Array(src);
  const limits = importedMemoryLimits(bytes);
  if (!limits?.shared || limits.maximum === null) throw new Error('wasmlp threads: the threads build does not import a shared memory with a maximum');
  const module = await WebAssembly.compile(bytes);
  const memory = new WebAssembly.Memory({ initial: Math.max(INITIAL_PAGES, limits.initial), maximum: limits.maximum, shared: true });
  const instance = await instantiate(module, memory);
  const core = makeCore(instance, true, limits.maximum * 65536);
  const e = core.exports;
  // The threads builds have no static scratch: the main thread's comes from the arena too.
  e.gemmSetScratch(allocOrThrow(core, e.GEMM_SCRATCH_BYTES.value as number, "the threads core's GEMM scratch"));
  return { ...core, module, memory, cores: await cpuCount() };
}

/**
 * Loads the threads build once (after `ready()`: it takes the same SIMD variant, so results
 * match the ordinary build bit for bit). Rejects when threads are unavailable.
 */
export function threadsCore(): Promise<ThreadsCore> {
  const support = threadSupport();
  if (!support.available) return Promise.reject(new Error(`wasmlp threads: ${support.reason}`));
  if (!loading) {
    loading = load().then((c) => (loaded = c));
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/** The threads core if it has been loaded, else null. */
export function loadedThreadsCore(): ThreadsCore | null {
  return loaded;
}

/** Size in bytes of the threads build's shared memory (0 before it is loaded); threaded models live there. */
export function threadsMemoryBytes(): number {
  return loaded ? loaded.memory.buffer.byteLength : 0;
}
