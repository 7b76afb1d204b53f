// Dataset fixtures: the shared numpy / scikit-learn points read through fromFixture and loadDataset.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasets, ShapeError, ValueError } from '../src/index.js';

const fixtures = new URL('../../shared/fixtures/', import.meta.url).pathname;

describe('fromFixture and loadDataset', () => {
  it.each([
    ['data_flower400_seed1.json', 400],
    ['data_moons1000_rs666.json', 1000],
    ['data_moons200_seed0.json', 200],
  ])('%s gives %i rows of 2 features and 0/1 labels', async (file, rows) => {
    const text = readFileSync(join(fixtures, file), 'utf8');
    const parsed = JSON.parse(text);
    const fromText = datasets.fromFixture(text);
    const fromObject = datasets.fromFixture(parsed);
    const loaded = await datasets.loadDataset(join(fixtures, file));
    for (const d of [fromText, fromObject, loaded]) {
      expect(d.x).toHaveLength(rows);
      expect(d.y).toHaveLength(rows);
      expect(d.x).toEqual(parsed.x);
      expect(d.y).toEqual(parsed.y);
      expect(new Set(d.y)).toEqual(new Set([0, 1]));
      expect(d.name).toBe(file.replace('.json', ''));
    }
    // The result is a copy: changing it leaves the parsed object alone.
    fromObject.x[0][0] = 1234;
    expect(parsed.x[0][0]).not.toBe(1234);
  });

  const good = {
    name: 't',
    kind: 'dataset',
    description: '',
    x: [
      [0, 1],
      [2, 3],
    ],
    y: [0, 1],
  };
  it.each([
    ['not JSON', '{x:', ValueError, /fromFixture: not valid JSON/],
    ['an array', [], ValueError, /fromFixture: a fixture must be a JSON object, got an array/],
    ['a training fixture', { x: [[0]], y: [[0]] }, ValueError, /kind must be "dataset", got undefined \(a training fixture\?/],
    ['another kind', { ...good, kind: 'forward_only' }, ValueError, /kind must be "dataset", got "forward_only"/],
    ['ragged rows', { ...good, x: [[0, 1], [2]] }, ShapeError, /fromFixture: x\[1\] has 1 values but x\[0\] has 2/],
    [
      'a NaN',
      {
        ...good,
        x: [
          [0, 1],
          [2, null],
        ],
      },
      ValueError,
      /fromFixture: x\[1\]\[1\] must be a finite number, got null/,
    ],
    ['too few labels', { ...good, y: [0] }, ShapeError, /x has 2 rows but y has 1 labels/],
    ['a fractional label', { ...good, y: [0, 0.5] }, ValueError, /y\[1\] must be an integer class index >= 0, got 0.5/],
    ['no rows', { ...good, x: [], y: [] }, ValueError, /x must have at least one row/],
  ])('refuses %s with a clear error', (_what, input, Kind, message) => {
    const call = () => datasets.fromFixture(input as object);
    expect(call).toThrow(Kind);
    expect(call).toThrow(message);
  });

  it('loadDataset names the path when the file is missing or invalid', async () => {
    await expect(datasets.loadDataset('/nonexistent/data.json')).rejects.toThrow(/loadDataset: cannot read "\/nonexistent\/data.json"/);
    const dir = mkdtempSync(join(tmpdir(), 'wasmlp-ds-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ kind: 'dataset', x: [[1]], y: [-1] }));
    await expect(datasets.loadDataset(file)).rejects.toThrow(ValueError);
    await expect(datasets.loadDataset(file)).rejects.toThrow(`loadDataset(${JSON.stringify(file)}): y[0] must be an integer class index >= 0, got -1`);
  });
});
