// Preprocessing: oneHot, trainTestSplit (plain and stratified), scalers, the batch iterator.
import { describe, expect, it } from 'vitest';
import { datasets, ConfigError, Random, ShapeError, StateError, ValueError } from '../src/index.js';

const { oneHot, trainTestSplit, standardScaler, minMaxScaler, scalerFromJSON, batches } = datasets;

function classCounts(y: readonly number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const v of y) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

describe('oneHot', () => {
  it('turns labels into one-hot rows, with the class count inferred or given', () => {
    expect(oneHot([0, 2, 1])).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ]);
    expect(oneHot(new Uint8Array([1, 0]), 4)).toEqual([
      [0, 1, 0, 0],
      [1, 0, 0, 0],
    ]);
    expect(oneHot([])).toEqual([]);
  });
  it('refuses bad labels', () => {
    expect(() => oneHot([0, 3], 3)).toThrow(ValueError);
    expect(() => oneHot([0, 3], 3)).toThrow('oneHot: labels[1] is 3 but classes is 3 (labels must be < classes)');
    expect(() => oneHot([0, -1])).toThrow('oneHot: labels[1] must be an integer class index >= 0, got -1');
    expect(() => oneHot([0, 1.5])).toThrow(ValueError);
    expect(() => oneHot([0], 0)).toThrow(/oneHot: classes must be an integer in \[1, 16777216\], got 0/);
  });
});

describe('trainTestSplit', () => {
  const n = 200;
  const x = Array.from({ length: n }, (_, i) => [i, -i]);
  const y = Array.from({ length: n }, (_, i) => (i < 150 ? 0 : i < 190 ? 1 : 2)); // 75% / 20% / 5%

  it('is seeded, keeps every row exactly once, and pairs each row with its own label', () => {
    const a = trainTestSplit(x, y, { seed: 3 });
    expect(trainTestSplit(x, y, { seed: 3 })).toEqual(a);
    expect(trainTestSplit(x, y, { seed: 4 }).xTest).not.toEqual(a.xTest);
    expect(a.xTest).toHaveLength(50);
    expect(a.xTrain).toHaveLength(150);
    const ids = [...a.xTrain, ...a.xTest].map((r) => r[0]).sort((p, q) => p - q);
    expect(ids).toEqual(x.map((r) => r[0]));
    a.xTrain.forEach((r, i) => expect(a.yTrain[i]).toBe(y[r[0]]));
    a.xTest.forEach((r, i) => expect(a.yTest[i]).toBe(y[r[0]]));
    // Rows are copies.
    a.xTrain[0][0] = -999;
    expect(x.some((r) => r[0] === -999)).toBe(false);
  });

  it('takes a fraction rounded up, or a row count', () => {
    expect(trainTestSplit(x.slice(0, 10), y.slice(0, 10), { testSize: 0.25 }).xTest).toHaveLength(3);
    expect(trainTestSplit(x, y, { testSize: 7 }).xTest).toHaveLength(7);
  });

  it("with stratify keeps each class's proportion in both parts", () => {
    for (const seed of [0, 1, 2]) {
      const s = trainTestSplit(x, y, { testSize: 0.2, seed, stratify: true });
      expect(s.yTest).toHaveLength(40);
      expect(classCounts(s.yTest)).toEqual(
        new Map([
          [0, 30],
          [1, 8],
          [2, 2],
        ]),
      );
      expect(classCounts(s.yTrain)).toEqual(
        new Map([
          [0, 120],
          [1, 32],
          [2, 8],
        ]),
      );
    }
    // Without stratify a small class drifts: some seed gives a test part without exactly 2 of class 2.
    const drift = [0, 1, 2, 3, 4, 5, 6, 7].some((seed) => classCounts(trainTestSplit(x, y, { testSize: 0.2, seed }).yTest).get(2) !== 2);
    expect(drift).toBe(true);
  });

  it('stratifies one-hot rows by their argmax', () => {
    const s = trainTestSplit(x, oneHot(y), { testSize: 0.2, stratify: true, seed: 5 });
    expect(classCounts(s.yTest.map((r) => r.indexOf(1)))).toEqual(
      new Map([
        [0, 30],
        [1, 8],
        [2, 2],
      ]),
    );
  });

  it('refuses mismatched lengths and sizes that leave a part empty', () => {
    expect(() => trainTestSplit(x, y.slice(1))).toThrow(ShapeError);
    expect(() => trainTestSplit(x, y.slice(1))).toThrow('trainTestSplit: x has 200 rows but y has 199 labels');
    expect(() => trainTestSplit(x, y, { testSize: 200 })).toThrow(/leaves 200 of 200 rows for testing/);
    expect(() => trainTestSplit(x, y, { testSize: 0 })).toThrow('trainTestSplit: testSize must be a fraction in (0, 1) or a row count >= 1, got 0');
    expect(() => trainTestSplit(x, y, { testSize: 2.5 })).toThrow(/testSize \(a row count\) must be an integer/);
    expect(() => trainTestSplit(x, y, { shuffle: true } as never)).toThrow(ConfigError);
  });
});

