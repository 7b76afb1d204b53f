/**
 * fit's callbacks: hook order and stopping, EarlyStopping's exact best-weights restore (equal,
 * weight for weight, to a fresh run of the best epoch's count), ReduceLROnPlateau's Keras
 * schedule of reductions (and the reduced lr saved as the optimiser's), ModelCheckpoint through
 * the atomic save, the CSV / JSON-lines loggers, the Keras-shaped history, and bad callbacks.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  CSVLogger,
  Dense,
  EarlyStopping,
  JSONLLogger,
  ModelCheckpoint,
  ReduceLROnPlateau,
  ReLU,
  Sequential,
  SGD,
  Sigmoid,
  ValueError,
  datasets,
  type BackendName,
  type Callback,
} from '../src/index.js';

const { x, y } = datasets.moons({ n: 120, noise: 0.3, seed: 5 });
// Validation labels flipped: once the model learns the moons, val_loss can only rise.
const vx = x.slice(0, 40),
  vy = (y as number[]).slice(0, 40).map((v) => 1 - v);

function net(backend: BackendName = 'wasm', lr = 0.5): Sequential {
  return new Sequential([new Dense(2, 8), new ReLU(), new Dense(8, 1), new Sigmoid()], { seed: 11, backend }).compile({
    loss: 'bce',
    optimizer: new SGD({ lr }),
    metrics: ['accuracy'],
  });
}

describe('callback hooks', () => {
  it('run in Keras order, with logs and context', async () => {
    const calls: string[] = [];
    const cb: Callback = {
      onTrainBegin: (ctx) => {
        calls.push(`trainBegin ${ctx.epochs}x${ctx.batches} ${ctx.logKeys.join(',')}`);
      },
      onEpochBegin: (e) => {
        calls.push(`epochBegin ${e}`);
      },
      onBatchBegin: (b, info) => {
        calls.push(`batchBegin ${info.epoch}.${b}`);
      },
      onBatchEnd: (b, logs) => {
        calls.push(`batchEnd ${logs.epoch}.${b}`);
      },
      onEpochEnd: async (e, logs) => {
        calls.push(`epochEnd ${e} ${typeof logs.val_loss} ${typeof logs.accuracy}`);
      },
      onTrainEnd: (h) => {
        calls.push(`trainEnd ${h.epochs}`);
      },
    };
    await net().fit(x, y, { epochs: 2, batchSize: 60, validationData: [vx, vy], callbacks: [cb] });
    expect(calls).toEqual([
      'trainBegin 2x2 loss,accuracy,val_loss,val_accuracy,lr',
      'epochBegin 0',
      'batchBegin 0.0',
      'batchEnd 0.0',
      'batchBegin 0.1',
      'batchEnd 0.1',
      'epochEnd 0 number number',
      'epochBegin 1',
      'batchBegin 1.0',
      'batchEnd 1.0',
      'batchBegin 1.1',
      'batchEnd 1.1',
      'epochEnd 1 number number',
      'trainEnd 2',
    ]);
  });

  it("a batch hook returning 'stop' stops after that batch and keeps the unfinished epoch; model.stopTraining too", async () => {
    const m = net();
    const h = await m.fit(x, y, { epochs: 5, batchSize: 30, callbacks: [{ onBatchEnd: (b, l) => (l.epoch === 1 && b === 1 ? 'stop' : undefined) }] });
    expect(h.epochs).toBe(1);
    expect(h.stopped).toBe('stopTraining');
    expect(m.pendingEpoch?.nextBatch).toBe(2);
    const h2 = await m.fit(x, y, {
      epochs: 5,
      callbacks: [
        {
          onEpochEnd: (e, _l, ctx) => {
            if (e === 2) ctx.model.stopTraining = true;
          },
        },
      ],
    });
    expect(h2.epochs).toBe(3);
  });

  it('history has the Keras shape, sharing the arrays', async () => {
    const h = await net().fit(x, y, { epochs: 3, validationData: [vx, vy] });
    expect(Object.keys(h.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr']);
    expect(h.history.loss).toBe(h.loss);
    expect(h.history.val_loss).toBe(h.valLoss);
    expect(h.history.val_accuracy).toBe(h.valAccuracy);
    expect(h.history.accuracy).toHaveLength(3);
  });

  it('bad callbacks and unknown monitors throw before any training', async () => {
    const m = net();
    const before = m.getWeights();
    await expect(m.fit(x, y, { callbacks: {} as never })).rejects.toThrow(ConfigError);
    await expect(m.fit(x, y, { callbacks: [{ onEpochEnd: 3 } as never] })).rejects.toThrow(ConfigError);
    await expect(m.fit(x, y, { epochs: 3, callbacks: [new EarlyStopping()] })).rejects.toThrow(/monitor 'val_loss' is not in this fit's logs/);
    expect(m.getWeights()).toEqual(before);
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(ValueError);
    expect(() => new EarlyStopping({ mode: 'up' as never })).toThrow(ConfigError);
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow(ValueError);
    expect(() => new ModelCheckpoint({ path: '' })).toThrow(ConfigError);
    expect(() => new CSVLogger({ path: 'a.csv', sep: ';' } as never)).toThrow(ConfigError);
  });
});

describe('EarlyStopping', () => {
  for (const backend of ['wasm', 'reference'] as const) {
    it(`${backend}: restoreBestWeights equals a fresh run of the best epoch's count, weight for weight`, async () => {
      const es = new EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true });
      const m = net(backend);
      const h = await m.fit(x, y, { epochs: 200, batchSize: 16, validationData: [vx, vy], callbacks: [es] });
      expect(es.stoppedEpoch).toBe(h.epochs - 1);
      expect(es.bestEpoch).toBeLessThan(es.stoppedEpoch);
      expect(h.epochs).toBe(es.bestEpoch + 4);
      const fresh = net(backend);
      await fresh.fit(x, y, { epochs: es.bestEpoch + 1, batchSize: 16, validationData: [vx, vy] });
      expect(m.getWeights()).toEqual(fresh.getWeights());
      // Without the restore the weights are the last epoch's.
      const plain = net(backend);
      await plain.fit(x, y, { epochs: 200, batchSize: 16, validationData: [vx, vy], callbacks: [new EarlyStopping({ patience: 3 })] });
      expect(plain.getWeights()).not.toEqual(fresh.getWeights());
    });
  }

  it('mode, minDelta and baseline as Keras', async () => {
    // Loss falls every epoch, so in mode 'max' nothing after the first epoch improves.
    const es = new EarlyStopping({ monitor: 'loss', mode: 'max', patience: 2 });
    const h = await net().fit(x, y, { epochs: 20, callbacks: [es] });
    expect(h.epochs).toBe(3);
    // A baseline the first epoch does not beat: its improvement does not reset the wait, so one epoch sooner.
    const base = new EarlyStopping({ monitor: 'loss', mode: 'max', patience: 2, baseline: 100 });
    expect((await net().fit(x, y, { epochs: 20, callbacks: [base] })).epochs).toBe(2);
    // A huge minDelta: no epoch counts as an improvement after the first.
    const delta = new EarlyStopping({ monitor: 'loss', patience: 1, minDelta: 100 });
    expect((await net().fit(x, y, { epochs: 20, callbacks: [delta] })).epochs).toBe(2);
  });
});

describe('ReduceLROnPlateau', () => {
  it('reduces after patience, waits out the cooldown, floors at minLr; the rate is used and saved', async () => {
    const cb = new ReduceLROnPlateau({ monitor: 'loss', mode: 'max', patience: 1, factor: 0.5, cooldown: 2, minLr: 0.1 });
    const m = net('wasm', 0.8);
    const h = await m.fit(x, y, { epochs: 9, callbacks: [cb] });
    // Keras's trace: reduce at epoch 1; epoch 2 in cooldown; the cooldown ends at epoch 3, which waits (patience 1) and reduces.
    expect(h.lr).toEqual([0.8, 0.8, 0.4, 0.4, 0.2, 0.2, 0.1, 0.1, 0.1]);
    // The engine trained with those rates: a run with the same rates set by hand matches.
    const b = net('wasm', 0.8);
    const rates = h.lr;
    await b.fit(x, y, {
      epochs: 9,
      callbacks: [
        {
          onEpochBegin: (e, ctx) => {
            if (rates[e] !== ctx.learningRate()) ctx.setLearningRate(rates[e]);
          },
        },
      ],
    });
    expect(b.getWeights()).toEqual(m.getWeights());
    const loaded = Sequential.fromBytes(m.save());
    expect(loaded.plan.optimizer.lr).toBe(0.1);
    // compile forgets it.
    m.compile({ loss: 'bce', optimizer: new SGD({ lr: 0.8 }) });
    expect((await m.fit(x, y, { epochs: 1 })).lr).toEqual([0.8]);
  });

  it('scales the base rate of a schedule', async () => {
    const m = net('reference', 1);
    m.compile({ loss: 'bce', optimizer: new SGD({ lr: 1 }), schedule: { type: 'exponential', gamma: 0.5 } });
    const h = await m.fit(x, y, {
      epochs: 4,
      callbacks: [
        {
          onEpochEnd: (e, _l, ctx) => {
            if (e === 1) ctx.setLearningRate(0.1);
          },
        },
      ],
    });
    expect(h.lr).toEqual([1, 0.5, 0.1 * 0.25, 0.1 * 0.125]);
  });
});

describe('ModelCheckpoint and loggers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmlp-cb-'));

  it('saves every epoch, or only the best, through model.save', async () => {
    const every = new ModelCheckpoint({ path: join(dir, 'every-{epoch}.wasmlp') });
    const best = new ModelCheckpoint({ path: join(dir, 'best.wasmlp'), saveBestOnly: true, monitor: 'val_loss' });
    const m = net();
    await m.fit(x, y, { epochs: 6, batchSize: 16, validationData: [vx, vy], callbacks: [every, best] });
    expect(every.saved).toEqual([1, 2, 3, 4, 5, 6].map((e) => join(dir, `every-${e}.wasmlp`)));
    const last = await Sequential.load(join(dir, 'every-6.wasmlp'));
    expect(last.getWeights()).toEqual(m.getWeights());
    expect(best.saved.length).toBeGreaterThanOrEqual(1);
    expect(best.saved.length).toBeLessThan(6);
  });

  it('CSVLogger and JSONLLogger write one line per epoch, equal to the history', async () => {
    const csv = join(dir, 'log.csv'),
      jsonl = join(dir, 'log.jsonl');
    const h = await net().fit(x, y, { epochs: 4, validationData: [vx, vy], callbacks: [new CSVLogger({ path: csv }), new JSONLLogger({ path: jsonl })] });
    const rows = readFileSync(csv, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    expect(rows[0]).toEqual(['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr']);
    expect(rows.slice(1).map((r) => Number(r[3]))).toEqual(h.valLoss);
    const lines = readFileSync(jsonl, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.loss)).toEqual(h.loss);
    expect(lines[3].epoch).toBe(3);
    // append: a second fit adds rows under the same header; without it the file starts again.
    await net().fit(x, y, { epochs: 2, validationData: [vx, vy], callbacks: [new CSVLogger({ path: csv, append: true })] });
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(7);
    await net().fit(x, y, { epochs: 2, validationData: [vx, vy], callbacks: [new CSVLogger({ path: csv })] });
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(3);
  });
});
