/**
 * Loading the core: nothing works before ready(), ready() is idempotent, and a failed
 * assertion inside WebAssembly surfaces as a readable Error naming the source line.
 */
import { describe, expect, it } from 'vitest';
import { core, coreVariant, hasRelaxedSimd, isReady, ready, wasmMemoryBytes } from '../src/wasm/core.js';
import { WasmEngine } from '../src/wasm/engine.js';
import type { Plan } from '../src/plan.js';

const plan: Plan = {
  inputSize: 2,
  outputSize: 1,
  stages: [{ kind: 'dense', inSize: 2, outSize: 1, useBias: true, activation: 'sigmoid', alpha: 0 }],
  loss: 'bce',
  optimizer: { type: 'sgd', lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, decayBiases: true },
};

describe('wasm core loading', () => {
  it('refuses to work before ready()', () => {
    expect(isReady()).toBe(false);
    expect(() => core()).toThrow('WebAssembly core not loaded: await ready() first');
    expect(() => new WasmEngine(plan)).toThrow(/await ready\(\) first/);
  });

  it('ready() is idempotent and picks the build this engine can run', async () => {
    const p = ready();
    expect(ready()).toBe(p);
    await p;
    expect(isReady()).toBe(true);
    expect(coreVariant()).toBe(hasRelaxedSimd() ? 'relaxed-simd' : 'simd128');
    expect(wasmMemoryBytes() % 65536).toBe(0);
  });

  it('decodes an abort from AssemblyScript into an Error with its message and place', async () => {
    await ready();
    const e = core().exports;
    const eng = new WasmEngine(plan, 4);
    // Bypass the engine's own checks: ask the core for more rows than its buffers hold.
    const net = (eng as unknown as { net: number }).net;
    expect(() => e.netForward(net, e.netStaging(net), 5)).toThrow(/^wasmlp core: netForward: rows outside \[1, capacity\] \(assembly\/step\.ts:\d+:\d+\)$/);
    // The instance stays usable after the trap.
    expect(Array.from(eng.predict([0, 0], 1))).toEqual([0.5]);
    eng.dispose();
  });
});
