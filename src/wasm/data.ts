/**
 * Training data of a WasmEngine in its core's arena (engine.ts), and the copies into f32 memory.
 */
import { checkLive, checkOrder, type DataHandle } from '../engine.js';
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

/** Training data in the core's arena: x, y as f32 rows and an optional Int32 row order. */
export class WasmData implements DataHandle {
  x = 0;
  y = 0;
  /** One f32 loss weight per row, or 0 (unweighted). */
  w = 0;
  order = 0;
  orderLength = 0;
  disposed = false;
  constructor(readonly owner: DataOwner, readonly rows: number, readonly inputSize: number) {}

  /** Sets the row order (copied into the arena; null = identity). Throws on an index out of range, OutOfMemoryError (the old order kept) when memory cannot hold it. */
  setOrder(order: Int32Array | null): void {
    checkLive(this.disposed, 'data handle');
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
      e.free(this.x); e.free(this.y); e.free(this.w); e.free(this.order);
      this.owner.forget(this);
    }
    this.x = this.y = this.w = this.order = 0;
  }
}
