/**
 * Out of WebAssembly memory changes nothing: after each refused allocation (growing the batch
 * buffers, a size that would wrap a u32, building a model, compile) the model is as before,
 * the arena walk is clean, the canary trains to the same weights as at the start of this
 * process, and every model stays disposable. Memory is filled with untouched blocks (the arena
 * does not clear what it hands out), so the 4 GiB limit is reached without using the RAM.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Dense, OutOfMemoryError, ReLU, Sequential, SGD, type Weights } from '../src/index.js';
import { arenaBytesInUse, core } from '../src/wasm/core.js';
import { canaryWeights, expectArenaIntact, expectUnchanged, fillMemoryBut as fillAll, refusal, snapshot, wasmEngineOf } from './helpers/hardening.js';

const MiB = 2 ** 20;
let canary: Weights;
const hogs: number[] = [];

/** Takes `bytes` of the arena in one untouched block (freed after each test). */
function hog(bytes: number): number {
  const p = core().exports.tryAlloc(bytes) >>> 0;
  expect(p, `could not take ${bytes} bytes`).not.toBe(0);
  hogs.push(p);
  return p;
}

/** Takes all but about `leave` bytes of the ordinary core's memory (freed after each test). */
const fillMemoryBut = (leave: number): void => fillAll(core(), leave, hogs);

function release(p: number): void {
  core().exports.free(p);
  hogs.splice(hogs.indexOf(p), 1);
}

beforeAll(async () => {
  canary = await canaryWeights();
});

afterEach(async () => {
  for (const p of hogs.splice(0)) core().exports.free(p);
  expectArenaIntact();
  expect(await canaryWeights()).toEqual(canary);
});

/** Every number of a model's state as bytes (weights, optimiser step and buffers): cheap to compare for big models. */
function digest(model: Sequential): Buffer {
  const engine = model.liveEngine;
  const state = engine.getOptimizerState();
  const parts = [...engine.getParameters(), Float64Array.of(state.step), ...Object.values(state.buffers)];
  return Buffer.concat(parts.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
}

function expectOom(e: unknown, lower: RegExp): OutOfMemoryError {
  expect(e).toBeInstanceOf(OutOfMemoryError);
  const oom = e as OutOfMemoryError;
  expect(oom.requestedBytes).toBeGreaterThan(0);
  expect(oom.availableBytes).toBeGreaterThanOrEqual(0);
  expect(oom.message).toMatch(/needs \d+ bytes .* at most \d+ .*available/);
  expect(oom.message).toMatch(lower);
  return oom;
}

describe('a failed allocation changes nothing', () => {
  it('predict whose batch buffers the core cannot place keeps the old buffers and capacity', () => {
    const model = new Sequential([new Dense(1, 65536)], { seed: 3 });
    const bystander = new Sequential([new Dense(3, 4), new ReLU(), new Dense(4, 2)], { seed: 4 });
    const probe = [[0.5, -1, 2]];
    const expected = bystander.predict(probe);
    const before = snapshot(model);
    const capacity = wasmEngineOf(model).capacity;
    // A 400 MiB hole, then everything but 100 MiB: 480 rows need 4 × 120 MiB, which passes the
    // sum check (500 MiB free) but cannot be placed, so the core itself must refuse and roll back.
    const hole = hog(400 * MiB);
    fillMemoryBut(100 * MiB);
    release(hole);
    const used = arenaBytesInUse();
    let thrown: unknown = null;
    try {
      model.predict({ data: new Float32Array(480), shape: [480, 1] });
    } catch (e) {
      thrown = e;
    }
    expectOom(thrown, /batch size/);
    expect(arenaBytesInUse()).toBe(used);
    expect(wasmEngineOf(model).capacity).toBe(capacity);
    expectUnchanged(model, { ...before, arenaBytes: used });
    expect(bystander.predict(probe)).toEqual(expected);
    expect(model.predict([[1]])[0].length).toBe(65536);
    model.dispose();
    bystander.dispose();
  });

  it('a batch × width × 4 of 2^32 bytes is refused in TypeScript, not wrapped in the core', async () => {
    const model = new Sequential([new Dense(2, 65536), new ReLU(), new Dense(65536, 1)], { seed: 5 });
    model.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.01 }) });
    const before = snapshot(model);
    const rows = 16384;
    const x = { data: new Float32Array(rows * 2).fill(0.25), shape: [rows, 2] };
    const y = { data: new Float32Array(rows), shape: [rows, 1] };
    const e = await refusal(() => model.fit(x, y, { epochs: 1, batchSize: rows, shuffle: false }));
    expectOom(e, /batch size/);
    expectUnchanged(model, before);
    model.dispose();
    expect(arenaBytesInUse()).toBeLessThan(before.arenaBytes);
  });

  // 2^20 parameters: 4 MiB per buffer; SGD holds 3 parameter buffers, Adam 5.
  const wide = () => new Sequential([new Dense(256, 4096), new Dense(4096, 1)], { seed: 6 });

  it('a model that cannot be built leaks nothing', async () => {
    fillMemoryBut(8 * MiB);
    const used = arenaBytesInUse();
    const e = await refusal(wide);
    expectOom(e, /layer widths/);
    expect(arenaBytesInUse()).toBe(used);
  });

  it('compile that fits only once the old engine is released succeeds', () => {
    const model = wide();
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    const weights = digest(model).subarray(0, 4 * 2 ** 20 * 8);
    // Adam's 20 MiB does not fit in 13 MiB beside SGD's 12, but does once they are released.
    fillMemoryBut(13 * MiB);
    model.compile({ loss: 'mse', optimizer: 'adam' });
    expect(digest(model).subarray(0, weights.length).equals(weights)).toBe(true);
    expect(model.liveEngine.plan.optimizer.type).toBe('adam');
    model.dispose();
  });

  it('compile that cannot fit at all leaves the model as it was', async () => {
    const model = wide();
    model.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.1 }) });
    const x = { data: new Float32Array(4 * 256).fill(0.01), shape: [4, 256] };
    await model.fit(x, [0, 1, 0, 1], { epochs: 1, batchSize: 4 });
    const before = digest(model);
    fillMemoryBut(4 * MiB);
    const used = arenaBytesInUse();
    const e = await refusal(() => model.compile({ loss: 'mae', optimizer: 'adam' }));
    expectOom(e, /layer widths/);
    expect(arenaBytesInUse()).toBe(used);
    expect(digest(model).equals(before)).toBe(true);
    expect(model.liveEngine.plan.loss).toBe('mse');
    expect(model.liveEngine.plan.optimizer.type).toBe('sgd');
    expectArenaIntact();
    model.dispose();
  });
});
