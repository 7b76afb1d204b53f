/**
 * Entry of a pool thread as a browser module Worker:
 * `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })` (bundlers follow
 * that pattern). It receives its WorkerData in the first message. Node runs workerMain from
 * its source text instead (pool.ts), so this file is only loaded by browsers.
 */
import { workerMain, type WorkerData, type WorkerMessage } from './worker-main.js';

const scope = globalThis as unknown as {
  onmessage: ((event: { data: WorkerData }) => void) | null;
  postMessage(message: WorkerMessage): void;
  close(): void;
};

scope.onmessage = (event) => {
  scope.onmessage = null;
  void workerMain(event.data, (m) => scope.postMessage(m)).then(() => scope.close());
};