describe('scalers', () => {
  const train = [
    [1, 10, 5],
    [2, 20, 5],
    [3, 60, 5],
    [6, 30, 5],
  ];
  const test = [
    [0, 0, 5],
    [10, 100, 7],
  ];
  const column = (rows: number[][], c: number) => rows.map((r) => r[c]);
  const mean = (v: number[]) => v.reduce((s, e) => s + e, 0) / v.length;
  const std = (v: number[]) => Math.sqrt(mean(v.map((e) => (e - mean(v)) ** 2)));

  it("standardScaler: mean 0 and std 1 on train, a zero-variance column becomes 0, test uses train's parameters", () => {
    const scaler = standardScaler();
    expect(scaler.fitted).toBe(false);
    const t = scaler.fitTransform(train);
    for (const c of [0, 1]) {
      expect(mean(column(t, c))).toBeCloseTo(0, 12);
      expect(std(column(t, c))).toBeCloseTo(1, 12);
    }
    expect(column(t, 2)).toEqual([0, 0, 0, 0]);
    const m0 = mean(column(train, 0));
    const s0 = std(column(train, 0));
    const tt = scaler.transform(test);
    expect(tt[1][0]).toBeCloseTo((10 - m0) / s0, 12);
    expect(tt[1][2]).toBe(2); // constant column: centred only
    expect(scaler.inverseTransform(tt)[1][1]).toBeCloseTo(100, 10);
    expect(train[0]).toEqual([1, 10, 5]); // input untouched
  });

  it("minMaxScaler: train maps onto [0, 1] (or the range given), test with train's min and max, unclipped", () => {
    const scaler = minMaxScaler();
    const t = scaler.fitTransform(train);
    expect(column(t, 0)).toEqual([0, 0.2, 0.4, 1]);
    expect(column(t, 1)).toEqual([0, 0.2, 1, 0.4]);
    expect(column(t, 2)).toEqual([0, 0, 0, 0]);
    expect(scaler.transform(test)).toEqual([
      [-0.2, -0.2, 0],
      [1.8, 1.8, 2],
    ]);
    const wide = minMaxScaler({ range: [-1, 1] }).fitTransform(train);
    expect(column(wide, 0)).toEqual([-1, -0.6, -0.19999999999999996, 1]);
  });

  it('serialise with toJSON and come back identical through scalerFromJSON', () => {
    for (const make of [standardScaler, minMaxScaler]) {
      const scaler = make().fit(train);
      const json = JSON.stringify(scaler);
      const back = scalerFromJSON(json);
      expect(back.fitted).toBe(true);
      expect(back.transform(test)).toEqual(scaler.transform(test));
      expect(back.toJSON()).toEqual(scaler.toJSON());
    }
    expect(standardScaler().fit(train).toJSON()).toMatchObject({ type: 'standard', scale: [expect.any(Number), expect.any(Number), 1] });
    expect(() => scalerFromJSON({ type: 'robust' } as never)).toThrow(/scalerFromJSON: type must be "standard" or "minmax", got "robust"/);
  });

  it('refuse use before fit, another width, and bad values', () => {
    expect(() => standardScaler().transform(train)).toThrow(StateError);
    expect(() => minMaxScaler().toJSON()).toThrow(/minMaxScaler.toJSON: call fit\(x\) first/);
    const scaler = standardScaler().fit(train);
    expect(() => scaler.transform([[1, 2]])).toThrow(ShapeError);
    expect(() => scaler.transform([[1, 2]])).toThrow('standardScaler.transform: x has 2 columns but the scaler was fitted on 3');
    expect(() => scaler.fit([[1, NaN]])).toThrow('standardScaler.fit: x[0][1] must be a finite number, got NaN');
    expect(() => minMaxScaler({ range: [1, 1] })).toThrow(/range must have lo < hi/);
  });
});

