/**
 * Dataset fixtures: JSON files `{ name, kind: 'dataset', description, x, y }` (format in
 * ../shared/fixtures/README.md) holding the tutorials' exact numpy / scikit-learn points.
 */
import { ShapeError, ValueError, describe } from '../errors.js';
import type { Dataset } from './options.js';
import { checkLabels, checkRows } from './options.js';

/** A dataset read from a fixture: x rows, y class indices, plus the fixture's name and description. */
export interface FixtureDataset extends Dataset {
  name: string;
  description: string;
}

/**
 * Validates a dataset fixture — a parsed object or its JSON text — and returns fresh copies of
 * its rows and labels. Checks: `kind` is 'dataset'; `x` is a non-empty array of equal-width rows
 * of finite numbers; `y` has one integer class index >= 0 per row. Throws ValueError (bad JSON,
 * wrong kind, bad values) or ShapeError (ragged rows, counts that differ). Mutates nothing.
 */
export function fromFixture(json: object | string): FixtureDataset {
  let fixture: unknown = json;
  if (typeof json === 'string') {
    try {
      fixture = JSON.parse(json);
    } catch (error) {
      throw new ValueError(`fromFixture: not valid JSON (${(error as Error).message})`);
    }
  }
  if (typeof fixture !== 'object' || fixture === null || Array.isArray(fixture)) {
    throw new ValueError(`fromFixture: a fixture must be a JSON object, got ${describe(fixture)}`);
  }
  const f = fixture as Record<string, unknown>;
  if (f.kind !== 'dataset') {
    throw new ValueError(
      `fromFixture: kind must be "dataset", got ${describe(f.kind)}` + (f.kind === undefined ? ' (a training fixture? those are read by checkFixture)' : ''),
    );
  }
  checkRows('fromFixture', 'x', f.x);
  const x = (f.x as number[][]).map((row) => row.slice());
  if (!Array.isArray(f.y)) throw new ValueError(`fromFixture: y must be an array of class indices, got ${describe(f.y)}`);
  if (f.y.length !== x.length) throw new ShapeError(`fromFixture: x has ${x.length} rows but y has ${f.y.length} labels`);
  checkLabels('fromFixture', 'y', f.y);
  const name = typeof f.name === 'string' ? f.name : '';
  const description = typeof f.description === 'string' ? f.description : '';
  return { x, y: (f.y as number[]).slice(), name, description };
}

/**
 * Node only: reads a dataset fixture file and returns `fromFixture` of its text. `node:fs` is
 * imported on first call, so browser bundles that never call this do not need it. Throws
 * ValueError naming the path when the file cannot be read or is not a valid dataset fixture.
 */
export async function loadDataset(path: string): Promise<FixtureDataset> {
  if (typeof path !== 'string' || path === '') throw new ValueError(`loadDataset: path must be a non-empty string, got ${describe(path)}`);
  const { readFile } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ValueError(`loadDataset: cannot read ${JSON.stringify(path)}: ${(error as Error).message}`);
  }
  try {
    return fromFixture(text);
  } catch (error) {
    if (error instanceof ValueError || error instanceof ShapeError) {
      error.message = error.message.replace(/^fromFixture:/, `loadDataset(${JSON.stringify(path)}):`);
    }
    throw error;
  }
}
