// The seeded toy generators: determinism by seed, counts, classes, ranges, and each one's geometry.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { datasets, ConfigError, ShapeError, ValueError } from '../src/index.js';

const { xor, linear, moons, flower, circles, spirals, blobs } = datasets;

function counts(y: number[]): number[] {
  const c: number[] = [];
  for (const v of y) c[v] = (c[v] ?? 0) + 1;
  return c;
}

const norm = (p: number[]) => Math.hypot(p[0], p[1]);

describe('every generator', () => {
  const cases: [string, (seed: number) => { x: number[][]; y: number[] }, number, number][] = [
    ['xor', (seed) => xor({ n: 40, seed }), 40, 2],
    ['linear', (seed) => linear({ n: 50, seed }), 50, 2],
    ['moons', (seed) => moons({ n: 60, noise: 0.1, seed }), 60, 2],
    ['flower', (seed) => flower({ m: 80, seed }), 80, 2],
    ['circles', (seed) => circles({ n: 70, noise: 0.05, seed }), 70, 2],
    ['spirals', (seed) => spirals({ n: 90, k: 3, noise: 0.02, seed }), 90, 3],
    ['blobs', (seed) => blobs({ n: 100, k: 4, seed }), 100, 4],
  ];
  it.each(cases)('%s is deterministic by seed, with the right counts and classes', (_name, make, n, k) => {
    const a = make(5);
    expect(make(5)).toEqual(a);
    expect(make(6).x).not.toEqual(a.x);
    expect(a.x).toHaveLength(n);
    expect(a.y).toHaveLength(n);
    for (const row of a.x) {
      expect(row).toHaveLength(2);
      for (const v of row) expect(Number.isFinite(v)).toBe(true);
    }
    const c = counts(a.y);
    expect(c).toHaveLength(k);
    for (const count of c) expect(Math.abs(count - n / k)).toBeLessThanOrEqual(1);
  });

  it.each([
    ['xor', () => xor({ n: 3 }), ValueError, /xor: n must be an integer in \[4, 1000000\], got 3/],
    ['xor', () => xor({ noise: -1 }), ValueError, /xor: noise must be a finite number >= 0, got -1/],
    ['linear', () => linear({ n: 1.5 }), ValueError, /linear: n must be an integer in \[2, 1000000\], got 1.5/],
    ['linear', () => linear({ margin: 0.5 }), ValueError, /linear: margin .* <= 0.3, got 0.5/],
    ['flower', () => flower({ m: 401 }), ValueError, /flower: m must be even/],
    ['flower', () => flower({ a: NaN }), ValueError, /flower: a must be a finite number/],
    ['circles', () => circles({ factor: 1 }), ValueError, /circles: factor must be in \[0, 1\), got 1/],
    ['spirals', () => spirals({ k: 1 }), ValueError, /spirals: k must be an integer in \[2, 1000\], got 1/],
    ['spirals', () => spirals({ n: 2, k: 3 }), ValueError, /spirals: n must be an integer in \[3, 1000000\], got 2/],
    ['blobs', () => blobs({ centers: [[0, 0], [1]] }), ShapeError, /blobs: centers\[1\] has 1 values but centers\[0\] has 2/],
    ['blobs', () => blobs({ k: 3, centers: [[0, 0]] }), ShapeError, /blobs: k is 3 but 1 centers were given/],
    ['blobs', () => blobs({ std: -0.1 }), ValueError, /blobs: std must be/],
    ['moons', () => moons({ seed: 1.5 }), ValueError, /moons: seed must be a safe integer, got 1.5/],
    ['circles', () => circles({ n: 10, nosie: 0.1 } as never), ConfigError, /circles: unknown option "nosie"; valid options: n, noise, factor, seed/],
  ])('%s rejects bad options with a named error', (_name, call, Kind, message) => {
    expect(call).toThrow(Kind);
    expect(call).toThrow(message);
  });
});

