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
 *
 * A dead worker must not leave the team waiting at a barrier forever, yet the main thread is
 * blocked inside the step and cannot see the worker's 'exit' event. In Node a watchdog thread
 * holds one end of a MessageChannel per worker (the worker holds the other): when a worker
 * ends in any way (error, exit, termination) its port closes, and the watchdog sets the
 * team's failure flag and wakes every waiter, so the step aborts within milliseconds (the
 * barrier re-checks the flag at least every 100 ms, assembly/team.ts). Browsers have no such
 * close event: there a worker's own error handler sets the flag (worker-main.ts), and the pool
 * sets it when it sees a worker end between steps.
 */
import { allocOrThrow } from '../memory.js';
import type { ThreadsCore } from './threads-core.js';
import { isBrowserMainThread } from './threads-support.js';

/** What to lower when a thread team's blocks do not fit. */
const LOWER_THREADS = 'use fewer threads, or dispose models no longer needed';
import { workerMain, type WorkerData, type WorkerMessage } from './worker-main.js';

/** Polls of a waiting thread before it sleeps on the futex (about 50-150 µs). */
const DEFAULT_SPIN = 50_000;

/** How long a browser worker told to exit may take to say so before it is terminated (its blocks then stay allocated). */
const BROWSER_EXIT_GRACE_MS = 10_000;

/** The part of a worker both kinds share. */
interface ThreadHandle {
  /** Ends the thread at once, as a crash would (the test hook). */
  terminate(): void;
  /** Ends the thread once it has left its job loop (after teamExit): only then may its blocks be reused. */
  stop(): void;
}

type Listener = (m: WorkerMessage | { type: 'gone' }) => void;

/** The Node watchdog (see the top of this file): sets the failure flag when any worker's port closes. */
const WATCHDOG = `const { workerData: d } = require('node:worker_threads');
const i32 = new Int32Array(d.memory.buffer);
for (const port of d.ports) {
  port.on('message', () => {});
  port.on('close', () => {
    Atomics.store(i32, (d.ctl + d.failedAt) >>> 2, 1);
    Atomics.notify(i32, (d.ctl + d.genAt) >>> 2);
    Atomics.notify(i32, (d.ctl + d.epochAt) >>> 2);
  });
}`;

/** Starts the Node watchdog over the given ports (one per worker). */
async function nodeWatchdog(data: WorkerData, ports: unknown[], listen: Listener): Promise<ThreadHandle & { unref(): void }> {
  const { Worker } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:worker_threads');
  const { memory, ctl, failedAt, genAt, epochAt } = data;
  const w = new Worker(WATCHDOG, { eval: true, workerData: { memory, ctl, failedAt, genAt, epochAt, ports }, transferList: ports as never[] });
  w.on('exit', () => listen({ type: 'gone' }));
  const terminate = () => void w.terminate();
  return { terminate, stop: terminate, unref: () => w.unref() };
}

/** Starts one Node worker thread running workerMain; `watch` gets the other end of its watchdog port. */
async function nodeThread(data: WorkerData, listen: Listener, watch: unknown[]): Promise<ThreadHandle & { unref(): void }> {
  const { Worker, MessageChannel } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:worker_threads');
  const code = `const { parentPort, workerData } = require('node:worker_threads');
(${workerMain.toString()})(workerData, (m) => parentPort.postMessage(m));`;
  const { port1, port2 } = new MessageChannel();
  watch.push(port1);
  // The worker only holds its port (in workerData, alive while workerMain runs): it closes when the thread ends.
  const w = new Worker(code, { eval: true, workerData: { ...data, watchPort: port2 }, transferList: [port2] });
  w.on('message', (m: WorkerMessage) => listen(m));
  w.on('error', (err: Error) => listen({ type: 'error', message: err.message }));
  w.on('exit', () => listen({ type: 'gone' }));
  // Node's 'exit' event comes once the thread has really ended, so stopping may terminate at once.
  const terminate = () => void w.terminate();
  return { terminate, stop: terminate, unref: () => w.unref() };
}

/**
 * Starts one module Web Worker running worker.js. A browser says nothing when a worker ends,
 * and terminate() only asks for the end: the worker may still run for a while (long, on a
 * loaded machine) and, if its control block were freed and reused by the next pool, join that
 * team's barriers and wreck them. So a worker counts as gone only once it has said it left its
 * loop ('exit', or 'error' from its catch); one that never says so keeps its blocks forever.
 */
