/**
 * Loads the WebAssembly core (build/wasmlp.wasm) once and gives synchronous access to it.
 *
 * Node reads the file beside the package with a dynamic import of node:fs/promises (so that
 * browser bundles never see it); browsers fetch the same URL. Where the engine has relaxed
 * SIMD (Chromium by default; Node 20 only with --experimental-wasm-relaxed-simd) the build
 * with fused multiply-add, build/wasmlp.relaxed.wasm, is taken instead, unless told otherwise. `ready()` must be awaited once;
 * afterwards `core()` returns the instance's exports synchronously. Typed-array views of the
 * memory are cached and re-created when growth has detached them.
 */

import { readAbi, verifyExports, type CoreAbi, type CoreExports } from './abi.js';

export type { CoreExports, CoreAbi } from './abi.js';

/** The most bytes a wasm32 memory holds: 65536 pages of 64 KiB (the ordinary builds declare no lower maximum). */
export const WASM32_MAX_BYTES = 2 ** 32;

/** A loaded core: its exports and cached views of its memory. */
export interface Core {
  readonly exports: CoreExports;
  /** The core's codes and sizes (abi.ts), read once when the instance was wrapped. */
  readonly abi: CoreAbi;
  /** The most bytes its memory can grow to (wasm32: 4 GiB; the threads build: its declared maximum). */
  readonly maxBytes: number;
  /** Float32 view of all of memory (re-created after growth). */
  f32(): Float32Array;
  /** Int32 view of all of memory (re-created after growth). */
  i32(): Int32Array;
}

const WASM_URL = new URL('../../build/wasmlp.wasm', import.meta.url);
const RELAXED_URL = new URL('../../build/wasmlp.relaxed.wasm', import.meta.url);

/** Where each single-threaded build of the core lies (bench/kernels.js loads them itself). */
export const CORE_URLS: Readonly<Record<CoreVariant, URL>> = { simd128: WASM_URL, 'relaxed-simd': RELAXED_URL };

/** The smallest module that uses f32x4.relaxed_madd: valid only where relaxed SIMD is on. */
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 61, 1, 59, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 253, 12, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 253, 133, 2, 11,
]);

/** Which build of the core is loaded. */
export type CoreVariant = 'simd128' | 'relaxed-simd';

/** Options of ready(). */
export interface ReadyOptions {
  /** true: the relaxed-SIMD (FMA) build where the engine can run it; false: always the baseline. Default true. */
  relaxedSimd?: boolean;
}

