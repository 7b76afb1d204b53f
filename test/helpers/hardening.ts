/**
 * Shared checks of the hardening tests: a full snapshot of a model's state (weights, optimiser
 * state, shuffle RNG, arena bytes) to prove that a refused call changed nothing, the arena
 * consistency walk, and a canary model whose training result must never change.
 */
import { expect } from 'vitest';
import { Dense, Sequential, SGD, Tanh, WasmlpError, type Weights } from '../../src/index.js';
import { arenaBytesInUse, arenaCheck, type Core } from '../../src/wasm/core.js';
import { WasmEngine } from '../../src/wasm/engine.js';

/** Everything a refused call must leave as it was. */
export interface ModelSnapshot {
  weights: Weights;
  optimizer: unknown;
  shuffle: unknown;
  compiled: boolean;
  plan: unknown;
  arenaBytes: number;
}

/** A wasm-backed model's engine, with its wasm-only fields (capacity, threads); throws for any other engine. Mutates nothing. */
export function wasmEngineOf(model: Sequential): WasmEngine {
  const engine = model.liveEngine;
  if (!(engine instanceof WasmEngine)) throw new Error(`expected a wasm engine, got ${engine.constructor.name}`);
  return engine;
}

/** Reads a model's whole observable state (copies). */
export function snapshot(model: Sequential): ModelSnapshot {
  return {
    weights: model.getWeights(),
    optimizer: model.compiled ? model.liveEngine.getOptimizerState() : null,
    shuffle: model.shuffleRandom.getState(),
    compiled: model.compiled,
    plan: structuredClone(model.plan),
    arenaBytes: arenaBytesInUse(),
  };
}

/** Asserts the arena walk finds every block header, the free list and the byte count sane. */
export function expectArenaIntact(): void {
  expect(arenaCheck()).toBe(0);
}

/** Asserts `model` is exactly as in `before` and the arena is intact. */
export function expectUnchanged(model: Sequential, before: ModelSnapshot): void {
  expect(snapshot(model)).toEqual(before);
  expectArenaIntact();
}

/**
 * Runs `call` (sync or async) and returns what it threw; fails when it returned normally or
 * threw anything but a WasmlpError (a raw TypeError, RangeError or a WebAssembly trap is a bug).
 */
export async function refusal(call: () => unknown): Promise<WasmlpError> {
  let thrown: unknown = null;
  try {
    await call();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'the call should have been refused').not.toBeNull();
  if (!(thrown instanceof WasmlpError))
    throw new Error(`expected a WasmlpError, got ${(thrown as Error)?.constructor?.name}: ${(thrown as Error)?.message}`, { cause: thrown });
  return thrown;
}

/** A refusal case: what is called, the error class and the message it must match. */
export interface RefusalCase<T> {
  name: string;
  call: (subject: T) => unknown;
  error: new (...args: never[]) => WasmlpError;
  message: RegExp;
}

/** Asserts `c` is refused with its class and message. */
export async function expectRefused<T>(subject: T, c: RefusalCase<T>): Promise<WasmlpError> {
  const e = await refusal(() => c.call(subject));
  expect(e).toBeInstanceOf(c.error);
  expect(e.message).toMatch(c.message);
  return e;
}

/**
 * The canary: a small model trained a fixed way on both backends. Its weights are computed once
 * at the start of a test file; any refused input that corrupted shared state (the arena, the
 * core's globals) would change them.
 */
export async function canaryWeights(backend: 'wasm' | 'reference' = 'wasm'): Promise<Weights> {
  const model = new Sequential([new Dense(2, 6), new Tanh(), new Dense(6, 1)], { backend, seed: 99 });
  model.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.1, momentum: 0.5 }) });
  const x = [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
    [0.5, 0.5],
  ];
  await model.fit(x, [0, 1, 1, 0, 0.5], { epochs: 5, batchSize: 2 });
  const w = model.getWeights();
  model.dispose();
  return w;
}

/**
 * Takes all but about `leave` bytes of what core c's memory can still hold, in untouched blocks
 * (never written: no RAM used) of at least `minBlock` bytes, as few as the free holes allow;
 * pushes each block's pointer to `hogs` for the caller to free.
 */
export function fillMemoryBut(c: Core, leave: number, hogs: number[], minBlock = 2 ** 20): void {
  const more = () => c.maxBytes - (c.exports.bytesInUse() >>> 0) - leave;
  let want = more();
  while (want > minBlock) {
    const p = c.exports.tryAlloc(want) >>> 0;
    if (p !== 0) {
      hogs.push(p);
      want = more();
    } else {
      want = Math.floor(want / 2);
    }
  }
}
