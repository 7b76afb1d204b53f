/**
 * fit's reliability edges: an async onBatchEnd is awaited and its rejection rejects fit (never
 * an unhandled rejection after fit resolved); an AbortSignal aborted before fit runs no step;
 * typed-array inputs and validation data are fit's own from the call on (a caller writing to
 * them mid-fit changes nothing); a 1-D label tensor whose shape disagrees with its data is refused.
 */
import { describe, expect, it } from 'vitest';
import { Dense, Sequential, ShapeError, Sigmoid } from '../src/index.js';

const backends = ['wasm', 'reference'] as const;
const rows = 16;
const xData = Float32Array.from({ length: rows * 2 }, (_, i) => Math.sin(i * 1.7));
const yData = Float64Array.from({ length: rows }, (_, i) => (Math.sin(i * 1.7) > 0 ? 1 : 0));

function model(backend: (typeof backends)[number]): Sequential {
  const m = new Sequential([new Dense(2, 5), new Sigmoid(), new Dense(5, 1), new Sigmoid()], { seed: 3, backend });
  m.compile({ loss: 'mse', optimizer: { type: 'sgd', lr: 0.5 } });
  return m;
}

describe.each(backends)('fit on %s', (backend) => {
  it('awaits an async onBatchEnd and rejects with its error', async () => {
    const m = model(backend);
    const seen: number[] = [];
    const p = m.fit({ data: xData, shape: [rows, 2] }, yData, {
      epochs: 3,
      batchSize: 4,
      onBatchEnd: async (b, logs) => {
        await new Promise((r) => setTimeout(r, 1));
        seen.push(logs.epoch * 10 + b);
        if (logs.epoch === 1 && b === 2) throw new Error('callback failed');
      },
    });
    await expect(p).rejects.toThrow('callback failed');
    // Every batch waited for the callback before it; none ran after the rejection.
    expect(seen).toEqual([0, 1, 2, 3, 10, 11, 12]);
    m.dispose();
  });

  it('runs no step when the signal is already aborted', async () => {
    const m = model(backend);
    const before = m.getWeights();
    const controller = new AbortController();
    controller.abort();
    let batches = 0;
    const h = await m.fit({ data: xData, shape: [rows, 2] }, yData, {
      epochs: 2,
      signal: controller.signal,
      onBatchEnd: () => {
        batches++;
      },
    });
    expect(h.stopped).toBe('aborted');
    expect(h.epochs).toBe(0);
    expect(batches).toBe(0);
    expect(m.getWeights()).toEqual(before);
    m.dispose();
  });

  it('is not changed by writes to x, y or the validation data during fit', async () => {
    const run = async (mutate: boolean) => {
      const m = model(backend);
      const x = { data: xData.slice(), shape: [rows, 2] };
      const y = yData.slice();
      const vx = { data: xData.slice(0, 8), shape: [4, 2] };
      const vy = yData.slice(0, 4);
      const p = m.fit(x, y, {
        epochs: 3,
        batchSize: 4,
        validationData: [vx, vy],
        onEpochEnd: () => {
          if (mutate) {
            vx.data.fill(7);
            vy.fill(0);
          }
        },
      });
      if (mutate) {
        x.data.fill(0);
        y.fill(0);
      }
      const h = await p;
      const w = m.getWeights();
      m.dispose();
      return { h, w };
    };
    const clean = await run(false);
    const mutated = await run(true);
    expect(mutated.h).toEqual(clean.h);
    expect(mutated.w).toEqual(clean.w);
  });

  it('refuses a 1-D label tensor whose shape disagrees with its data', async () => {
    const m = model(backend);
    await expect(m.fit({ data: xData, shape: [rows, 2] }, { data: yData, shape: [rows - 1] })).rejects.toThrow(ShapeError);
    await expect(m.fit({ data: xData, shape: [rows, 2] }, { data: yData, shape: [rows - 1] })).rejects.toThrow(
      /y: shape \[15\] needs 15 labels but data has 16/,
    );
    expect(() => m.evaluate({ data: xData, shape: [rows, 2] }, { data: yData, shape: [rows + 1] })).toThrow(ShapeError);
    m.dispose();
  });
});
