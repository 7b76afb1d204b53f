/**
 * The wasm engine's createStaging and loadBatch (Engine contract): staging handles in the arena
 * and the f32 copies into them. Loaded with src/extras.ts (streamed training loads it before it
 * creates a staging handle) and installed into the engine by backends.ts, so a page that never
 * streams does not ship it (Node installs it when `wasmlp` is imported).
 */
import { checkBatchLoad, checkStagingCapacity, copyRows } from '../staging.js';
import type { Plan } from '../plan.js';
import type { Core } from './core.js';
import { allocRows, WasmData, type DataOwner } from './data.js';

/** Engine.createStaging on core c: blocks for one batch of `capacity` rows, holding none yet. */
export function createWasmStaging(owner: DataOwner, c: Core, plan: Plan, capacity: number, weighted: boolean): WasmData {
  checkStagingCapacity(capacity);
  const d = new WasmData(owner, 0, plan.inputSize, capacity);
  allocRows(c, d, plan, capacity, weighted, 'staged rows');
  return d;
}

/** Engine.loadBatch on a staging handle d in core c (the engine checked that d is its own and live). */
export function loadWasmBatch(
  d: WasmData,
  c: Core,
  plan: Plan,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  rows: number,
  weights?: ArrayLike<number> | null,
  index?: Int32Array | null,
): void {
  checkBatchLoad(plan, d.capacity, d.w !== 0, x, y, rows, weights, index);
  const f32 = c.f32();
  copyRows(f32, d.x >>> 2, x, plan.inputSize, rows, index);
  copyRows(f32, d.y >>> 2, y, plan.outputSize, rows, index);
  if (weights) copyRows(f32, d.w >>> 2, weights, 1, rows, index);
  d.rows = rows;
}
