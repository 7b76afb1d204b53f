// startThreads(): an inference-only model runs predict on its thread team, bit-identical to one thread.
import { describe, expect, it } from 'vitest';
import { Dense, ReLU, Sequential, threadSupport, threadsMemoryBytes } from '../src/index.js';
import { rng } from './helpers/rng.js';

const layers = () => [new Dense(784, 256, { init: 'he_normal' }), new ReLU(), new Dense(256, 10)];

describe('startThreads', () => {
  it('runs a large predict on 2 threads with the same bits as 1 thread', async () => {
    expect(threadSupport().available).toBe(true);
    const one = new Sequential(layers(), { seed: 5 });
    const two = new Sequential(layers(), { seed: 5, threads: 2 });
    await two.startThreads({ batchSize: 512 });
    expect(threadsMemoryBytes()).toBeGreaterThan(0);
    const r = rng(3);
    const x = { data: Float32Array.from({ length: 512 * 784 }, () => Math.fround((r() + 1) / 2)), shape: [512, 784] };
    expect(two.predict(x).data).toEqual(one.predict(x).data);
    one.dispose();
    two.dispose();
  });

  it('refuses a bad thread count or batch size before starting anything', async () => {
    const model = new Sequential(layers(), { seed: 1 });
    await expect(model.startThreads({ threads: 0 })).rejects.toThrow(/threads must be 'auto' or an integer/);
    await expect(model.startThreads({ batchSize: 0 })).rejects.toThrow(/batchSize must be an integer >= 1/);
    model.dispose();
  });
});
