// Each seed example runs end to end (shorter schedules where marked) and reaches the seed's result.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const outDir = mkdtempSync(join(tmpdir(), 'wasmlp-examples-'));
const quiet = () => {};
// The examples import 'wasmlp' (this package, built into dist/ by `npm test`).
const load = (name: string) => import(new URL(`../examples/${name}.js`, import.meta.url).href);

describe('seed examples', () => {
  it('000 flower: logistic regression fails (<= 0.70) while 2-4(tanh)-1 separates it (>= 0.88)', async () => {
    const r = await (await load('000-flower')).run({ quick: true, outDir, log: quiet });
    expect(r.logisticAccuracy).toBeLessThanOrEqual(0.7);
    expect(r.logisticLoss).toBeCloseTo(0.6731, 3); // the seed logs 0.6731 at epoch 100
    expect(r.networkAccuracy).toBeGreaterThanOrEqual(0.88);
    for (const f of ['000-logistic-regression.png', '000-two-layer-network.png']) expect(existsSync(join(outDir, f))).toBe(true);
  });

  it('001 moons: [2,4,2] and [2,6,2] with sigmoid, SSE, lr 0.01 learn the moons; softmax probabilities sum to 1', async () => {
    const r = await (await load('001-moons')).run({ quick: true, outDir, log: quiet });
    expect(r['2-6-2'].accuracy).toBeGreaterThanOrEqual(0.85);
    for (const row of r['2-4-2'].probabilities) expect(row[0] + row[1]).toBeCloseTo(1, 12);
    expect(existsSync(join(outDir, '001-predicted-2-6-2.png'))).toBe(true);
  });

  it('002: the perceptron fails on XOR where the MLP gets 100%; the digits MLP reaches >= 0.90 test accuracy', async () => {
    const r = await (await load('002-perceptron-mnist')).run({ quick: true, outDir, log: quiet });
    expect(r.perceptronToyConverged).toBe(true);
    expect(r.perceptronXorConverged).toBe(false);
    expect(r.perceptronXorAccuracy).toBeLessThan(1);
    expect(r.mlpXorAccuracy).toBe(1);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(existsSync(join(outDir, '002-activations.png'))).toBe(true);
  });

  it('003: the fixed-weight forward pass prints [0.31682708, 0.69627909]', async () => {
    const r = await (await load('003-forward')).run({ outDir, log: quiet });
    expect(r.output.map((v: number) => v.toFixed(8))).toEqual(['0.31682708', '0.69627909']);
    expect(existsSync(join(outDir, '003-activations.png'))).toBe(true);
  });

  it('004 moons-deep: the MLPClassifier reaches >= 0.97 train accuracy', async () => {
    const r = await (await load('004-moons-deep')).run({ quick: true, outDir, log: quiet });
    expect(r.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(existsSync(join(outDir, '004-decision-boundary.png'))).toBe(true);
  });
});
