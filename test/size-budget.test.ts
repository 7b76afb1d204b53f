// The line budget (as tinygrad enforces one): every source file stays readable in one sitting,
// and the WebAssembly core stays small enough to ship to browsers.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
/** Lines a source file may have (the style guide says ~400). */
const MAX_LINES = 420;
/** Bytes each core build may have. */
const MAX_WASM_BYTES = 64 * 1024;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : sources(path);
    return /\.(ts|js|mjs)$/.test(e.name) ? [path] : [];
  });
}

describe('size budget', () => {
  it(`keeps every source file at or under ${MAX_LINES} lines`, () => {
    const files = ['src', 'assembly', 'web/src', 'bench', 'examples'].flatMap(sources);
    expect(files.length).toBeGreaterThan(50);
    const over = files.map((f) => [f, readFileSync(join(root, f), 'utf8').split('\n').length] as const).filter(([, n]) => n > MAX_LINES);
    expect(over).toEqual([]);
  });

  it(`keeps each WebAssembly build at or under ${MAX_WASM_BYTES / 1024} KiB`, () => {
    const builds = readdirSync(join(root, 'build')).filter((f) => f.endsWith('.wasm') && !f.includes('debug'));
    expect(builds).toContain('wasmlp.wasm');
    for (const f of builds) expect(statSync(join(root, 'build', f)).size, f).toBeLessThanOrEqual(MAX_WASM_BYTES);
  });
});
