// 1,000 models created, trained one step and disposed leave the WebAssembly arena's bytes in use
// flat and the memory unchanged after warm-up.
import { describe, expect, it } from 'vitest';
import { mlp, SGD } from '../src/index.js';
import { arenaBytesInUse, wasmMemoryBytes } from '../src/wasm/core.js';

describe('memory of the WebAssembly core', () => {
  it('stays flat over 1,000 models created, stepped and disposed', async () => {
    const x = [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ];
    const y = [0, 1, 1, 0];
    const cycle = async (i: number) => {
      const model = mlp([2, 3 + (i % 7), 1], { activation: 'tanh', seed: i });
      model.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.1, momentum: 0.9 }) });
      await model.fit(x, y, { epochs: 1, batchSize: 4 });
      model.predict(x);
      model.dispose();
    };
    for (let i = 0; i < 20; i++) await cycle(i); // warm-up
    const inUse = arenaBytesInUse();
    const memory = wasmMemoryBytes();
    for (let i = 0; i < 1000; i++) await cycle(i);
    expect(arenaBytesInUse()).toBe(inUse);
    expect(wasmMemoryBytes()).toBe(memory);
  });

  it("reuses a disposed model's memory for the next model", () => {
    const before = arenaBytesInUse();
    const a = mlp([784, 64, 10], { seed: 1 });
    const during = arenaBytesInUse();
    expect(during - before).toBeGreaterThanOrEqual((784 * 64 + 64 + 64 * 10 + 10) * 4);
    a.dispose();
    expect(arenaBytesInUse()).toBe(before);
    const memory = wasmMemoryBytes();
    const b = mlp([784, 64, 10], { seed: 2 });
    expect(wasmMemoryBytes()).toBe(memory);
    b.dispose();
  });
});