/** True when this engine validates relaxed-SIMD code. */
export function hasRelaxedSimd(): boolean {
  try {
    return WebAssembly.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

let loaded: Core | null = null;
let variant: CoreVariant = 'simd128';
let loading: Promise<void> | null = null;

/** Reads a UTF-16 string of the stub runtime (its byte length is stored just before it). */
function readString(memory: WebAssembly.Memory, ptr: number): string {
  if (!ptr) return '';
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0];
  const units = new Uint16Array(memory.buffer, ptr, bytes >>> 1);
  let s = '';
  for (let i = 0; i < units.length; i += 1024) s += String.fromCharCode(...units.subarray(i, i + 1024));
  return s;
}

/**
 * Instantiates the module from bytes, a Response or a compiled Module; `abort` becomes a thrown
 * Error. `shared` is the memory to import (the threads builds), else the module's own is used.
 * Rejects an instance whose exports are not the core's (abi.ts verifyExports: a stale or
 * mismatched .wasm beside this JS), naming each difference.
 */
export async function instantiate(source: BufferSource | Response | WebAssembly.Module, shared?: WebAssembly.Memory): Promise<WebAssembly.Instance> {
  let memory: WebAssembly.Memory | null = shared ?? null;
  const imports = {
    env: {
      ...(shared ? { memory: shared } : {}),
      abort(msg: number, file: number, line: number, col: number): never {
        const text = memory ? readString(memory, msg) : `abort ${msg}`;
        const where = memory ? readString(memory, file) : '';
        throw new Error(`wasmlp core: ${text}${where ? ` (${where}:${line}:${col})` : ''}`);
      },
      trace(): void {},
      seed(): number {
        return Date.now();
      },
    },
  };
  let instance: WebAssembly.Instance;
  if (source instanceof WebAssembly.Module) {
    instance = await WebAssembly.instantiate(source, imports);
  } else if (typeof Response !== 'undefined' && source instanceof Response) {
    try {
      instance = (await WebAssembly.instantiateStreaming(source.clone(), imports)).instance;
    } catch {
      // Servers that send the wrong MIME type defeat streaming: fall back to bytes.
      instance = (await WebAssembly.instantiate(await source.arrayBuffer(), imports)).instance;
    }
  } else {
    instance = (await WebAssembly.instantiate(source as BufferSource, imports)).instance;
  }
  await verifyExports(instance);
  memory = instance.exports.memory as WebAssembly.Memory;
  return instance;
}

/** Fetches (browser) or reads (Node) the module's bytes. */
export async function source(url: URL): Promise<BufferSource | Response> {
  const isNode = typeof process !== 'undefined' && !!process.versions?.node && url.protocol === 'file:';
  if (isNode) {
    const fs = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises');
    return await fs.readFile(url);
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`wasmlp: cannot fetch ${url.href}: HTTP ${res.status}`);
  return res;
}

/** Instantiates the relaxed build when wanted and possible, else (or if that fails) the baseline. */
async function load(options: ReadyOptions): Promise<Core> {
  if (options.relaxedSimd !== false && hasRelaxedSimd()) {
    try {
      const core = makeCore(await instantiate(await source(RELAXED_URL)));
      variant = 'relaxed-simd';
      return core;
    } catch {
      // A package built without the relaxed target: the baseline does the same work.
    }
  }
  const core = makeCore(await instantiate(await source(WASM_URL)));
  variant = 'simd128';
  return core;
}

/**
 * Wraps an instance that instantiate() made (which checked its exports), reading its codes
 * (abi.ts readAbi). Growth detaches an ordinary memory's old buffer (its byteLength drops to
 * 0: cheaper to test than memory.buffer); a shared memory's old buffer stays valid at its old
 * length instead, so there the view is compared with the current length. `maxBytes` is the
 * limit its memory can grow to.
 */
export function makeCore(instance: WebAssembly.Instance, shared = false, maxBytes = WASM32_MAX_BYTES): Core {
  const exports = instance.exports as unknown as CoreExports;
  const abi = readAbi(exports);
  const memory = exports.memory;
  let f32 = new Float32Array(memory.buffer);
  let i32 = new Int32Array(memory.buffer);
  const stale = shared
    ? (v: Float32Array | Int32Array) => v.byteLength !== memory.buffer.byteLength
    : (v: Float32Array | Int32Array) => v.buffer.byteLength === 0;
  return {
    exports,
    abi,
    maxBytes,
    f32() {
      if (stale(f32)) f32 = new Float32Array(memory.buffer);
      return f32;
    },
    i32() {
      if (stale(i32)) i32 = new Int32Array(memory.buffer);
      return i32;
    },
  };
}

/**
 * Loads the core once; later calls return the same promise (the first call's options win).
 * Rejects if the module cannot be loaded.
 */
export function ready(options: ReadyOptions = {}): Promise<void> {
  if (!loading) {
    loading = (async () => {
      loaded = await load(options);
    })();
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/** The build that ready() loaded ('simd128' before it resolves). */
export function coreVariant(): CoreVariant {
  return variant;
}

/** True once ready() has resolved. */
export function isReady(): boolean {
  return loaded !== null;
}

/** The loaded core. Throws when ready() has not completed. */
export function core(): Core {
  if (!loaded) throw new Error('WebAssembly core not loaded: await ready() first');
  return loaded;
}

/** Bytes held by live allocations in the core's arena (headers included). */
export function arenaBytesInUse(): number {
  return core().exports.bytesInUse() >>> 0;
}

/** Current size of the core's linear memory in bytes. */
export function wasmMemoryBytes(): number {
  return core().exports.memory.buffer.byteLength;
}

/**
 * Walks the core's arena and checks every block header, the free list and the byte count
 * (assembly/arena.ts arenaCheck): 0 when the arena is intact, else the number of the failed check.
 */
export function arenaCheck(): number {
  return core().exports.arenaCheck();
}