function browserThread(data: WorkerData, listen: Listener): ThreadHandle {
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  let left = false;
  w.onmessage = (ev: MessageEvent<WorkerMessage>) => {
    listen(ev.data);
    if (ev.data.type === 'exit' || ev.data.type === 'error') {
      left = true;
      listen({ type: 'gone' });
    }
  };
  w.onerror = (ev: ErrorEvent) => listen({ type: 'error', message: ev.message });
  w.postMessage(data);
  return {
    terminate: () => w.terminate(),
    // worker.js closes itself after its loop; the timer only ends one that is stuck.
    stop: () => {
      if (!left) setTimeout(() => w.terminate(), BROWSER_EXIT_GRACE_MS);
    },
  };
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
  /** @internal pools started in this process (tests check that concurrent starts make one). */
  static startedCount = 0;

  private constructor(
    private readonly core: ThreadsCore,
    size: number,
    ctl: number,
    closed: Promise<void>,
  ) {
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
    // Every block before the first worker starts: memory that cannot hold them is an
    // OutOfMemoryError with nothing left allocated and no worker to stop.
    const blocks: number[] = [];
    try {
      blocks.push(allocOrThrow(core, g(e.CTL_BYTES), "the thread team's control block", LOWER_THREADS));
      for (let tid = 1; tid < size; tid++) blocks.push(allocOrThrow(core, g(e.GEMM_SCRATCH_BYTES), `thread ${tid}'s GEMM scratch`, LOWER_THREADS));
    } catch (err) {
      for (const b of blocks) e.free(b);
      throw err;
    }
    const ctl = blocks[0];
    core.i32().fill(0, ctl >>> 2, (ctl + g(e.CTL_BYTES)) >>> 2);
    const i32 = core.i32();
    i32[(ctl + g(e.CTL_SPIN)) >>> 2] = spin;
    i32[(ctl + g(e.CTL_NO_WAIT)) >>> 2] = isBrowserMainThread() ? 1 : 0;
    const exits: Promise<void>[] = [];
    const readies: Promise<void>[] = [];
    const handles: ThreadHandle[] = [];
    const isNode = typeof process !== 'undefined' && !!process.versions?.node;
    const watch: unknown[] = [];
    let disposed = false;
    const markFailed = () => {
      if (disposed) return;
      const a = core.i32();
      Atomics.store(a, (ctl + g(e.CTL_FAILED)) >>> 2, 1);
      Atomics.notify(a, (ctl + g(e.CTL_GEN)) >>> 2);
      Atomics.notify(a, (ctl + g(e.CTL_BAR_EPOCH)) >>> 2);
    };
    ThreadPool.startedCount++;
    for (let tid = 1; tid < size; tid++) {
      const scratch = blocks[tid];
      const data: WorkerData = {
        module: core.module,
        memory: core.memory,
        ctl,
        tid,
        scratch,
        failedAt: g(e.CTL_FAILED),
        genAt: g(e.CTL_GEN),
        epochAt: g(e.CTL_BAR_EPOCH),
      };
      let ready!: () => void, failed!: (err: Error) => void, gone!: () => void;
      readies.push(
        new Promise<void>((res, rej) => {
          ready = res;
          failed = rej;
        }),
      );
      exits.push(
        new Promise<void>((res) => {
          gone = res;
        }),
      );
      const listen: Listener = (m) => {
        if (m.type === 'ready') ready();
        else if (m.type === 'error') {
          markFailed();
          failed(new Error(`wasmlp worker thread ${tid}: ${m.message}`));
        } else if (m.type === 'gone') {
          markFailed();
          failed(new Error(`wasmlp worker thread ${tid} exited`));
          gone();
        }
      };
      handles.push(isNode ? await nodeThread(data, listen, watch) : browserThread(data, listen));
    }
    if (isNode) {
      let gone!: () => void;
      exits.push(
        new Promise<void>((res) => {
          gone = res;
        }),
      );
      const base = {
        module: core.module,
        memory: core.memory,
        ctl,
        tid: 0,
        scratch: 0,
        failedAt: g(e.CTL_FAILED),
        genAt: g(e.CTL_GEN),
        epochAt: g(e.CTL_BAR_EPOCH),
      };
      handles.push(await nodeWatchdog(base, watch, () => gone()));
    }
    const closed = Promise.all(exits).then(() => {
      // Only now is nobody running in the control block or the scratch any more.
      for (const b of blocks) e.free(b);
    });
    const pool = new ThreadPool(core, size, ctl, closed);
    pool.handles.push(...handles);
    pool.onDispose = () => {
      disposed = true;
    };
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

  /** Set by start: stops the pool from flagging its own shutdown as a failure. */
  private onDispose: () => void = () => {};

  /** @internal test hook: terminates worker `index` (0-based) as a crash would, without telling the team. */
  terminateWorker(index: number): void {
    this.handles[index].terminate();
  }

  /** Tells the workers to leave their loops and stops them. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.onDispose();
    this.core.exports.teamExit(this.ctl);
    for (const h of this.handles) h.stop();
  }
}
