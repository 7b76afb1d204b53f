/**
 * Learning-rate schedules: the closed forms against PyTorch's formulas (written out here
 * independently), their checks, and fit on both backends — the lr of every step, history.lr,
 * per-batch stepping, and an exact resume of a schedule saved mid-training.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, Dense, ReLU, Sequential, SGD, ValueError, resolveSchedule, scheduleLr } from '../src/index.js';

const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));

describe('schedule formulas', () => {
  it('StepLR, ExponentialLR, CosineAnnealingLR, LinearLR', () => {
    const step = resolveSchedule({ type: 'step', stepSize: 3, gamma: 0.5 });
    const exp = resolveSchedule({ type: 'exponential', gamma: 0.9 });
    const cos = resolveSchedule({ type: 'cosine', tMax: 10, etaMin: 0.01 });
    const lin = resolveSchedule({ type: 'linear', startFactor: 0.25, totalIters: 4 });
    for (let t = 0; t < 14; t++) {
      close(scheduleLr(step, 0.2, t), 0.2 * 0.5 ** Math.floor(t / 3));
      close(scheduleLr(exp, 0.2, t), 0.2 * 0.9 ** t);
      close(scheduleLr(cos, 0.2, t), 0.01 + ((0.2 - 0.01) * (1 + Math.cos((Math.PI * t) / 10))) / 2);
      close(scheduleLr(lin, 0.2, t), 0.2 * (0.25 + (0.75 * Math.min(t, 4)) / 4));
    }
    close(scheduleLr(cos, 0.2, 10), 0.01);
  });

  it('OneCycleLR (cos): starts at maxLr/divFactor, peaks at pctStart, ends at that / finalDivFactor', () => {
    const s = resolveSchedule({ type: 'onecycle', maxLr: 1, totalSteps: 100, pctStart: 0.25, divFactor: 10, finalDivFactor: 100 });
    expect(s.interval).toBe('batch');
    close(scheduleLr(s, 123, 0), 0.1);
    close(scheduleLr(s, 123, 24), 1);
    close(scheduleLr(s, 123, 99), 0.001);
    // PyTorch's phase 1 at step 12: cos anneal from 0.1 to 1 at pct 12/24.
    close(scheduleLr(s, 123, 12), 1 + ((0.1 - 1) / 2) * (Math.cos(Math.PI * 0.5) + 1));
    close(scheduleLr(s, 123, 60), 0.001 + ((1 - 0.001) / 2) * (Math.cos((Math.PI * (60 - 24)) / 75) + 1));
    close(scheduleLr(s, 123, 500), 0.001);
  });

  it('linear warm-up ramps to the schedule, which then starts from its step 0', () => {
    const s = resolveSchedule({ type: 'step', stepSize: 2, gamma: 0.1, warmup: 3 });
    expect([0, 1, 2, 3, 4, 5].map((t) => scheduleLr(s, 1, t))).toEqual([0.25, 0.5, 0.75, 1, 1, 0.1 ** 1]);
  });

  it('refuses bad schedules with errors naming the field', () => {
    expect(() => resolveSchedule({ type: 'plateau' })).toThrow(ConfigError);
    expect(() => resolveSchedule({ type: 'step', stepSize: 2, gama: 0.5 })).toThrow(/unknown option 'gama'/);
    expect(() => resolveSchedule({ type: 'step' })).toThrow(/needs stepSize/);
    expect(() => resolveSchedule({ type: 'step', stepSize: 1.5 })).toThrow(ValueError);
    expect(() => resolveSchedule({ type: 'exponential', gamma: -1 })).toThrow(/gamma must be a finite number > 0/);
    expect(() => resolveSchedule({ type: 'cosine', tMax: 5, interval: 'week' })).toThrow(/interval/);
    expect(() => resolveSchedule({ type: 'onecycle', maxLr: 1, totalSteps: 10, warmup: 2 })).toThrow(/warms up by itself/);
    expect(() => resolveSchedule({ type: 'onecycle', maxLr: 1, totalSteps: 2 })).toThrow(/pctStart/);
    expect(() => resolveSchedule('step')).toThrow(ConfigError);
  });
});

const X = Array.from({ length: 10 }, (_, i) => [i / 10, Math.sin(i), 1 - i / 5]);
const Y = X.map((r) => [r[0] - r[1] + 0.5 * r[2]]);

function model(backend: 'wasm' | 'reference', schedule?: Record<string, unknown>): Sequential {
  const m = new Sequential([new Dense(3, 5), new ReLU(), new Dense(5, 1)], { seed: 3, backend });
  return m.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.1, momentum: 0.5 }), schedule });
}

describe.each(['reference', 'wasm'] as const)('fit with a schedule on %s', (backend) => {
  it("every step uses the formula lr (stepped per epoch), history.lr holds each epoch's", async () => {
    const m = model(backend, { type: 'step', stepSize: 2, gamma: 0.5 });
    const rates: [number, number][] = [];
    const h = await m.fit(X, Y, { epochs: 5, batchSize: 4, shuffle: false, onBatchEnd: (_b, l) => rates.push([l.epoch, l.lr]) });
    expect(rates).toHaveLength(15);
    for (const [epoch, lr] of rates) expect(lr).toBe(0.1 * 0.5 ** Math.floor(epoch / 2));
    expect(h.lr).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    m.dispose();
  });

  it('the lr really reaches the engine: a schedule equals the same steps with setLearningRate by hand', async () => {
    const m = model(backend, { type: 'exponential', gamma: 0.7, interval: 'batch' });
    await m.fit(X, Y, { epochs: 2, batchSize: 4, shuffle: false });
    const by = model(backend);
    const engine = by.liveEngine;
    const data = engine.loadData(X.flat(), Y.flat(), 10);
    let t = 0;
    for (let e = 0; e < 2; e++) {
      for (const [start, n] of [
        [0, 4],
        [4, 4],
        [8, 2],
      ]) {
        engine.setLearningRate(0.1 * 0.7 ** t++);
        engine.trainStep(data, start, n);
      }
    }
    data.dispose();
    expect(m.getWeights()).toEqual(by.getWeights());
    const plain = model(backend);
    await plain.fit(X, Y, { epochs: 2, batchSize: 4, shuffle: false });
    expect(plain.getWeights()).not.toEqual(m.getWeights());
    for (const x of [m, by, plain]) x.dispose();
  });

  it('a schedule saved mid-training (with the training state) resumes exactly, and compile resets it', async () => {
    const spec = { type: 'onecycle', maxLr: 0.3, totalSteps: 12 };
    const whole = model(backend, spec);
    await whole.fit(X, Y, { epochs: 4, batchSize: 4 });
    const first = model(backend, spec);
    await first.fit(X, Y, { epochs: 2, batchSize: 4 });
    const again = Sequential.fromBytes(first.save());
    const h = await again.fit(X, Y, { epochs: 2, batchSize: 4 });
    expect(again.getWeights()).toEqual(whole.getWeights());
    expect(h.lr[0]).toBeCloseTo(scheduleLr(resolveSchedule(spec), 0.1, 6), 15);
    const json = Sequential.fromJSON(JSON.stringify(first.toJSON({ includeOptimizer: true })));
    await json.fit(X, Y, { epochs: 2, batchSize: 4 });
    expect(json.getWeights()).toEqual(whole.getWeights());
    first.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.1 }), schedule: spec });
    expect((await first.fit(X, Y, { epochs: 1, batchSize: 4 })).lr[0]).toBeCloseTo(0.3 / 25, 15);
    for (const x of [whole, first, again, json]) x.dispose();
  });
});

describe('compile refuses bad schedules before changing anything', () => {
  it('unknown option or bad value', () => {
    const m = model('reference');
    expect(() => m.compile({ loss: 'mse', schedule: { type: 'cosine' } })).toThrow(/needs tMax/);
    expect(() => m.compile({ loss: 'mse', schedule: { type: 'cosine', tMax: 0 } })).toThrow(ValueError);
    expect(m.schedule.config).toBeNull();
    m.dispose();
  });
});
