/**
 * Bad options to the dataset generators and utilities: absurd sizes refused before allocating
 * (n 1e10, k × dims 1e10), wrong types (strings, BigInt, null), out-of-range values, unknown keys.
 * Each throws its named error naming the function and the field.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, ValueError, datasets, type WasmlpError } from '../src/index.js';
import { refusal } from './helpers/hardening.js';

const never = <T = never>(v: unknown) => v as T;
const cases: [string, () => unknown, new (...a: never[]) => WasmlpError, RegExp][] = [
  ['moons n 1e12', () => datasets.moons({ n: 1e12 }), ValueError, /moons: n must be an integer in \[2, 1000000\], got 1000000000000/],
  ['xor n 1e10', () => datasets.xor({ n: 1e10 }), ValueError, /xor: n must be an integer in \[4, 1000000\]/],
  ['circles n 1e10', () => datasets.circles({ n: 1e10 }), ValueError, /circles: n must be/],
  ['spirals n 1e10', () => datasets.spirals({ n: 1e10 }), ValueError, /spirals: n must be/],
  ['linear n 1e10', () => datasets.linear({ n: 1e10 }), ValueError, /linear: n must be/],
  ['flower m 1e10', () => datasets.flower({ m: 1e10 }), ValueError, /flower: m must be/],
  ['blobs k x dims 1e10', () => datasets.blobs({ k: 100000, dims: 100000 }), ValueError, /blobs: k × dims = 100000 × 100000 .* more than the limit/],
  ['blobs n x dims over 10^7', () => datasets.blobs({ n: 1000000, dims: 100, k: 2 }), ValueError, /blobs: n × dims = 1000000 × 100 values/],
  ['moons n as a string', () => datasets.moons({ n: never('10') }), ValueError, /got "10"/],
  ['xor n as a BigInt', () => datasets.xor({ n: never(4n) }), ValueError, /got 4n \(a BigInt\)/],
  ['moons noise NaN', () => datasets.moons({ noise: NaN }), ValueError, /noise must be a finite number >= 0, got NaN/],
  ['moons options null', () => datasets.moons(never(null)), ConfigError, /options must be an object, got null/],
  ['circles unknown option', () => datasets.circles(never({ radius: 2 })), ConfigError, /unknown option "radius"/],
  ['spirals k 0', () => datasets.spirals({ k: 0 }), ValueError, /k must be an integer in \[2, 1000\], got 0/],
  ['seed 1.5', () => datasets.moons({ seed: 1.5 }), ValueError, /seed must be a safe integer, got 1.5/],
  ['oneHot label out of range', () => datasets.oneHot([0, 5], 2), ValueError, /5/],
  ['oneHot classes 1e10', () => datasets.oneHot([0], 1e10), ValueError, /classes must be an integer in \[1, 16777216\]/],
  ['trainTestSplit of 1 row', () => datasets.trainTestSplit([[1]], [0], { testSize: 5 }), ValueError, /trainTestSplit: need at least 2 rows/],
  ['trainTestSplit x and y of different lengths', () => datasets.trainTestSplit([[1], [2], [3]], [0, 1]), ShapeError, /trainTestSplit/],
  ['fromFixture not JSON', () => datasets.fromFixture('{'), ValueError, /fromFixture/],
  ['fromFixture nested 100,000 deep', () => datasets.fromFixture('['.repeat(100000) + ']'.repeat(100000)), ValueError, /fromFixture/],
  ['standardScaler on no rows', () => datasets.standardScaler().fit([]), ValueError, /at least one row/],
  ['scalerFromJSON of junk', () => datasets.scalerFromJSON(never({})), ValueError, /scaler/i],
];

/** The number of bad-input cases in this file. */
export const CASES = cases.length;

describe('dataset refusals', () => {
  it.each(cases)('%s', async (_, call, error, message) => {
    const e = await refusal(call);
    expect(e).toBeInstanceOf(error);
    expect(e.message).toMatch(message);
  });
});
