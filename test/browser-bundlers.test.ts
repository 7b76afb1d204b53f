/**
 * The published build (dist/ + build/*.wasm) in a real Chromium, four ways with default
 * settings: Vite's dev server, a Vite production build, webpack 5 and a plain
 * <script type="module"> page from a static server. Each page trains a seeded network; the test
 * replays the same run in Node and checks the same initial weights (exactly) and the same
 * losses (to the f32 bound: Chromium may take the relaxed-SIMD build with fused multiply-add).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createServer as createViteServer, build as viteBuild } from 'vite';
import { execFile } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, collectErrors } from './bundlers/browser.js';
import { serveStatic } from './bundlers/static-server.js';
import { freePort } from './bundlers/port.js';
import { makeAppDir, assertBuilt, ROOT, type AppDir } from './bundlers/workdir.js';
// @ts-expect-error plain JS shared with the app
import { run } from './bundlers/app/src/run.js';

interface PageResult {
  ok: boolean;
  error?: string;
  initial: number[];
  losses: number[];
  accuracy: number;
  predicted: number[];
}

/** The f32 bound of the README (scaled error |a-b| / max(1, |b|)). */
const F32_BOUND = 1e-5;

let browser: Browser;
let nodeResult: PageResult;
const dirs: AppDir[] = [];

beforeAll(async () => {
  assertBuilt();
  browser = await launchChromium();
  const wasmlp = await import('../dist/index.js');
  nodeResult = await run(wasmlp);
});

afterAll(async () => {
  await browser?.close();
  for (const d of dirs) d.remove();
});

/** Opens url, waits for the app to finish, checks it trained like Node did. */
async function checkPage(url: string): Promise<void> {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  try {
    await page.goto(url);
    // Done, or the first error (a module that fails to resolve never reaches "done").
    const deadline = Date.now() + 60_000;
    while (errors.length === 0 && !(await page.evaluate(() => document.body?.dataset.status === 'done'))) {
      if (Date.now() > deadline) throw new Error('the page did not finish in 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(errors).toEqual([]);
    const result = (await page.evaluate('window.__wasmlp')) as PageResult;
    expect(result.error, 'the page threw').toBeUndefined();
    expect(result.ok).toBe(true);
    expect(errors).toEqual([]);
    // Same seed, same initial weights: drawn in float64 by the same Random, rounded to f32.
    expect(result.initial).toEqual(nodeResult.initial);
    expect(result.losses.length).toBe(nodeResult.losses.length);
    for (let i = 0; i < result.losses.length; i++) {
      const err = Math.abs(result.losses[i] - nodeResult.losses[i]) / Math.max(1, Math.abs(nodeResult.losses[i]));
      expect(err, `epoch ${i + 1} loss ${result.losses[i]} vs Node ${nodeResult.losses[i]}`).toBeLessThanOrEqual(F32_BOUND);
    }
    expect(result.losses.at(-1)!).toBeLessThan(result.losses[0] / 2);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(Math.abs(result.accuracy - nodeResult.accuracy)).toBeLessThanOrEqual(0.01);
  } finally {
    await page.close();
  }
}

/** Runs webpack-cli with no config file in `dir`; rejects with its output when it fails. */
function runWebpackCli(dir: string): Promise<string> {
  const cli = join(ROOT, 'node_modules/webpack-cli/bin/cli.js');
  return new Promise((ok, fail) => {
    execFile(process.execPath, [cli, '--mode', 'production'], { cwd: dir, timeout: 120_000 }, (err, stdout, stderr) => {
      const out = `${stdout}${stderr}`;
      if (err) fail(new Error(`webpack failed:\n${out}`));
      else ok(out);
    });
  });
}

function app(name: string, html: string): AppDir {
  const d = makeAppDir(name, html);
  dirs.push(d);
  return d;
}

describe('the published build in Chromium', () => {
  it('runs under the Vite dev server', async () => {
    const { dir } = app('vite-dev', 'index.html');
    const port = await freePort();
    const server = await createViteServer({ root: dir, configFile: false, logLevel: 'error', server: { host: '127.0.0.1', port, strictPort: true } });
    await server.listen();
    try {
      await checkPage(`http://127.0.0.1:${port}/`);
    } finally {
      await server.close();
    }
  });

  it('runs from a Vite production build', async () => {
    const { dir } = app('vite-build', 'index.html');
    await viteBuild({ root: dir, configFile: false, logLevel: 'error' });
    const server = await serveStatic(join(dir, 'dist'));
    try {
      await checkPage(server.url);
    } finally {
      await server.close();
    }
  });

  it('runs from a webpack 5 build with the default configuration', async () => {
    const { dir } = app('webpack', 'webpack.html');
    // `npx webpack --mode production` in the app: entry ./src/index.js, output ./dist/main.js.
    const out = await runWebpackCli(dir);
    const emitted = readdirSync(join(dir, 'dist'));
    expect(emitted, out).toContain('main.js');
    // new URL('../../build/wasmlp.wasm', import.meta.url) must become an emitted asset.
    expect(emitted.filter((n) => n.endsWith('.wasm')).length, out).toBeGreaterThanOrEqual(1);
    copyFileSync(join(dir, 'index.html'), join(dir, 'dist/index.html'));
    const server = await serveStatic(join(dir, 'dist'));
    try {
      await checkPage(server.url);
    } finally {
      await server.close();
    }
  });

  it('runs from a plain <script type="module"> page on a static server', async () => {
    const { dir } = app('plain', 'plain.html');
    const server = await serveStatic(dir);
    try {
      await checkPage(server.url);
    } finally {
      await server.close();
    }
  });
});
