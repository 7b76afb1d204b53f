// The API reference (`npm run docs`, TypeDoc over the package's entries, typedoc.json) builds
// with no warning: every export documented, no broken link, nothing referenced but not exported.
// typedoc.json has treatWarningsAsErrors, so a warning fails the run.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('..', import.meta.url).pathname);

describe('API reference', () => {
  it('builds from the doc comments without a warning', () => {
    const out = mkdtempSync(join(tmpdir(), 'wasmlp-docs-'));
    try {
      const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typedoc/bin/typedoc'), '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
      const log = `${r.stdout}${r.stderr}`;
      expect(log).not.toMatch(/\[warning\]|\[error\]/);
      expect(r.status, log).toBe(0);
      expect(existsSync(join(out, 'index.html'))).toBe(true);
      expect(existsSync(join(out, 'classes/index.Sequential.html'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);
});
