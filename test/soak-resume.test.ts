/**
 * Interrupted runs: an AbortSignal fired mid-epoch (at every batch position of a shuffled
 * epoch), then save (JSON and binary, with the optimiser, shuffle state and the unfinished
 * epoch) and resume in a new model: weights, optimiser state and the joined loss history are
 * bit-identical to an uninterrupted run, on both backends. Also: the unfinished epoch is kept in
 * memory (abort, fit again on the same model), dropped when the next fit differs in rows or
 * batch size, dropped by compile, and a corrupt `training.pending` in a file is refused.
 */
import { describe, expect, it } from 'vitest';
import { Adam, Dense, ReLU, SGD, Sequential, Sigmoid, ValueError, datasets, type History } from '../src/index.js';
import { refusal } from './helpers/hardening.js';

const backends = ['wasm', 'reference'] as const;
const { x, y } = datasets.moons({ n: 70, noise: 0.2, seed: 11 });
const EPOCHS = 4;
const BATCH = 16; // 70 rows: batches of 16, 16, 16, 16, 6

function net(backend: 'wasm' | 'reference'): Sequential {
  const model = new Sequential([new Dense(2, 10), new ReLU(), new Dense(10, 1), new Sigmoid()], { backend, seed: 21 });
  model.compile({ loss: 'bce', optimizer: new Adam({ lr: 0.02 }), metrics: ['accuracy'] });
  return model;
}

/** The state that must match bit for bit. */
function state(model: Sequential) {
  return { weights: model.getWeights(), optimizer: model.liveEngine.getOptimizerState(), shuffle: model.shuffleRandom.getState() };
}

/** Trains EPOCHS epochs, aborting after batch `stopAt` (counted over the whole run); returns the model and history. */
async function interrupted(backend: 'wasm' | 'reference', stopAt: number): Promise<{ model: Sequential; history: History }> {
  const model = net(backend);
  const controller = new AbortController();
  let seen = 0;
  const history = await model.fit(x, y, {
    epochs: EPOCHS,
    batchSize: BATCH,
    onBatchEnd: () => {
      if (seen++ === stopAt) controller.abort();
    },
    signal: controller.signal,
  });
  return { model, history };
}

/** The second half: EPOCHS minus the finished epochs, then the joined history. */
async function resume(model: Sequential, first: History): Promise<Pick<History, 'epochs' | 'loss' | 'accuracy'>> {
  const rest = await model.fit(x, y, { epochs: EPOCHS - first.epochs, batchSize: BATCH });
  return { epochs: first.epochs + rest.epochs, loss: [...first.loss, ...rest.loss], accuracy: [...first.accuracy!, ...rest.accuracy!] };
}

describe.each(backends)('abort mid-epoch, save, resume on %s', (backend) => {
  it('every stop position, through JSON and binary, equals the uninterrupted run bit for bit', async () => {
    const straight = net(backend);
    const want = await straight.fit(x, y, { epochs: EPOCHS, batchSize: BATCH });
    const end = state(straight);
    straight.dispose();
    const batches = Math.ceil(x.length / BATCH);
    for (const stopAt of [0, 1, batches - 2, batches - 1, batches, 2 * batches + 2, EPOCHS * batches - 2]) {
      const { model, history } = await interrupted(backend, stopAt);
      expect(history.stopped).toBe('aborted');
      expect(history.epochs).toBe(Math.floor(stopAt / batches));
      const json = Sequential.fromJSON(JSON.stringify(model.toJSON({ includeOptimizer: true })));
      const binary = Sequential.fromBytes(model.save());
      model.dispose();
      for (const resumed of [json, binary]) {
        const joined = await resume(resumed, history);
        expect(joined).toEqual({ epochs: EPOCHS, loss: want.loss, accuracy: want.accuracy });
        expect(state(resumed)).toEqual(end);
        resumed.dispose();
      }
    }
  });

  it('the same model resumes in memory (no save), also with SGD momentum and no shuffle', async () => {
    const make = () => {
      const m = new Sequential([new Dense(2, 6), new ReLU(), new Dense(6, 1)], { backend, seed: 5 });
      m.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.05, momentum: 0.9 }) });
      return m;
    };
    const straight = make();
    await straight.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false });
    const model = make();
    const controller = new AbortController();
    const first = await model.fit(x, y, {
      epochs: 3,
      batchSize: 8,
      shuffle: false,
      signal: controller.signal,
      onBatchEnd: (b, l) => {
        if (l.epoch === 1 && b === 4) controller.abort();
      },
    });
    expect(first.epochs).toBe(1);
    await model.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false });
    expect(model.getWeights()).toEqual(straight.getWeights());
    straight.dispose();
    model.dispose();
  });

  it('a fit on other rows or another batch size drops the unfinished epoch; compile drops it too', async () => {
    const { model } = await interrupted(backend, 2);
    expect(model.pendingEpoch?.nextBatch).toBe(3);
    await model.fit(x.slice(0, 20), y.slice(0, 20), { epochs: 0 });
    expect(model.pendingEpoch).not.toBeNull(); // epochs: 0 leaves it
    await model.fit(x, y, { epochs: 1, batchSize: 8 });
    expect(model.pendingEpoch).toBeNull();
    const again = await interrupted(backend, 1);
    again.model.compile({ loss: 'bce' });
    expect(again.model.pendingEpoch).toBeNull();
    model.dispose();
    again.model.dispose();
  });

  it('a corrupt training.pending in a file is refused with a ValueError naming the field', async () => {
    const { model } = await interrupted(backend, 2);
    const doc = model.toJSON({ includeOptimizer: true });
    model.dispose();
    const bad = (edit: (p: Record<string, unknown>) => void) => {
      const copy = structuredClone(doc);
      edit(copy.training!.pending as unknown as Record<string, unknown>);
      return () => Sequential.fromJSON(copy);
    };
    const order = doc.training!.pending!.order!;
    const dup = new Float64Array(x.length).fill(0);
    const cases: [() => unknown, RegExp][] = [
      [
        bad((p) => {
          p.nextBatch = 99;
        }),
        /training\.pending\.nextBatch must be an integer in \[0, 5\], got 99/,
      ],
      [
        bad((p) => {
          p.batchSize = 0;
        }),
        /training\.pending\.batchSize must be an integer in \[1, 70\], got 0/,
      ],
      [
        bad((p) => {
          p.rows = -1;
        }),
        /training\.pending\.rows/,
      ],
      [
        bad((p) => {
          p.lossSum = 'x';
        }),
        /training\.pending\.lossSum must be a finite number, got "x"/,
      ],
      [
        bad((p) => {
          p.shuffle = false;
        }),
        /order must be null \(shuffle is false\)/,
      ],
      [
        bad((p) => {
          p.order = { ...order, data: Buffer.from(dup.buffer).toString('base64') };
        }),
        /order\[1\] is 0: the order must be a permutation/,
      ],
      [
        bad((p) => {
          p.order = { ...order, shape: [3], data: Buffer.from(new Float64Array([0, 1, 2]).buffer).toString('base64') };
        }),
        /order has 3 entries, expected 70/,
      ],
      [
        bad((p) => {
          p.order = { ...order, data: Buffer.from(new Float64Array(70).fill(0.5).buffer).toString('base64') };
        }),
        /order\[0\] is 0.5, not a row index/,
      ],
      [
        bad((p) => {
          p.order = 5;
        }),
        /training\.pending\.order must be an object/,
      ],
    ];
    for (const [call, message] of cases) {
      const e = await refusal(call);
      expect(e).toBeInstanceOf(ValueError);
      expect(e.message).toMatch(message);
    }
  });
});