describe('xor', () => {
  it('gives the four corners with labels 0,1,1,0 by default', () => {
    expect(xor()).toEqual({
      x: [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      y: [0, 1, 1, 0],
    });
  });
  it('jitters the corners for n > 4, each point near its labelled corner', () => {
    const { x, y } = xor({ n: 400, seed: 1 });
    let spread = 0;
    x.forEach((p, i) => {
      const corner = datasets.XOR_CORNERS[i % 4];
      expect(y[i]).toBe(corner[0] ^ corner[1]);
      const d = Math.hypot(p[0] - corner[0], p[1] - corner[1]);
      expect(d).toBeLessThan(0.6);
      spread += d;
    });
    expect(spread / x.length).toBeGreaterThan(0.05); // default noise 0.1 for n > 4
    expect(xor({ n: 8, noise: 0 }).x).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
  });
});

describe('linear (seed 002)', () => {
  it("labels points by the side of x0 + x1 = 1 with a margin, as the seed's four points", () => {
    const seedPoints = datasets.SEED002_PERCEPTRON;
    expect(seedPoints.x.map((p) => datasets.linearLabel(p))).toEqual(seedPoints.y);
    const { x, y } = linear({ n: 300, margin: 0.1, seed: 2 });
    x.forEach((p, i) => {
      expect(y[i]).toBe(i % 2 === 0 ? 1 : 0);
      expect(datasets.linearLabel(p)).toBe(y[i]);
      expect(Math.abs(p[0] + p[1] - 1) / Math.SQRT2).toBeGreaterThanOrEqual(0.1);
      for (const v of p) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(1.2);
      }
    });
  });
});

describe('moons', () => {
  it('without noise puts label 0 on the unit upper half circle and label 1 on the shifted lower one', () => {
    const { x, y } = moons({ n: 20 });
    x.forEach((p, i) => {
      if (y[i] === 0) {
        expect(norm(p)).toBeCloseTo(1, 12);
        expect(p[1]).toBeGreaterThanOrEqual(-1e-12);
      } else {
        expect(Math.hypot(p[0] - 1, p[1] - 0.5)).toBeCloseTo(1, 12);
        expect(p[1]).toBeLessThanOrEqual(0.5 + 1e-12);
      }
    });
  });
});

describe('flower (seed 000)', () => {
  // Each point is r·(sin t, cos t) with r = a·sin(4t) + e, e ~ N(0, 0.2²). Its polar angle θ
  // (from atan2(x0, x1)) is t or t + π, and |sin 4θ| = |sin 4t|, so ‖x‖ − a·|sin 4θ| has absolute
  // value at most |e|: the residual measures the radius noise alone.
  function residuals(x: number[][], a: number): number[] {
    return x.map((p) => Math.abs(norm(p) - a * Math.abs(Math.sin(4 * Math.atan2(p[0], p[1])))));
  }
  const mean = (v: number[]) => v.reduce((s, e) => s + e, 0) / v.length;

  it('has m/2 points per class, rows grouped by class, within the petal radius', () => {
    const { x, y } = flower();
    expect(x).toHaveLength(400);
    expect(y).toEqual([...new Array(200).fill(0), ...new Array(200).fill(1)]);
    for (const p of x) expect(norm(p)).toBeLessThan(4 + 1.2);
  });

  it("follows r = a·sin(4t) + N(0, 0.2²) as closely as numpy's own points (the seed 1 fixture)", () => {
    const fixture = datasets.fromFixture(readFileSync(new URL('../../shared/fixtures/data_flower400_seed1.json', import.meta.url), 'utf8'));
    const theirs = residuals(fixture.x, 4);
    for (const seed of [0, 1, 2]) {
      const ours = residuals(flower({ seed }).x, 4);
      // E|e| = 0.2·√(2/π) ≈ 0.16 bounds the mean residual; 1.0 is 5 standard deviations.
      expect(mean(ours)).toBeLessThan(0.2);
      expect(Math.abs(mean(ours) - mean(theirs))).toBeLessThan(0.03);
      expect(Math.max(...ours)).toBeLessThan(1);
    }
    expect(mean(theirs)).toBeLessThan(0.2);
    // The petal length is used: the same points measured against a = 2 fit far worse.
    expect(mean(residuals(flower({ seed: 0 }).x, 2))).toBeGreaterThan(0.5);
    const small = flower({ a: 2, seed: 0 }).x;
    expect(mean(residuals(small, 2))).toBeLessThan(0.2);
  });

  it('separates the classes as numpy does: class 0 (t in [0, 3.12]) leans to +x1, class 1 to -x1', () => {
    const fixture = datasets.fromFixture(readFileSync(new URL('../../shared/fixtures/data_flower400_seed1.json', import.meta.url), 'utf8'));
    const big = flower({ m: 40000, seed: 3 });
    const classMean = (d: { x: number[][]; y: number[] }, j: number, k: number) => mean(d.x.filter((_, i) => d.y[i] === j).map((p) => p[k]));
    expect(classMean(big, 0, 1)).toBeGreaterThan(0.3);
    expect(classMean(big, 1, 1)).toBeLessThan(-0.3);
    // numpy's 200 points per class lie within ~3 standard errors (x's spread is ~2) of our population means.
    for (const j of [0, 1])
      for (const k of [0, 1]) {
        expect(Math.abs(classMean(fixture, j, k) - classMean(big, j, k))).toBeLessThan(0.45);
      }
  });
});

