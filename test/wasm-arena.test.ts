/**
 * The core's arena allocator: alignment, coalescing of freed neighbours, clear errors on bad
 * frees, and no leak or growth when many engines are created, stepped and disposed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { arenaBytesInUse, core, ready, wasmMemoryBytes } from '../src/wasm/core.js';
import { WasmEngine } from '../src/wasm/engine.js';
import type { Plan } from '../src/plan.js';

beforeAll(async () => {
  await ready();
});

const plan: Plan = {
  inputSize: 3,
  outputSize: 2,
  stages: [
    { kind: 'dense', inSize: 3, outSize: 5, useBias: true, activation: 'tanh', alpha: 0 },
    { kind: 'dense', inSize: 5, outSize: 2, useBias: true, activation: 'softmax', alpha: 0 },
  ],
  loss: 'categorical_ce',
  optimizer: { type: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decayBiases: true, amsgrad: true },
};

describe('wasm arena', () => {
  it('hands out 16-byte aligned, disjoint blocks and counts them', () => {
    const e = core().exports;
    const before = arenaBytesInUse();
    const ptrs = [1, 15, 16, 17, 100, 4096].map((n) => [e.alloc(n) >>> 0, n]);
    for (const [p] of ptrs) expect(p % 16).toBe(0);
    const sorted = [...ptrs].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i][0]).toBeGreaterThanOrEqual(sorted[i - 1][0] + sorted[i - 1][1]);
    expect(arenaBytesInUse()).toBeGreaterThan(before + 4096);
    for (const [p] of ptrs) e.free(p);
    expect(arenaBytesInUse()).toBe(before);
  });

  it('coalesces a freed block with both neighbours', () => {
    const e = core().exports;
    const blocks0 = e.freeBlockCount();
    const largest0 = e.largestFreeBlock();
    const a = e.alloc(1000),
      b = e.alloc(2000),
      c = e.alloc(3000),
      guard = e.alloc(16);
    e.free(a);
    e.free(c);
    // a and c are separate holes around the live b.
    expect(e.freeBlockCount()).toBe(blocks0 + 2);
    e.free(b);
    // b merged with a before it and c after it: one hole of all three.
    expect(e.freeBlockCount()).toBe(blocks0 + 1);
    const big = e.alloc(5900) >>> 0;
    expect(big).toBe(a >>> 0);
    e.free(big);
    e.free(guard);
    expect(e.freeBlockCount()).toBe(blocks0);
    expect(e.largestFreeBlock()).toBe(largest0);
  });

  it('grows memory for a large block and reuses it after free', () => {
    const e = core().exports;
    const mem0 = wasmMemoryBytes();
    const p = e.alloc(mem0 + 65536) >>> 0;
    expect(wasmMemoryBytes()).toBeGreaterThan(mem0);
    core().f32()[(p >>> 2) + 10] = 1.5; // the refreshed view reaches the new memory
    expect(core().f32()[(p >>> 2) + 10]).toBe(1.5);
    e.free(p);
    const mem1 = wasmMemoryBytes();
    const q = e.alloc(mem0 + 65536) >>> 0;
    expect(q).toBe(p);
    expect(wasmMemoryBytes()).toBe(mem1);
    e.free(q);
  });

  it('rejects a double free and a wild pointer with a readable error', () => {
    const e = core().exports;
    const p = e.alloc(64);
    e.free(p);
    expect(() => e.free(p)).toThrow(/^wasmlp core: arena: free of a pointer that is not a live allocation/);
    expect(() => e.free(p + 4)).toThrow(/not a live allocation/);
  });

  it('1000 engines created, stepped and disposed leave bytesInUse and memory flat', () => {
    const x = [0.1, 0.2, 0.3, -1, 0.5, 2, 0.7, 0.8, -0.9];
    const y = [1, 0, 0, 1, 1, 0];
    const cycle = () => {
      const eng = new WasmEngine(plan, 2);
      eng.setParameters([Array(15).fill(0.1), Array(5).fill(0), Array(10).fill(-0.2), [0, 0]]);
      const d = eng.loadData(x, y, 3);
      d.setOrder(Int32Array.from([2, 0, 1]));
      eng.trainStep(d, 0, 3); // grows the batch capacity from 2 to 4
      eng.predict(x, 3);
      eng.dispose();
    };
    for (let i = 0; i < 10; i++) cycle();
    const used = arenaBytesInUse();
    const mem = wasmMemoryBytes();
    for (let i = 0; i < 1000; i++) cycle();
    expect(arenaBytesInUse()).toBe(used);
    expect(wasmMemoryBytes()).toBe(mem);
  });
});
