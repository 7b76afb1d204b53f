/**
 * A pool of worker threads for one model: n - 1 workers, each running the core on the shared
 * memory of the threads build (worker-main.ts), and the control block of their team. The
 * calling thread is thread 0 of every job (assembly/threads.ts), so a step is one synchronous
 * call, as on one thread.
 *
 * Node: worker_threads (imported dynamically, so browser bundles never see it), each running
 * workerMain from its source text. Browsers: module Web Workers from worker.js. A browser's
 * main thread may not block, so there thread 0 waits at barriers by polling only (it never
 * sleeps); that is fine while the threads do not outnumber free cores; training inside a Worker
 * avoids the question.
 */
import { isBrowserMainThread, type ThreadsCore } from './threads-core.js';
import { workerMain, type WorkerData, type WorkerMessage } from './worker-main.js';

/** Polls of a waiting thread before it sleeps on the futex (about 50-150 µs). */
const DEFAULT_SPIN = 50_000;

/** The part of a worker both kinds share. */
interface ThreadHandle {
  terminate(): void;
}

type Listener = (m: WorkerMessage | { type: 'gone' }) => void;

/** Starts one Node worker thread running workerMain. */
async function nodeThread(data: WorkerData, listen: Listener): Promise<ThreadHandle & { unref(): void }> {
  const { Worker } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:worker_threads');
  const code = `const { parentPort, workerData } = require('node:worker_threads');
(${workerMain.toString()})(workerData, (m) => parentPort.postMessage(m));`;
  const w = new Worker(code, { eval: true, workerData: data });
  w.on('message', (m: WorkerMessage) => listen(m));
  w.on('error', (err: Error) => listen({ type: 'error', message: err.message }));
  w.on('exit', () => listen({ type: 'gone' }));
  return { terminate: () => void w.terminate(), unref: () => w.unref() };
}

/** Starts one module Web Worker running worker.js. */
function browserThread(data: WorkerData, listen: Listener): ThreadHandle {
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  w.onmessage = (ev: MessageEvent<WorkerMessage>) => listen(ev.data);
  w.onerror = (ev: ErrorEvent) => listen({ type: 'error', message: ev.message });
  w.postMessage(data);
  return { terminate: () => { w.terminate(); listen({ type: 'gone' }); } };
}

/** A running pool. Create with ThreadPool.start; dispose() stops its threads. */
export class ThreadPool {
  /** Threads per job at most, the calling thread included. */
  readonly size: number;
  /** Byte offset of the team's control block in the threads core's memory. */
  readonly ctl: number;
  /** Resolves once every worker has exited (after dispose()). */
  readonly closed: Promise<void>;
  private readonly handles: ThreadHandle[] = [];
  private disposed = false;

  private constructor(private readonly core: ThreadsCore, size: number, ctl: number, closed: Promise<void>) {
    this.size = size;
    this.ctl = ctl;
    this.closed = closed;
  }

  /**
   * Starts size - 1 workers on the threads core and waits until each has instantiated the
   * module. Rejects (with every started worker stopped) when one fails.
   */
  static async start(core: ThreadsCore, size: number, spin = DEFAULT_SPIN): Promise<ThreadPool> {
    const e = core.exports;
    const g = (x: WebAssembly.Global) => x.value as number;
    const ctl = e.allocZeroed(g(e.CTL_BYTES)) >>> 0;
    const i32 = core.i32();
    i32[(ctl + g(e.CTL_SPIN)) >>> 2] = spin;
    i32[(ctl + g(e.CTL_NO_WAIT)) >>> 2] = isBrowserMainThread() ? 1 : 0;
    const blocks = [ctl];
    const exits: Promise<void>[] = [];
    const readies: Promise<void>[] = [];
    const handles: ThreadHandle[] = [];
    const isNode = typeof process !== 'undefined' && !!process.versions?.node;
    for (let tid = 1; tid < size; tid++) {
      const scratch = e.alloc(g(e.GEMM_SCRATCH_BYTES)) >>> 0;
      blocks.push(scratch);
      const data: WorkerData = {
        module: core.module, memory: core.memory, ctl, tid, scratch,
        failedAt: g(e.CTL_FAILED), genAt: g(e.CTL_GEN), epochAt: g(e.CTL_BAR_EPOCH),
      };
      let ready!: () => void, failed!: (err: Error) => void, gone!: () => void;
      readies.push(new Promise<void>((res, rej) => { ready = res; failed = rej; }));
      exits.push(new Promise<void>((res) => { gone = res; }));
      const listen: Listener = (m) => {
        if (m.type === 'ready') ready();
        else if (m.type === 'error') failed(new Error(`wasmlp worker thread ${tid}: ${m.message}`));
        else if (m.type === 'gone') { failed(new Error(`wasmlp worker thread ${tid} exited`)); gone(); }
      };
      handles.push(isNode ? await nodeThread(data, listen) : browserThread(data, listen));
    }
    const closed = Promise.all(exits).then(() => {
      // Only now is nobody running in the control block or the scratch any more.
      for (const b of blocks) e.free(b);
    });
    const pool = new ThreadPool(core, size, ctl, closed);
    pool.handles.push(...handles);
    try {
      await Promise.all(readies);
    } catch (err) {
      pool.dispose();
      throw err;
    }
    // From now on an idle pool must not keep Node alive: a model never disposed still lets it exit.
    for (const h of handles) (h as { unref?: () => void }).unref?.();
    return pool;
  }

  /** True until dispose(). */
  get isLive(): boolean {
    return !this.disposed;
  }

  /** Tells the workers to leave their loops and stops them. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.core.exports.teamExit(this.ctl);
    for (const h of this.handles) h.terminate();
  }
}
