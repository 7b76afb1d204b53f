/**
 * Training data of a WasmEngine in its core's arena (engine.ts), and the copies into f32 memory.
 */
import { checkDataSizes, checkLive, checkOrder, checkStagingOrder, type DataHandle } from '../engine.js';
import type { Plan } from '../plan.js';
import type { Core } from './core.js';
import { allocOrThrow } from './memory.js';

/** What a data handle needs of the engine that loaded it. */
export interface DataOwner {
  /** The core whose memory holds the engine's buffers. */
  readonly memoryCore: Core;
  readonly isLive: boolean;
  forget(d: DataHandle): void;
}

/** True for the typed arrays that copy into f32 memory in one set(). */
export function isFloatArray(x: ArrayLike<number>): x is Float32Array | Float64Array {
  return x instanceof Float32Array || x instanceof Float64Array;
}

/** Copies numbers into the core's f32 memory at byte offset ptr. */
export function writeF32(c: Core, ptr: number, src: ArrayLike<number>, offset = 0): void {
  c.f32().set(src, (ptr >>> 2) + offset);
}

/**
 * Training data in the core's arena: x, y as f32 rows and an optional Int32 row order; or, for
 * a staging handle (`capacity` set), room for one batch that loadBatch refills (`rows` the rows
 * of the last load).
 */
export class WasmData implements DataHandle {
  x = 0;
  y = 0;
  /** One f32 loss weight per row, or 0 (unweighted). */
  w = 0;
  order = 0;
  orderLength = 0;
  disposed = false;
  constructor(
    readonly owner: DataOwner,
    public rows: number,
    readonly inputSize: number,
    readonly capacity: number | null = null,
  ) {}

  /** Sets the row order (copied into the arena; null = identity). Throws on an index out of range, OutOfMemoryError (the old order kept) when memory cannot hold it. */
  setOrder(order: Int32Array | null): void {
    checkLive(this.disposed, 'data handle');
    checkStagingOrder(this.capacity, order);
    if (order !== null) checkOrder(order, this.rows);
    const c = this.owner.memoryCore;
    // The new block first: when memory cannot hold it the old order stays in place.
    const next = order === null ? 0 : allocOrThrow(c, order.length * 4, `a row order of ${order.length} rows`);
    c.exports.free(this.order);
    this.order = next;
    this.orderLength = order === null ? 0 : order.length;
    if (order !== null) c.i32().set(order, next >>> 2);
  }

  /** The first NaN / ±Infinity in x as the core finds it (a SIMD scan of the arena copy), or -1. */
  firstNonFiniteX(): number {
    checkLive(this.disposed, 'data handle');
    return this.owner.memoryCore.exports.firstNonFinite(this.x, this.rows * this.inputSize);
  }

  /** Frees the data's memory. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.owner.isLive) {
      const e = this.owner.memoryCore.exports;
      e.free(this.x);
      e.free(this.y);
      e.free(this.w);
      e.free(this.order);
      this.owner.forget(this);
    }
    this.x = this.y = this.w = this.order = 0;
  }
}

/** Allocates x, y (and weights) blocks for `rows` rows of `plan` in c into d; on OutOfMemoryError frees what it took. */
export function allocRows(c: Core, d: WasmData, plan: Plan, rows: number, weighted: boolean, what: string): void {
  d.x = allocOrThrow(c, rows * plan.inputSize * 4, `the inputs of ${rows} ${what}`);
  try {
    d.y = allocOrThrow(c, rows * plan.outputSize * 4, `the targets of ${rows} ${what}`);
    if (weighted) d.w = allocOrThrow(c, rows * 4, `the row weights of ${rows} ${what}`);
  } catch (err) {
    c.exports.free(d.x);
    if (d.y) c.exports.free(d.y);
    d.x = d.y = 0;
    throw err;
  }
}

/** Engine.loadData on core c: x, y and the row weights, if any, copied into the arena as f32 (owner keeps the handle). */
export function loadWasmData(
  owner: DataOwner,
  c: Core,
  plan: Plan,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  rows: number,
  weights?: ArrayLike<number> | null,
): WasmData {
  checkDataSizes(plan, x, y, rows, weights);
  const d = new WasmData(owner, rows, plan.inputSize);
  allocRows(c, d, plan, rows, !!weights, 'rows');
  writeF32(c, d.x, x);
  writeF32(c, d.y, y);
  if (weights) writeF32(c, d.w, weights);
  return d;
}
