/**
 * What fit needs to stream: the checks of a source's options, the feed for the training data,
 * and validation outputs from a data source (read whole after each epoch, batch by batch). It
 * comes with src/extras.ts, which fit loads only when it streams (model/parts.ts), so a page that
 * never streams does not load it.
 */
import type { Engine } from '../engine.js';
import type { Matrix } from './input.js';
import type { ClassWeight } from './sample-weights.js';
import type { BatchIterable, RowSource } from './data-source.js';
import { IterableFeed, MatrixFeed, RowFeed, floatBuffer, type BatchChecks, type BatchFeed } from './batch-feed.js';

export { checkSourceOptions } from './source-options.js';

/** The data fit trains or validates on, with the kind of source it is (fit knows it: isRowSource). */
export type SourceOf = { rows: RowSource } | { iterable: BatchIterable };

/** What validation reads of the model: its forward pass on a checked matrix. */
interface Forward {
  forwardMatrix(m: Matrix): Matrix;
}

/**
 * The feed of one fit: in-memory rows (x, y, weights) when `source` is null, else the source's
 * (an iterable with `steps` batches per epoch, or null: to its end). Allocates the staging handle.
 */
export function openFeed(
  engine: Engine,
  source: SourceOf | null,
  x: Matrix | null,
  y: Matrix | null,
  weights: Float64Array | null,
  batch: number,
  steps: number | null,
  classWeight: ClassWeight | undefined,
  checks: BatchChecks,
): BatchFeed {
  if (source === null) return new MatrixFeed(engine, x!, y!, weights, batch);
  if ('rows' in source) return new RowFeed(engine, source.rows, batch, classWeight, checks);
  return new IterableFeed(engine, source.iterable, steps, classWeight, checks);
}

/** Appends the chunks' values into one Float64Array of `cols` columns. */
function concat(chunks: ArrayLike<number>[], cols: number): Matrix {
  const data = new Float64Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.length;
  }
  return { data, rows: data.length / cols, cols };
}

/** The model's outputs on a row source and its targets, in batches of `batch` rows in order. */
async function rowSourceOutputs(
  model: Forward,
  engine: Engine,
  source: RowSource,
  batch: number,
  { toMatrix, toTargets }: BatchChecks,
): Promise<[Matrix, Matrix]> {
  const { inputSize, outputSize, loss } = engine.plan;
  const xb = floatBuffer(engine, batch * inputSize),
    yb = floatBuffer(engine, batch * outputSize);
  const outs: ArrayLike<number>[] = [],
    ys: ArrayLike<number>[] = [];
  for (let start = 0; start < source.rows; start += batch) {
    const size = Math.min(batch, source.rows - start);
    const xv = xb.subarray(0, size * inputSize),
      yv = yb.subarray(0, size * outputSize);
    await source.read(
      Int32Array.from({ length: size }, (_, r) => start + r),
      xv,
      yv,
    );
    const x = toMatrix({ data: xv, shape: [size, inputSize] }, inputSize, 'validation x');
    ys.push(Float64Array.from(toTargets({ data: yv, shape: [size, outputSize] }, outputSize, size, loss).data));
    outs.push(model.forwardMatrix(x).data);
  }
  return [concat(outs, outputSize), concat(ys, outputSize)];
}

/** The model's outputs on every batch of a fresh pass over an iterable, and the targets. */
async function iterableOutputs(model: Forward, engine: Engine, source: BatchIterable, { toMatrix, toTargets }: BatchChecks): Promise<[Matrix, Matrix]> {
  const { inputSize, outputSize, loss } = engine.plan;
  const outs: ArrayLike<number>[] = [],
    ys: ArrayLike<number>[] = [];
  for await (const batch of source) {
    const x = toMatrix(batch.x, inputSize, 'validation x');
    ys.push(Float64Array.from(toTargets(batch.y, outputSize, x.rows, loss).data));
    outs.push(model.forwardMatrix(x).data);
  }
  return [concat(outs, outputSize), concat(ys, outputSize)];
}

/**
 * The model's outputs on a data source used as validation data, and its targets: the source's
 * whole pass (outputs and targets kept: rows × outputs values, whatever the inputs' width).
 * Mutates nothing but the engine's scratch.
 */
export function sourceOutputs(model: Forward, engine: Engine, v: SourceOf, batch: number, checks: BatchChecks): Promise<[Matrix, Matrix]> {
  return 'rows' in v ? rowSourceOutputs(model, engine, v.rows, batch, checks) : iterableOutputs(model, engine, v.iterable, checks);
}
