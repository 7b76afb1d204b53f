/**
 * Whether this build of wasmlp trains on several threads, and how to ask for it. The option is
 * probed rather than assumed: `new Sequential(layers, { threads })` first, then a `threads` fit
 * option, so the bench picks multi-threaded training up as soon as the library has it.
 */
import { Dense } from '../model/layers.js';
import { Sequential, type SequentialOptions } from '../model/sequential.js';

/** Where the threads option goes: on the model, on fit, or nowhere (not available). */
export type ThreadsSupport = 'model' | 'fit' | null;

let probed: Promise<ThreadsSupport> | null = null;

/** Finds out once where (if anywhere) a `threads` option is accepted. */
export function threadsSupport(): Promise<ThreadsSupport> {
  probed ??= (async () => {
    try {
      new Sequential([new Dense(1, 1)], { threads: 1 } as SequentialOptions).dispose();
      return 'model';
    } catch {
      /* not a model option */
    }
    const model = new Sequential([new Dense(1, 1)], { seed: 1 });
    try {
      model.compile({ loss: 'mse' });
      await model.fit([[0]], [0], { epochs: 1, threads: 1 } as never);
      return 'fit';
    } catch {
      return null;
    } finally {
      model.dispose();
    }
  })();
  return probed;
}
