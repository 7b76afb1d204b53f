/**
 * Training on more data than WebAssembly memory can hold: 1.4 M rows of 784 features (1.1 G
 * values, 4.4 GB as f32, past wasm32's 4 GiB) generated batch by batch by a row source and never
 * held, with the arena, the WebAssembly memory and the process's RSS bounded independently of
 * the data's size; and the arena holding exactly the memory plan's streamed budget.
 */
import { describe, expect, it } from 'vitest';
import { Dense, Sequential, SGD, Tanh, type FloatArray, type RowSource } from '../src/index.js';
import { arenaBytesInUse, wasmMemoryBytes } from '../src/wasm/core.js';
import { expectedArenaBytes } from '../src/bench/memory.js';
import type { WasmEngine } from '../src/wasm/engine.js';

const FEATURES = 784;
const ROWS = 1_400_000;
const BATCH = 512;
/** A window into this pattern is each row's x: generating a row is one copy, and rows differ. */
const PATTERN = Float32Array.from({ length: 1 << 18 }, (_, i) => (Math.imul(i + 1, 2654435761) >>> 0) / 2 ** 32 - 0.5);

/** Row r of the generated data: x a window of PATTERN, y = 2 x0 - x1 + 0.5 x2 (learnable). */
const generated: RowSource = {
  rows: ROWS,
  read(index: Int32Array, x: FloatArray, y: FloatArray) {
    for (let r = 0; r < index.length; r++) {
      const from = (Math.imul(index[r], 40503) >>> 0) % (PATTERN.length - FEATURES);
      const row = PATTERN.subarray(from, from + FEATURES);
      x.set(row, r * FEATURES);
      y[r] = 2 * row[0] - row[1] + 0.5 * row[2];
    }
  },
};

describe('data larger than memory', () => {
  it('trains on 4.4 GB of f32 through a row source with memory flat', async () => {
    expect(ROWS * FEATURES * 4).toBeGreaterThan(2 ** 32);
    const arenaStart = arenaBytesInUse();
    const model = new Sequential([new Dense(FEATURES, 4), new Tanh(), new Dense(4, 1)], { seed: 1 });
    model.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.05 }) });
    const memoryStart = wasmMemoryBytes();
    const rssStart = process.memoryUsage().rss;
    const arena = new Set<number>();
    let rssPeak = rssStart;
    const losses: number[] = [];
    const history = await model.fit(generated, {
      epochs: 1,
      batchSize: BATCH,
      onBatchEnd: (b, logs) => {
        if (b % 200 === 0) {
          arena.add(arenaBytesInUse() - arenaStart);
          rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
          losses.push(logs.loss);
        }
      },
    });
    const memoryEnd = wasmMemoryBytes();
    const rssEnd = process.memoryUsage().rss;
    expect(history.epochs).toBe(1);
    // It learnt: the last batches' loss is well under the first's.
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 2);
    // The arena held exactly parameters, optimiser state, batch buffers and one staged batch.
    const capacity = (model.liveEngine as WasmEngine).capacity;
    const budget = expectedArenaBytes(model.plan, capacity, ROWS, true, { batch: BATCH });
    expect([...arena]).toEqual([budget.total]);
    expect(budget.total).toBeLessThan(16 * 2 ** 20);
    // WebAssembly memory and RSS grew by a few batches' worth, not by the data (4.4 GB).
    expect(memoryEnd - memoryStart).toBeLessThan(32 * 2 ** 20);
    expect(rssEnd - rssStart).toBeLessThan(256 * 2 ** 20);
    expect(rssPeak - rssStart).toBeLessThan(256 * 2 ** 20);
    model.dispose();
    expect(arenaBytesInUse()).toBe(arenaStart);
  }, 180_000);
});