describe('batches', () => {
  const n = 103;
  const x = Array.from({ length: n }, (_, i) => [i, i * 2]);
  const y = Array.from({ length: n }, (_, i) => i % 3);

  it('covers every row exactly once per epoch, in a seeded shuffled order', () => {
    const all = [...batches(x, y, { batchSize: 10, seed: 7 })];
    expect(all.map((b) => b.x.length)).toEqual([...new Array(10).fill(10), 3]);
    const seen = all.flatMap((b) => b.indices);
    expect([...seen].sort((p, q) => p - q)).toEqual(x.map((_, i) => i));
    expect(seen).not.toEqual(x.map((_, i) => i));
    for (const b of all)
      b.indices.forEach((r, k) => {
        expect(b.x[k]).toBe(x[r]);
        expect(b.y[k]).toBe(y[r]);
      });
    expect([...batches(x, y, { batchSize: 10, seed: 7 })].flatMap((b) => b.indices)).toEqual(seen);
  });

  it('a shared Random gives a new order each epoch; shuffle: false keeps the order; dropLast drops the short batch', () => {
    const random = new Random(1);
    const e1 = [...batches(x, y, { batchSize: 16, seed: random })].flatMap((b) => b.indices);
    const e2 = [...batches(x, y, { batchSize: 16, seed: random })].flatMap((b) => b.indices);
    expect(e1).not.toEqual(e2);
    expect([...e2].sort((p, q) => p - q)).toEqual(x.map((_, i) => i));
    expect([...batches(x, y, { batchSize: 50, shuffle: false })].flatMap((b) => b.indices)).toEqual(x.map((_, i) => i));
    expect([...batches(x, y, { batchSize: 50, dropLast: true })].map((b) => b.indices.length)).toEqual([50, 50]);
  });

  it('slices flat { data, shape } samples and typed labels, keeping their array types', () => {
    const data = Float32Array.from({ length: 6 * 4 }, (_, i) => i);
    const labels = new Uint8Array([0, 1, 2, 3, 4, 5]);
    const out = [...batches({ data, shape: [6, 2, 2] }, labels, { batchSize: 4, seed: 2 })];
    expect(out.map((b) => b.x.shape)).toEqual([
      [4, 2, 2],
      [2, 2, 2],
    ]);
    for (const b of out) {
      expect(b.x.data).toBeInstanceOf(Float32Array);
      expect(b.y).toBeInstanceOf(Uint8Array);
      b.indices.forEach((r, k) => {
        expect(Array.from(b.x.data.subarray(k * 4, k * 4 + 4))).toEqual([4 * r, 4 * r + 1, 4 * r + 2, 4 * r + 3]);
        expect(b.y[k]).toBe(r);
      });
    }
  });

  it('checks everything before the first batch', () => {
    expect(() => batches(x, y.slice(1))).toThrow('batches: x has 103 rows but y has 102 labels');
    expect(() => batches(x, y, { batchSize: 0 })).toThrow(/batches: batchSize must be an integer >= 1, got 0/);
    expect(() => batches({ data: new Float32Array(5), shape: [2, 3] }, [0, 1])).toThrow(ShapeError);
    expect(() => batches(x, y, { seed: 'a' as never })).toThrow(/batches: seed must be a safe integer, got "a"/);
  });
});
