/**
 * Streamed training (src/model/batch-feed.ts, data-source.ts): in-memory data streamed batch by
 * batch, a row source and an iterable of batches give the weights the copy-once path gives for
 * the same row order, bit for bit, on both backends; stepsPerEpoch, validation from a source,
 * a source running out, and bad sources refused with a clear error.
 */
import { describe, expect, it } from 'vitest';
import {
  BatchNorm,
  ConfigError,
  Dense,
  Dropout,
  ReLU,
  Sequential,
  Adam,
  ShapeError,
  Sigmoid,
  ValueError,
  type BackendName,
  type FloatArray,
  type RowSource,
  type SourceBatch,
} from '../src/index.js';
import { arenaBytesInUse } from '../src/wasm/core.js';
import { STREAM_MIN_BYTES, streamsBySize } from '../src/model/data-source.js';
import { expectedArenaBytes } from '../src/bench/memory.js';

const ROWS = 53;
const IN = 5;
const OUT = 3;
/** Deterministic data: x in [-1, 1), one class of 3 per row (one-hot y). */
const X = Float64Array.from({ length: ROWS * IN }, (_, i) => Math.sin(i * 12.9898) * 0.999);
const LABELS = Int32Array.from({ length: ROWS }, (_, r) => (X[r * IN] + X[r * IN + 1] > 0 ? 1 : 0) + (X[r * IN + 2] > 0.5 ? 1 : 0));
const Y = Float64Array.from({ length: ROWS * OUT }, (_, i) => (LABELS[Math.floor(i / OUT)] === i % OUT ? 1 : 0));
const W = Float64Array.from({ length: ROWS }, (_, r) => 0.5 + (r % 4) * 0.25);

function model(backend: BackendName, extra = true): Sequential {
  const layers = extra
    ? [new Dense(IN, 8), new BatchNorm(8), new ReLU(), new Dropout(0.2), new Dense(8, OUT)]
    : [new Dense(IN, 8), new Sigmoid(), new Dense(8, OUT)];
  return new Sequential(layers, { seed: 3, backend }).compile({ loss: 'softmax_ce', optimizer: new Adam({ lr: 0.01 }), metrics: ['accuracy'] });
}

const xIn = { data: X, shape: [ROWS, IN] };
const yIn = { data: Y, shape: [ROWS, OUT] };

/** A row source over X, Y that records the indices it was asked for. */
function rowSource(asked: number[][] = [], async = false): RowSource {
  return {
    rows: ROWS,
    read(index: Int32Array, x: FloatArray, y: FloatArray) {
      asked.push(Array.from(index));
      const fill = () =>
        index.forEach((row, r) => {
          x.set(X.subarray(row * IN, row * IN + IN), r * IN);
          y.set(Y.subarray(row * OUT, row * OUT + OUT), r * OUT);
        });
      if (!async) return fill();
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          fill();
          resolve();
        }, 1),
      );
    },
  };
}

/** The rows of X, Y in order as batches of `size` rows (nested rows for x, class indices for y). */
function* batchesOf(size: number, from = 0, to = ROWS): Generator<SourceBatch> {
  for (let s = from; s < to; s += size) {
    const e = Math.min(s + size, to);
    const x = Array.from({ length: e - s }, (_, r) => Array.from(X.subarray((s + r) * IN, (s + r + 1) * IN)));
    yield { x, y: Array.from(LABELS.subarray(s, e)) };
  }
}

const weights = (m: Sequential) => m.getWeights().map((t) => Array.from(t.flat()));

