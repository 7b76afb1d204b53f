/**
 * The formatter and the linter (Biome, biome.json): `biome ci .` exits 0 only when every file
 * it covers is formatted and no lint rule fires, the same check `npm run lint` runs.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

describe('format and lint', () => {
  it('biome ci . finds nothing to reformat and no lint finding', () => {
    const r = spawnSync(process.execPath, [join(root, 'node_modules/@biomejs/biome/bin/biome'), 'ci', '.', '--colors=off'], { cwd: root, encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  }, 60_000);
});
