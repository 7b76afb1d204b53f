/**
 * The body of a worker thread of the pool (pool.ts), for Node's worker_threads and for Web
 * Workers alike. Self-contained on purpose: Node runs it from its source text (`eval`), so it
 * may use nothing from outside the function: no imports, no module-level names.
 */

/** What a worker gets from the pool. Pointers are byte offsets into the shared memory. */
export interface WorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** The team's control block (assembly/team.ts). */
  ctl: number;
  /** This worker's thread index in the team (1, 2, ...; the main thread is 0). */
  tid: number;
  /** Its GEMM packing scratch, allocated by the main instance (workers never allocate). */
  scratch: number;
  /** Byte offsets of CTL_FAILED, CTL_GEN and CTL_BAR_EPOCH in the control block. */
  failedAt: number;
  genAt: number;
  epochAt: number;
}

/** Messages a worker posts: 'ready' once instantiated, 'exit' when told to stop, 'error' when it failed. */
export type WorkerMessage = { type: 'ready' } | { type: 'exit' } | { type: 'error'; message: string };

/**
 * Instantiates the core on the shared memory and serves jobs until told to exit. A failure
 * (a trap in the core) marks the team failed and wakes every waiter, so that the main thread
 * aborts its step with an error instead of waiting forever.
 */
export async function workerMain(data: WorkerData, post: (message: WorkerMessage) => void): Promise<void> {
  const { memory, ctl, tid } = data;
  const fail = (err: unknown): void => {
    const i32 = new Int32Array(memory.buffer);
    Atomics.store(i32, (ctl + data.failedAt) >>> 2, 1);
    Atomics.notify(i32, (ctl + data.genAt) >>> 2);
    Atomics.notify(i32, (ctl + data.epochAt) >>> 2);
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  };
  try {
    const instance = await WebAssembly.instantiate(data.module, {
      env: {
        memory,
        abort(_msg: number, _file: number, line: number, col: number): never {
          throw new Error(`wasmlp core abort in worker thread ${tid} (line ${line}:${col})`);
        },
        trace(): void {},
        seed(): number {
          return 0;
        },
      },
    });
    const e = instance.exports as unknown as {
      threadInit(ctl: number, scratch: number): void;
      threadWork(ctl: number, tid: number): number;
      JOB_EXIT: WebAssembly.Global;
    };
    e.threadInit(ctl, data.scratch);
    post({ type: 'ready' });
    const exit = e.JOB_EXIT.value as number;
    // One call per job: each returns to JS, so V8 can swap in optimised code between jobs.
    while (e.threadWork(ctl, tid) !== exit);
    post({ type: 'exit' });
  } catch (err) {
    fail(err);
  }
}