for (const backend of ['reference', 'wasm'] as const) {
  describe(`${backend}: streamed training equals copy-once training bit for bit`, () => {
    it('in-memory data (shuffle, BatchNorm, Dropout, sample weights, a short last batch)', async () => {
      const runs = [];
      for (const stream of [false, true]) {
        const m = model(backend);
        const h = await m.fit(xIn, yIn, { epochs: 3, batchSize: 8, stream, sampleWeight: W, validationData: [xIn, yIn] });
        runs.push({ w: weights(m), h: h.history });
      }
      expect(runs[1].w).toEqual(runs[0].w);
      expect(runs[1].h).toEqual(runs[0].h);
    });

    it('streamed on 2 threads equals copy-once on 1', async () => {
      const a = model(backend);
      await a.fit(xIn, yIn, { epochs: 2, batchSize: 16, stream: false });
      const b = model(backend);
      await b.fit(xIn, yIn, { epochs: 2, batchSize: 16, stream: true, threads: 2 });
      expect(weights(b)).toEqual(weights(a));
      if (backend === 'wasm') expect((b as unknown as { liveEngine: { threads: number } }).liveEngine.threads).toBe(2);
      b.dispose();
    });

    it('an aborted streamed fit resumes as the copy-once one does', async () => {
      const runs = [];
      for (const stream of [false, true]) {
        const m = model(backend);
        const ac = new AbortController();
        await m.fit(xIn, yIn, {
          epochs: 2,
          batchSize: 8,
          stream,
          signal: ac.signal,
          onBatchEnd: (b) => {
            if (b === 3) ac.abort();
          },
        });
        await m.fit(xIn, yIn, { epochs: 2, batchSize: 8, stream });
        runs.push(weights(m));
      }
      expect(runs[1]).toEqual(runs[0]);
    });

    for (const async of [false, true]) {
      it(`a ${async ? 'async ' : ''}row source, shuffled by index as in-memory data is`, async () => {
        const ref = model(backend);
        const h0 = await ref.fit(xIn, yIn, { epochs: 2, batchSize: 16, classWeight: [1, 2, 0.5] });
        const m = model(backend);
        const asked: number[][] = [];
        const h1 = await m.fit(rowSource(asked, async), { epochs: 2, batchSize: 16, classWeight: [1, 2, 0.5] });
        expect(weights(m)).toEqual(weights(ref));
        expect(h1.loss).toEqual(h0.loss);
        // Every epoch asks for each row once, in batches of 16, 16, 16, 5, shuffled.
        expect(asked.map((a) => a.length)).toEqual([16, 16, 16, 5, 16, 16, 16, 5]);
        expect(
          asked
            .slice(0, 4)
            .flat()
            .sort((a, b) => a - b),
        ).toEqual(Array.from({ length: ROWS }, (_, i) => i));
        expect(asked[0]).not.toEqual(Array.from({ length: 16 }, (_, i) => i));
        // Training metrics need the rows kept: a source logs the loss only.
        expect(Object.keys(h1.history)).toEqual(['loss', 'lr']);
      });
    }

    it('an iterable (sync and async) in its order equals unshuffled in-memory training', async () => {
      const ref = model(backend, false);
      await ref.fit(xIn, yIn, { epochs: 3, batchSize: 10, shuffle: false });
      const sync = model(backend, false);
      await sync.fit({ [Symbol.iterator]: () => batchesOf(10) }, { epochs: 3 });
      const asyncModel = model(backend, false);
      const asyncSource = {
        async *[Symbol.asyncIterator]() {
          yield* batchesOf(10);
        },
      };
      await asyncModel.fit(asyncSource, { epochs: 3 });
      expect(weights(sync)).toEqual(weights(ref));
      expect(weights(asyncModel)).toEqual(weights(ref));
    });

    it('stepsPerEpoch runs one unbounded generator through the fit', async () => {
      const ref = model(backend, false);
      const h0 = await ref.fit(xIn, yIn, { epochs: 4, batchSize: 10, shuffle: false });
      function* forever() {
        for (;;) yield* batchesOf(10);
      }
      const m = model(backend, false);
      const h = await m.fit(forever(), { epochs: 4, stepsPerEpoch: 6 });
      expect(h.epochs).toBe(4);
      expect(h.loss).toEqual(h0.loss);
      expect(weights(m)).toEqual(weights(ref));
    });

    it('validation data from a row source and from an iterable give the in-memory val_loss', async () => {
      const vx = { data: X.subarray(0, 40 * IN), shape: [40, IN] },
        vy = { data: Y.subarray(0, 40 * OUT), shape: [40, OUT] };
      const ref = model(backend, false);
      const h0 = await ref.fit(xIn, yIn, { epochs: 2, batchSize: 16, validationData: [vx, vy] });
      const valRows: RowSource = { ...rowSource(), rows: 40 };
      const a = model(backend, false);
      const h1 = await a.fit(xIn, yIn, { epochs: 2, batchSize: 16, validationData: valRows });
      const b = model(backend, false);
      const h2 = await b.fit(xIn, yIn, { epochs: 2, batchSize: 16, validationData: { [Symbol.iterator]: () => batchesOf(8, 0, 40) } });
      for (const h of [h1, h2]) {
        expect(h.history.val_accuracy).toEqual(h0.history.val_accuracy);
        h.history.val_loss.forEach((v, i) => expect(v).toBeCloseTo(h0.history.val_loss[i], backend === 'wasm' ? 6 : 12));
      }
    });
  });
}

