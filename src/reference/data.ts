/**
 * Training data of a ReferenceEngine (engine.ts): float64 copies of x, y and the row weights,
 * and a row order; or, for a staging handle, room for one batch that loadBatch refills.
 */
import { checkLive, checkOrder, checkStagingOrder, type DataHandle } from '../engine.js';
import { checkBatchLoad, checkStagingCapacity, copyRows } from '../staging.js';
import type { Plan } from '../plan.js';

/**
 * Training data held by a ReferenceEngine: float64 copies of x and y, a row order, and with
 * `capacity` set a staging handle whose `rows` are those of its last loadBatch.
 */
export class ReferenceData implements DataHandle {
  order: Int32Array | null = null;
  disposed = false;
  constructor(
    readonly owner: object,
    readonly x: Float64Array,
    readonly y: Float64Array,
    public rows: number,
    /** One loss weight per row, or null (unweighted). */
    readonly w: Float64Array | null,
    readonly capacity: number | null = null,
  ) {}

  /** Sets the row order (copied; null = identity). Throws if an index is out of range, or for a staging handle unless null. */
  setOrder(order: Int32Array | null): void {
    checkLive(this.disposed, 'data handle');
    if (order === null) {
      this.order = null;
      return;
    }
    checkStagingOrder(this.capacity, order);
    checkOrder(order, this.rows);
    this.order = Int32Array.from(order);
  }

  /** Drops the data. Idempotent. */
  dispose(): void {
    this.disposed = true;
  }
}

/** Engine.createStaging of the reference: float64 room for `capacity` rows of `plan`, holding none yet. */
export function createReferenceStaging(owner: object, plan: Plan, capacity: number, weighted: boolean): ReferenceData {
  checkStagingCapacity(capacity);
  const x = new Float64Array(capacity * plan.inputSize),
    y = new Float64Array(capacity * plan.outputSize);
  return new ReferenceData(owner, x, y, 0, weighted ? new Float64Array(capacity) : null, capacity);
}

/** Engine.loadBatch on the reference's staging handle d (the engine checked that d is its own and live). */
export function loadReferenceBatch(
  d: ReferenceData,
  plan: Plan,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  rows: number,
  weights?: ArrayLike<number> | null,
  index?: Int32Array | null,
): void {
  checkBatchLoad(plan, d.capacity, d.w !== null, x, y, rows, weights, index);
  copyRows(d.x, 0, x, plan.inputSize, rows, index);
  copyRows(d.y, 0, y, plan.outputSize, rows, index);
  if (weights) copyRows(d.w!, 0, weights, 1, rows, index);
  d.rows = rows;
}
