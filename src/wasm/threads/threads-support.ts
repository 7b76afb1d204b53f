/**
 * Whether multi-threaded training can run here, and the switch that turns it off: the small,
 * synchronous half of the threads support, which the public API (threadSupport,
 * disableThreads, threadsMemoryBytes) needs at once. The loader of the threads build itself
 * (threads-core.ts) loads only when a model first trains on more than one thread.
 *
 * Shared memory needs SharedArrayBuffer, which browsers only offer to cross-origin isolated
 * pages (served with COOP `same-origin` and COEP `require-corp`); where it or workers are
 * missing, `threadSupport()` says why and models train on one thread (with one console.info).
 */

/** Whether threads can be used here, and if not, why. */
export interface ThreadSupport {
  available: boolean;
  /** Why not (null when available). */
  reason: string | null;
}

let disabledReason: string | null = null;
let noticed = false;
let sharedMemory: WebAssembly.Memory | null = null;

/** True in a browser's window (or any page context) rather than in a worker or Node. */
export function isBrowserMainThread(): boolean {
  const g = globalThis as { document?: unknown; window?: unknown };
  return typeof g.window !== 'undefined' && typeof g.document !== 'undefined';
}

/** True in Node (process.versions.node is set). */
export function isNode(): boolean {
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

/** Records the threads build's shared memory once it is loaded (threads-core.ts), for threadsMemoryBytes. */
export function setThreadsMemory(memory: WebAssembly.Memory): void {
  sharedMemory = memory;
}

/** Size in bytes of the threads build's shared memory (0 before it is loaded); threaded models live there. */
export function threadsMemoryBytes(): number {
  return sharedMemory ? sharedMemory.buffer.byteLength : 0;
}