describe('sources that run out or are bad', () => {
  it('a generator used up after one epoch ends fit with stopped: exhausted', async () => {
    const m = model('wasm', false);
    const h = await m.fit(batchesOf(10), { epochs: 3 });
    expect(h.epochs).toBe(1);
    expect(h.stopped).toBe('exhausted');
  });

  it('stepsPerEpoch past the end keeps the short epoch and stops', async () => {
    const m = model('wasm', false);
    const h = await m.fit(batchesOf(10), { epochs: 3, stepsPerEpoch: 4 });
    expect(h.epochs).toBe(2);
    expect(h.stopped).toBe('exhausted');
  });

  it('a source with no batches at all is a ValueError', async () => {
    await expect(model('wasm', false).fit([][Symbol.iterator]() as Iterator<SourceBatch> & Iterable<SourceBatch>, { epochs: 1 })).rejects.toThrow(ValueError);
  });

  it('options that do not go with the source are ConfigErrors before any step', async () => {
    const m = model('reference', false);
    const before = weights(m);
    await expect(m.fit(batchesOf(10), { batchSize: 8 })).rejects.toThrow(ConfigError);
    await expect(m.fit(rowSource(), { stepsPerEpoch: 3 })).rejects.toThrow(ConfigError);
    await expect(m.fit(xIn, yIn, { stepsPerEpoch: 3 })).rejects.toThrow(ConfigError);
    await expect(m.fit(rowSource(), { validationSplit: 0.2 })).rejects.toThrow(ConfigError);
    await expect(m.fit({ rows: 0, read() {} }, {})).rejects.toThrow(ConfigError);
    await expect(m.fit(new Set([1, 2]) as never, [1, 2] as never)).rejects.toThrow(/carries its own targets/);
    expect(weights(m)).toEqual(before);
  });

  it('a bad batch is refused naming it, with the weights of the steps before', async () => {
    const m = model('wasm', false);
    function* bad() {
      yield* batchesOf(10, 0, 20);
      yield { x: [[1, 2]], y: [0] };
    }
    await expect(m.fit(bad(), {})).rejects.toThrow(/data source batch 2: .*expects 5/);
    await expect(m.fit(bad(), {})).rejects.toThrow(ShapeError);
    const nan: RowSource = {
      rows: 4,
      read: (_i, x) => {
        x.fill(0);
        x[3] = NaN;
      },
    };
    await expect(m.fit(nan, {})).rejects.toThrow(/row source.*row 0, column 3 is NaN/);
  });
});

describe('the memory plan of a streamed fit', () => {
  it('the arena holds exactly expectedArenaBytes with a weighted staging batch, not the rows', async () => {
    const before = arenaBytesInUse();
    const m = model('wasm');
    const seen = new Set<number>();
    await m.fit(xIn, yIn, {
      epochs: 2,
      batchSize: 8,
      stream: true,
      sampleWeight: W,
      onBatchEnd: () => {
        seen.add(arenaBytesInUse() - before);
      },
    });
    const capacity = (m as unknown as { liveEngine: { capacity: number } }).liveEngine.capacity;
    const budget = expectedArenaBytes(m.plan, capacity, ROWS, true, { batch: 8, weighted: true });
    expect([...seen]).toEqual([budget.total]);
    expect(budget.data).toBe(0);
    expect(budget.staging).toBeGreaterThan(0);
    m.dispose();
    expect(arenaBytesInUse()).toBe(before);
  });
});

describe('the engine contract: a step on a staged batch is a step on loaded data', () => {
  it('both engines, with an index and weights', async () => {
    for (const backend of ['reference', 'wasm'] as const) {
      const a = model(backend, false),
        b = model(backend, false);
      const ea = (a as unknown as { liveEngine: import('../src/engine.js').Engine }).liveEngine;
      const eb = (b as unknown as { liveEngine: import('../src/engine.js').Engine }).liveEngine;
      const order = Int32Array.from({ length: ROWS }, (_, i) => (i * 7) % ROWS);
      const d = ea.loadData(X, Y, ROWS, W);
      d.setOrder(order);
      const s = eb.createStaging(12, true);
      expect(() => eb.loadBatch(s, X, Y, 12, null, order)).toThrow(ValueError);
      expect(() => eb.loadBatch(s, X, Y, 13, W, order)).toThrow(ValueError);
      expect(() => s.setOrder(order)).toThrow(ValueError);
      for (let start = 0; start < 36; start += 12) {
        eb.loadBatch(s, X, Y, 12, W, order.subarray(start, start + 12));
        expect(eb.trainStep(s, 0, 12)).toBe(ea.trainStep(d, start, 12));
      }
      expect(eb.getParameters()).toEqual(ea.getParameters());
      d.dispose();
      s.dispose();
    }
  });
});

describe('streaming in-memory data by size', () => {
  it('streams only past STREAM_MIN_BYTES (512 MiB): Fashion-MNIST is copied once on both backends', () => {
    expect(STREAM_MIN_BYTES).toBe(512 * 2 ** 20);
    expect(streamsBySize(STREAM_MIN_BYTES / 4, 4)).toBe(false);
    expect(streamsBySize(STREAM_MIN_BYTES / 4 + 1, 4)).toBe(true);
    expect(streamsBySize(STREAM_MIN_BYTES / 8 + 1, 8)).toBe(true);
    // 60,000 rows of 784 inputs and 10 one-hot targets: 190 MB in f32, 381 MB in f64.
    expect(streamsBySize(60_000 * (784 + 10), 4)).toBe(false);
    expect(streamsBySize(60_000 * (784 + 10), 8)).toBe(false);
  });
});
