/**
 * Metrics: the functions against hand computations, and fit's per-epoch metrics (training and
 * val_) equal to the functions applied to the model's predictions after each epoch.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, Dense, Sequential, SGD, Softmax, ValueError, ShapeError, confusionMatrix, datasets, metrics } from '../src/index.js';

describe('metric functions', () => {
  it('regression: mae, mse, rmse, r2 by hand', () => {
    const t = [1, 2, 3, 4],
      p = [1.5, 2, 2, 5];
    expect(metrics.mae(t, p)).toBeCloseTo((0.5 + 0 + 1 + 1) / 4, 15);
    expect(metrics.mse(t, p)).toBeCloseTo((0.25 + 0 + 1 + 1) / 4, 15);
    expect(metrics.rmse(t, p)).toBeCloseTo(Math.sqrt(2.25 / 4), 15);
    // mean 2.5, Σ(t - mean)² = 5, Σ(t - p)² = 2.25.
    expect(metrics.r2(t, p)).toBeCloseTo(1 - 2.25 / 5, 15);
    expect(
      metrics.r2(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [1, 2],
          [3, 4],
        ],
      ),
    ).toBe(1);
    expect(metrics.r2([2, 2], [2, 3])).toBe(0);
    expect(() => metrics.mae([1], [1, 2])).toThrow(ShapeError);
  });

  it('confusion matrix, precision, recall, F1 (binary and macro), top-k', () => {
    const t = [0, 1, 2, 2, 1, 0, 1],
      p = [0, 2, 2, 1, 1, 0, 1];
    expect(confusionMatrix(t, p)).toEqual({
      classes: [0, 1, 2],
      counts: [
        [2, 0, 0],
        [0, 2, 1],
        [0, 1, 1],
      ],
    });
    expect(confusionMatrix(t, p, [2, 0]).counts).toEqual([
      [1, 0],
      [0, 2],
    ]);
    expect(confusionMatrix([0], [0], 3).counts).toEqual([
      [1, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    // Class 1: tp 2, predicted 3, actual 3.
    expect(metrics.precision(t, p)).toBeCloseTo(2 / 3, 15);
    expect(metrics.recall(t, p)).toBeCloseTo(2 / 3, 15);
    // Macro: class 0 P=R=1; class 1 P=R=2/3; class 2 P=R=1/2.
    expect(metrics.precision(t, p, { average: 'macro' })).toBeCloseTo((1 + 2 / 3 + 1 / 2) / 3, 15);
    expect(metrics.f1(t, p, { average: 'macro' })).toBeCloseTo((1 + 2 / 3 + 1 / 2) / 3, 15);
    const bt = [1, 1, 0, 0, 1],
      bp = [1, 0, 1, 0, 1];
    // tp 2, fp 1, fn 1: P = R = 2/3, F1 = 2/3.
    expect(metrics.f1(bt, bp)).toBeCloseTo(2 / 3, 15);
    expect(metrics.precision([0, 0], [0, 0])).toBe(0);
    const scores = [
      [0.1, 0.5, 0.4],
      [0.3, 0.3, 0.4],
      [0.9, 0.05, 0.05],
    ];
    // Row 1's true class ties with class 0, which ranks first (lower index): it needs k = 3.
    expect(metrics.topKAccuracy([2, 1, 0], scores, 1)).toBeCloseTo(1 / 3, 15);
    expect(metrics.topKAccuracy([2, 1, 0], scores, 2)).toBeCloseTo(2 / 3, 15);
    expect(metrics.topKAccuracy([2, 1, 0], scores, 3)).toBe(1);
    expect(() => metrics.precision([0.5], [1])).toThrow(ValueError);
  });
});

describe('fit metrics', () => {
  it('are compiled by name, computed per epoch from predictions, with val_', async () => {
    const { x, y } = datasets.blobs({
      n: 90,
      centers: [
        [0, 0],
        [2, 2],
        [0, 2],
      ],
      seed: 2,
    });
    const m = new Sequential([new Dense(2, 3), new Softmax()], { seed: 4 }).compile({
      loss: 'categorical_ce',
      optimizer: new SGD({ lr: 0.2 }),
      metrics: ['accuracy', 'f1_macro', 'top2_accuracy', 'mae', 'r2'],
    });
    const seen: number[][] = [];
    const h = await m.fit(x, y, {
      epochs: 3,
      validationSplit: 0.2,
      shuffle: false,
      onEpochEnd: () => {
        seen.push(m.predictClasses(x.slice(0, 72)));
      },
    });
    expect(Object.keys(h.history)).toEqual([
      'loss',
      'accuracy',
      'f1_macro',
      'top2_accuracy',
      'mae',
      'r2',
      'val_loss',
      'val_accuracy',
      'val_f1_macro',
      'val_top2_accuracy',
      'val_mae',
      'val_r2',
      'lr',
    ]);
    const labels = (y as number[]).slice(0, 72);
    seen.forEach((pred, e) => expect(h.history.f1_macro[e]).toBeCloseTo(metrics.f1(labels, pred, { average: 'macro', classes: 3 }), 12));
    const probs = m.predict(x.slice(72));
    const onehot = (y as number[]).slice(72).map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
    expect(h.history.val_mae[2]).toBeCloseTo(metrics.mae(onehot, probs), 12);
    expect(h.history.val_r2[2]).toBeCloseTo(metrics.r2(onehot, probs), 12);
    expect(h.history.top2_accuracy.every((v) => v >= h.history.accuracy[0] - 1)).toBe(true);
  });

  it('unknown metrics and binary metrics on several classes are refused', async () => {
    const m = new Sequential([new Dense(2, 3), new Softmax()], { seed: 4 });
    // @ts-expect-error an unknown metric name, refused at run time
    expect(() => m.compile({ loss: 'categorical_ce', metrics: ['auc'] })).toThrow(ConfigError);
    m.compile({ loss: 'categorical_ce', metrics: ['precision'] });
    await expect(m.fit([[0, 1]], [2])).rejects.toThrow(/precision_macro/);
  });
});
