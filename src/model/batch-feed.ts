/**
 * Streamed training: fit's batches copied into the engine one at a time (Engine.createStaging /
 * loadBatch), so the engine holds one batch of data whatever the data's size. A feed serves
 * the batches of one kind of data:
 *
 * - in-memory rows (MatrixFeed): each batch gathered by index from fit's arrays straight into
 *   the staging handle, in the epoch's order — the rows the copy-once path would step on;
 * - a row source (RowFeed): the source fills a JavaScript buffer, then it is copied in; the next
 *   batch's read starts as soon as this one is copied, so an async source reads batch b + 1
 *   while the engine trains on batch b (double buffering: the buffer and the staging handle);
 * - an iterable of batches (IterableFeed): taken in its order, one batch read ahead likewise.
 *
 * Nothing is read ahead across an epoch's end: the next epoch's order is drawn from the model's
 * seeded stream at its start, as without streaming.
 */
import type { DataHandle, Engine } from '../engine.js';
import { ValueError, WasmlpError } from '../errors.js';
import type { Matrix, toMatrix } from './input.js';
import type { toTargets } from './labels.js';
import type { ClassWeight, rowWeights } from './sample-weights.js';
import type { BatchIterable, FloatArray, RowSource, SourceBatch } from './data-source.js';

/**
 * The model layer's input checks the feeds apply to a source's batches, handed in by fit: this
 * file loads lazily, and importing them here would split them into a chunk of their own that
 * every page loads (bundle size), so it imports nothing of the model layer but types.
 */
export interface BatchChecks {
  toMatrix: typeof toMatrix;
  toTargets: typeof toTargets;
  rowWeights: typeof rowWeights;
}

/** The batches of one fit, as the training loop asks for them. */
export interface BatchFeed {
  /** Rows in one epoch, or null when the source decides (an iterable). */
  readonly rows: number | null;
  /** The staging handle the last loaded batch is in (rows [0, count)). */
  readonly handle: DataHandle;
  /** Starts an epoch with this row order (null: the identity; ignored by an iterable). */
  beginEpoch(order: Int32Array | null): void;
  /**
   * Loads the batch of `size` rows from `start` of the epoch's order (an iterable: its next
   * batch); resolves with its row count, 0 when the source has no more this epoch. `last` says
   * it is the epoch's last batch: nothing is read ahead then.
   */
  load(start: number, size: number, last: boolean): Promise<number>;
  /** Waits for a read still in flight (its result dropped), ends an iterator, frees the staging handle. Idempotent. */
  close(): Promise<void>;
}