describe('circles', () => {
  it('without noise puts label 0 on the unit circle and label 1 on the circle of radius factor', () => {
    const { x, y } = circles({ n: 31, factor: 0.3 });
    expect(counts(y)).toEqual([15, 16]);
    x.forEach((p, i) => expect(norm(p)).toBeCloseTo(y[i] === 0 ? 1 : 0.3, 12));
  });
  it('with noise keeps the mean radius of each ring', () => {
    const { x, y } = circles({ n: 2000, noise: 0.05, seed: 9 });
    const r0 = x.filter((_, i) => y[i] === 0).map(norm);
    const r1 = x.filter((_, i) => y[i] === 1).map(norm);
    expect(r0.reduce((s, r) => s + r, 0) / r0.length).toBeCloseTo(1, 1);
    expect(r1.reduce((s, r) => s + r, 0) / r1.length).toBeCloseTo(0.5, 1);
  });
});

describe('spirals', () => {
  it("without noise places arm c's points at radius s and angle 2πc/k + 2π·turns·s", () => {
    const k = 3;
    const { x, y } = spirals({ n: 31, k, turns: 1.5 });
    expect(counts(y)).toEqual([11, 10, 10]);
    let start = 0;
    for (let c = 0; c < k; c++) {
      const count = counts(y)[c];
      for (let i = 0; i < count; i++) {
        const p = x[start + i];
        const s = (i + 1) / count;
        expect(y[start + i]).toBe(c);
        expect(norm(p)).toBeCloseTo(s, 12);
        const angle = (2 * Math.PI * c) / k + 2 * Math.PI * 1.5 * s;
        expect(p[0]).toBeCloseTo(s * Math.cos(angle), 12);
        expect(p[1]).toBeCloseTo(s * Math.sin(angle), 12);
      }
      start += count;
    }
  });
});

describe('blobs', () => {
  it('draws each class around its centre with the given std', () => {
    const centers = [
      [0, 0],
      [5, 5],
      [-5, 5],
    ];
    const { x, y, centers: used } = blobs({ n: 3000, centers, std: 0.5, seed: 4 });
    expect(used).toEqual(centers);
    expect(counts(y)).toEqual([1000, 1000, 1000]);
    for (let c = 0; c < 3; c++) {
      const rows = x.filter((_, i) => y[i] === c);
      for (let d = 0; d < 2; d++) {
        const m = rows.reduce((s, p) => s + p[d], 0) / rows.length;
        const sd = Math.sqrt(rows.reduce((s, p) => s + (p[d] - m) ** 2, 0) / rows.length);
        expect(Math.abs(m - centers[c][d])).toBeLessThan(0.06); // 4 standard errors
        expect(Math.abs(sd - 0.5)).toBeLessThan(0.05);
      }
    }
  });
  it('draws k centres in the box when none are given, in any number of dimensions', () => {
    const { x, centers } = blobs({ n: 20, k: 5, dims: 3, box: [-2, 2], seed: 1 });
    expect(centers).toHaveLength(5);
    for (const c of centers) {
      expect(c).toHaveLength(3);
      for (const v of c) {
        expect(v).toBeGreaterThanOrEqual(-2);
        expect(v).toBeLessThan(2);
      }
    }
    for (const p of x) expect(p).toHaveLength(3);
  });
});
