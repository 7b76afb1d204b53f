/**
 * Every CLI command with bad arguments and hostile files: exit code 2 (bad usage or an unreadable
 * or refused file) with the error class and the offending value on stderr, never a stack trace
 * (exit 1 with a stack would mean an unexpected error). Runs the built CLI (bin/wasmlp.js -> dist/).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense, ReLU, Sequential } from '../src/index.js';
import { wasmlp } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wasmlp-hardening-cli-'));
const file = (name: string, content: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
let model = '';

beforeAll(() => {
  const m = new Sequential([new Dense(2, 3), new ReLU(), new Dense(3, 1)], { seed: 1 });
  m.compile({ loss: 'mse' });
  model = file('model.json', JSON.stringify(m.toJSON()));
  m.dispose();
});

/** [name, args (files made lazily), what stderr must say]. */
const cases: [string, () => string[], RegExp][] = [
  ['train: unknown dataset', () => ['train', '--data', 'nope', '--epochs', '1', '--quiet'], /unknown --data 'nope'/],
  [
    'train: ragged CSV',
    () => ['train', '--data', `csv:${file('ragged.csv', '1,2,0\n3,1\n')}`, '--epochs', '1', '--quiet'],
    /ShapeError: CSV line 2 has 2 cells/,
  ],
  [
    'train: NaN in CSV',
    () => ['train', '--data', `csv:${file('nan.csv', '1,2,0\n3,NaN,1\n')}`, '--epochs', '1', '--quiet'],
    /ValueError: CSV line 2, column 2: "NaN" is not a number/,
  ],
  ['train: missing CSV', () => ['train', '--data', `csv:${join(dir, 'none.csv')}`, '--quiet'], /cannot read/],
  ['train: epochs -1', () => ['train', '--data', 'xor', '--epochs', '-1', '--quiet'], /epochs/],
  ['train: absurd layers', () => ['train', '--data', 'xor', '--layers', '2,1000000,1000000,1', '--quiet'], /ShapeError: .*more than the limit/],
  ['train: n 1e10', () => ['train', '--data', 'moons', '--n', '10000000000', '--quiet'], /--n must be an integer >= 2/],
  [
    'predict: corrupt model',
    () => ['predict', '--model', file('bad.wasmlp', Uint8Array.of(0x57, 0x4d, 0x4c, 0x50, 1, 0, 0, 0, 255, 255, 255, 255)), '--input', file('x.csv', '1,2\n')],
    /ValueError: load: truncated or corrupt: header length 4294967295 overflows the file/,
  ],
  [
    'predict: wrong width',
    () => ['predict', '--model', model, '--input', file('wide.csv', '1,2,3,4\n')],
    /ShapeError: x: row 0 has 4 values but the model expects 2/,
  ],
  [
    'predict: deeply nested JSON model',
    () => ['predict', '--model', file('deep.json', '{"a":' + '['.repeat(50000) + ']'.repeat(50000) + '}'), '--input', file('x2.csv', '1,2\n')],
    /ConfigError: fromJSON: format is undefined/,
  ],
  [
    'evaluate: a text cell',
    () => ['evaluate', '--model', model, '--input', file('text.csv', '1,2,0\n1,x,1\n')],
    /ValueError: CSV line 2, column 2: "x" is not a number/,
  ],
  ['evaluate: missing model file', () => ['evaluate', '--model', join(dir, 'none.json'), '--input', file('e.csv', '1,2,0\n')], /cannot read model/],
  [
    'summary: truncated ONNX',
    () => ['summary', '--model', file('cut.onnx', Uint8Array.of(0x08, 0x07, 0x3a, 0x7f))],
    /ValueError: fromONNX: truncated: a field runs past the end of the 4 bytes/,
  ],
  [
    'export: unreadable model',
    () => ['export', '--model', file('junk.json', '{"format": 1}'), '--onnx', join(dir, 'out.onnx')],
    /ConfigError: fromJSON: format is 1/,
  ],
  [
    'import: an ONNX graph with an unknown operator',
    () => ['import', file('not-onnx.onnx', Uint8Array.of(0x3a, 0x02, 0x0a, 0x00)), '--out', join(dir, 'o.json')],
    /fromONNX/,
  ],
  ['check-fixture: a non-fixture file', () => ['check-fixture', model], /fixture/i],
  ['example: unknown id', () => ['example', '999'], /999/],
];

/** The number of bad-input cases in this file. */
export const CASES = cases.length;

describe('CLI refusals', () => {
  it.each(cases)('%s', async (_, args, message) => {
    const r = await wasmlp(...args());
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.code).toBe(2);
  });
});
