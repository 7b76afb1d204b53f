/**
 * The package's two entries (package.json exports "."): dist/index.js for Node and the default,
 * which loads the core and every optional part on import, and dist/browser.js for bundlers'
 * "browser" condition, which runs nothing on import (no top-level await, so Rolldown can merge
 * a page's chunks). Both must offer exactly the same API.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs `code` (an ES module) in a fresh Node process at the repository root and returns its stdout. */
function node(code: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' }).trim();
}

describe('package entries', () => {
  it('browser.js and index.js export the same names', async () => {
    const names = (entry: string) => JSON.parse(node(`const m = await import('./dist/${entry}'); console.log(JSON.stringify(Object.keys(m).sort()))`));
    const browser = names('browser.js');
    expect(browser.length).toBeGreaterThan(50);
    expect(browser).toEqual(names('index.js'));
  });

  it('index.js loads the core on import in Node; browser.js loads nothing until ready()', () => {
    expect(node(`const m = await import('./dist/index.js'); console.log(m.isReady())`)).toBe('true');
    expect(node(`const m = await import('./dist/browser.js'); const before = m.isReady(); await m.ready(); console.log(before, m.isReady())`)).toBe(
      'false true',
    );
  });

  it('package.json sends bundlers for browsers to browser.js, everything else to index.js', () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8'));
    expect(Object.keys(pkg.exports['.'])).toEqual(['types', 'browser', 'default']);
    expect(pkg.exports['.'].browser).toBe('./dist/browser.js');
    expect(pkg.exports['.'].default).toBe('./dist/index.js');
  });
});
