/**
 * The threads build of the core: one shared WebAssembly.Memory, the main instance that owns it
 * (the only one that allocates), and the compiled Module that worker threads instantiate on
 * the same memory (pool.ts). Loaded on demand, once, the first time a model trains with more
 * than one thread (a chunk of its own in a bundle); models on one thread keep the ordinary
 * build, which is what `ready()` loads. Whether threads can run at all is threads-support.ts.
 */
import { coreVariant, instantiate, makeCore, source, type Core } from '../core.js';
import { importedMemoryLimits } from './memory-import.js';
import { allocOrThrow } from '../memory.js';
import { isNode, setThreadsMemory, threadSupport } from './threads-support.js';

/** The threads build, ready to use. */
export interface ThreadsCore extends Core {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** Logical CPU cores of this machine (navigator.hardwareConcurrency or os.availableParallelism). */
  readonly cores: number;
}

const THREADS_URL = new URL('../../../build/wasmlp.threads.wasm', import.meta.url);
const THREADS_RELAXED_URL = new URL('../../../build/wasmlp.threads-relaxed.wasm', import.meta.url);
/** Pages of 64 KiB the shared memory starts with (the module needs 1 at least, for its static data). */
const INITIAL_PAGES = 16;

let loading: Promise<ThreadsCore> | null = null;
let loaded: ThreadsCore | null = null;

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
    loading = load().then((c) => {
      setThreadsMemory(c.memory);
      return (loaded = c);
    });
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