/** A new float buffer of the engine's dtype (what its staging holds, so the copy rounds once, as loadData). */
export function floatBuffer(engine: Engine, length: number): FloatArray {
  return engine.dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

/** Rethrows a bad batch's error with where it came from (same class), so a message names the batch. */
function atBatch(err: unknown, where: string): never {
  if (err instanceof WasmlpError) {
    err.message = `${where}: ${err.message}`;
  }
  throw err;
}

/** Batch rows of x, y (and weights) for in-memory data, gathered by index from fit's own arrays. */
export class MatrixFeed implements BatchFeed {
  readonly handle: DataHandle;
  private order: Int32Array | null = null;
  constructor(
    private readonly engine: Engine,
    private readonly x: Matrix,
    private readonly y: Matrix,
    private readonly weights: Float64Array | null,
    capacity: number,
  ) {
    this.handle = engine.createStaging(capacity, weights !== null);
  }

  get rows(): number {
    return this.x.rows;
  }

  beginEpoch(order: Int32Array | null): void {
    this.order = order;
  }

  load(start: number, size: number): Promise<number> {
    const { x, y, weights, order } = this;
    if (order) this.engine.loadBatch(this.handle, x.data, y.data, size, weights, order.subarray(start, start + size));
    else {
      const w = weights?.subarray(start, start + size) ?? null;
      this.engine.loadBatch(
        this.handle,
        x.data.subarray(start * x.cols, (start + size) * x.cols),
        y.data.subarray(start * y.cols, (start + size) * y.cols),
        size,
        w,
      );
    }
    return Promise.resolve(size);
  }

  close(): Promise<void> {
    this.handle.dispose();
    return Promise.resolve();
  }
}

/** A read in flight: the promise a later load awaits, with a no-op catch attached so an early failure is never "unhandled". */
function inFlight<T>(run: () => T | Promise<T>): Promise<T> {
  const p = (async () => run())();
  p.catch(() => undefined);
  return p;
}

/** Batches of a row source, read by index into one buffer and copied into staging. */
export class RowFeed implements BatchFeed {
  readonly handle: DataHandle;
  private readonly x: FloatArray;
  private readonly y: FloatArray;
  private order: Int32Array | null = null;
  private ahead: { start: number; size: number; done: Promise<Int32Array> } | null = null;
  private closed = false;
  constructor(
    private readonly engine: Engine,
    private readonly source: RowSource,
    private readonly batch: number,
    private readonly classWeight: ClassWeight | undefined,
    private readonly checks: BatchChecks,
  ) {
    const { inputSize, outputSize } = engine.plan;
    this.x = floatBuffer(engine, batch * inputSize);
    this.y = floatBuffer(engine, batch * outputSize);
    this.handle = engine.createStaging(batch, classWeight !== undefined);
  }

  get rows(): number {
    return this.source.rows;
  }

  beginEpoch(order: Int32Array | null): void {
    this.order = order;
    this.ahead = null;
  }

  async load(start: number, size: number): Promise<number> {
    const { inputSize, outputSize, loss } = this.engine.plan;
    const ahead = this.ahead;
    this.ahead = null;
    const index = await (ahead && ahead.start === start && ahead.size === size ? ahead.done : this.read(start, size));
    const xv = this.x.subarray(0, size * inputSize),
      yv = this.y.subarray(0, size * outputSize);
    let weights: Float64Array | null = null;
    try {
      // The source's values get the checks in-memory data gets (finite, in range, targets for the loss).
      const { toMatrix, toTargets, rowWeights } = this.checks;
      toMatrix({ data: xv, shape: [size, inputSize] }, inputSize, 'x');
      const targets = toTargets({ data: yv, shape: [size, outputSize] }, outputSize, size, loss);
      weights = rowWeights(undefined, this.classWeight, targets);
    } catch (err) {
      atBatch(err, `row source, rows ${index[0]}.. of batch at ${start}`);
    }
    this.engine.loadBatch(this.handle, xv, yv, size, weights);
    const next = start + size;
    if (next < this.source.rows) {
      const n = Math.min(this.batch, this.source.rows - next);
      this.ahead = { start: next, size: n, done: inFlight(() => this.read(next, n)) };
    }
    return size;
  }

  /** Asks the source for `size` rows from `start` of the order; resolves with the indices read. */
  private async read(start: number, size: number): Promise<Int32Array> {
    const index = this.order ? this.order.slice(start, start + size) : Int32Array.from({ length: size }, (_, r) => start + r);
    const { inputSize, outputSize } = this.engine.plan;
    await this.source.read(index, this.x.subarray(0, size * inputSize), this.y.subarray(0, size * outputSize));
    return index;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const ahead = this.ahead;
    this.ahead = null;
    this.handle.dispose();
    if (ahead) await ahead.done.catch(() => undefined);
  }
}

type AnyIterator = Iterator<SourceBatch> | AsyncIterator<SourceBatch>;

/** Batches of an iterable, in its order; a fresh iterator per epoch unless stepsPerEpoch keeps one running. */
export class IterableFeed implements BatchFeed {
  readonly rows = null;
  handle: DataHandle;
  private it: AnyIterator | null = null;
  private ahead: Promise<IteratorResult<SourceBatch>> | null = null;
  private capacity: number;
  private weighted: boolean;
  private batchNo = 0;
  private closed = false;
  constructor(
    private readonly engine: Engine,
    private readonly source: BatchIterable,
    private readonly steps: number | null,
    private readonly classWeight: ClassWeight | undefined,
    private readonly checks: BatchChecks,
  ) {
    this.capacity = 1;
    this.weighted = classWeight !== undefined;
    this.handle = engine.createStaging(this.capacity, this.weighted);
  }

  beginEpoch(): void {
    if (this.it !== null && this.steps !== null) return;
    const s = this.source as Partial<AsyncIterable<SourceBatch> & Iterable<SourceBatch>>;
    this.it = s[Symbol.asyncIterator] ? s[Symbol.asyncIterator]!() : s[Symbol.iterator]!();
    this.ahead = null;
  }

  async load(_start: number, _size: number, last: boolean): Promise<number> {
    const it = this.it!;
    const step = this.ahead ?? Promise.resolve(it.next());
    this.ahead = null;
    const result = await step;
    if (result.done) return 0;
    const b = this.batchNo++;
    const { inputSize, outputSize, loss } = this.engine.plan;
    let x: Matrix, y: Matrix, w: Float64Array | null;
    try {
      const batch = result.value;
      if (typeof batch !== 'object' || batch === null || !('x' in batch) || !('y' in batch)) {
        throw new ValueError(`a batch must be { x, y }, got ${typeof batch}`);
      }
      const { toMatrix, toTargets, rowWeights } = this.checks;
      x = toMatrix(batch.x, inputSize, 'x');
      y = toTargets(batch.y, outputSize, x.rows, loss);
      w = rowWeights(batch.sampleWeight, this.classWeight, y);
      if (x.rows === 0) throw new ValueError('a batch has no rows');
    } catch (err) {
      atBatch(err, `data source batch ${b}`);
    }
    this.fit(x.rows, w !== null);
    // A batch without weights in a weighted stream weighs each row 1.
    this.engine.loadBatch(this.handle, x.data, y.data, x.rows, this.weighted ? (w ?? new Float64Array(x.rows).fill(1)) : null);
    if (!last) this.ahead = inFlight(() => it.next());
    return x.rows;
  }

  /** Makes the staging hold `rows` rows (weighted once any batch is): a new handle for a larger batch than any before. */
  private fit(rows: number, weighted: boolean): void {
    if (rows <= this.capacity && (this.weighted || !weighted)) return;
    const capacity = Math.max(rows, this.capacity);
    const next = this.engine.createStaging(capacity, this.weighted || weighted);
    this.handle.dispose();
    this.handle = next;
    this.capacity = capacity;
    this.weighted ||= weighted;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.handle.dispose();
    const ahead = this.ahead;
    this.ahead = null;
    if (ahead) await ahead.catch(() => undefined);
    await Promise.resolve(this.it?.return?.()).catch(() => undefined);
  }
}
