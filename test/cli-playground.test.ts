// `wasmlp playground`: serves a built page on 127.0.0.1 with the COOP/COEP headers, prints its
// URL, refuses paths outside its folder, a bad port and a missing build, and stops on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, wasmlp } from './helpers/cli.js';

function site(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wasmlp-site-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>p</title>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'core.wasm'), new Uint8Array([0, 97, 115, 109]));
  return dir;
}

describe('wasmlp playground', () => {
  it('serves the page cross-origin isolated, with the right types, and nothing outside its folder', async () => {
    const child = spawn(process.execPath, [bin, 'playground', '--port', '0', '--root', site()]);
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (m) ok(m[0]);
        });
        child.once('exit', (code) => fail(new Error(`exited ${code}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const wasm = await fetch(`${url}assets/core.wasm`);
      expect(wasm.headers.get('content-type')).toBe('application/wasm');
      expect((await fetch(`${url}..%2f..%2fetc%2fpasswd`)).status).toBe(404);
      expect((await fetch(`${url}missing.js`)).status).toBe(404);
    } finally {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('refuses a bad port and a folder without a built page', async () => {
    const bad = await wasmlp('playground', '--port', 'x', '--root', site());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port must be an integer');
    const empty = await wasmlp('playground', '--port', '0', '--root', mkdtempSync(join(tmpdir(), 'wasmlp-empty-')));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('npm run build:web');
  });
});
