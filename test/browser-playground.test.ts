/**
 * The playground (web/) in a real Chromium, served by its own Vite dev server: training moons
 * to test accuracy >= 0.95 without console errors, play / pause / step / reset, the URL hash
 * reproducing a run exactly, and model export / import. Screenshots go to a temp directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { build, preview, type ViteDevServer } from 'vite';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, collectErrors } from './bundlers/browser.js';
import { startPlayground, exposed, waitReady, stepTo, WEB_CONFIG } from './bundlers/playground.js';
import { freePort } from './bundlers/port.js';

let browser: Browser;
let server: ViteDevServer;
let url: string;
const shots = mkdtempSync(join(tmpdir(), 'wasmlp-playground-'));
console.log(`playground screenshots: ${shots}`);

beforeAll(async () => {
  browser = await launchChromium();
  ({ url, server } = await startPlayground());
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(hash = ''): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = collectErrors(page);
  await page.goto(url + hash);
  await waitReady(page);
  return { page, errors };
}

const text = (page: Page, sel: string) => page.textContent(sel).then((t) => t ?? '');

describe('the playground', () => {
  it('trains moons to test accuracy >= 0.95 in a Worker, without console errors', async () => {
    const { page, errors } = await open('#data=xor');
    await page.selectOption('#dataset', 'moons');
    await page.waitForFunction(() => location.hash.includes('data=moons'));
    await page.click('#play');
    expect(await page.getAttribute('#play', 'aria-pressed')).toBe('true');
    await page.waitForFunction(() => Number(document.querySelector('#test-accuracy')?.textContent) >= 0.95, undefined, { timeout: 60_000, polling: 100 });
    // While training runs the page keeps answering (the Worker does the work).
    const t0 = Date.now();
    await page.evaluate(() => 1 + 1);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(Number((await text(page, '#sps')).replace(/,/g, ''))).toBeGreaterThan(0);
    await page.click('#play');
    expect(await page.getAttribute('#play', 'aria-pressed')).toBe('false');
    expect(Number(await text(page, '#epoch'))).toBeGreaterThan(0);
    expect(await text(page, '#backend')).toMatch(/^wasm /);
    await page.screenshot({ path: join(shots, 'moons.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('steps, pauses and resets', async () => {
    const { page, errors } = await open('#data=moons&seed=3');
    for (let e = 1; e <= 3; e++) await stepTo(page, e);
    let run = await exposed(page);
    expect(run.epoch).toBe(3);
    expect(run.history.train).toHaveLength(3);
    expect(await text(page, '#epoch')).toBe('3');
    const firstLosses = run.history.train.slice();

    await page.click('#play');
    await page.waitForFunction(() => (window as unknown as { __playground: { epoch: number } }).__playground.epoch >= 10);
    await page.click('#play');
    await page.waitForTimeout(300); // the last frame of the running chunk lands
    const paused = (await exposed(page)).epoch;
    await page.waitForTimeout(500);
    expect((await exposed(page)).epoch).toBe(paused);
    expect(Number(await text(page, '#epoch'))).toBe(paused);

    await page.click('#reset');
    await page.waitForFunction(() => (window as unknown as { __playground: { epoch: number } }).__playground.epoch === 0);
    await page.waitForTimeout(300); // frames of the old run still in flight must be ignored
    expect(await text(page, '#epoch')).toBe('0');
    expect((await exposed(page)).history.train).toEqual([]);
    // Reset rebuilds the same model: the same seed gives the same first epochs again.
    for (let e = 1; e <= 3; e++) await stepTo(page, e);
    run = await exposed(page);
    expect(run.history.train).toEqual(firstLosses);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reproduces a run from its URL', async () => {
    const { page: a, errors } = await open();
    await a.selectOption('#dataset', 'spirals');
    await a.selectOption('#classes', '3');
    await a.check('#feature-sinx1');
    await a.click('#add-layer');
    await a.selectOption('#optimizer', 'momentum');
    await a.selectOption('#lr', '0.1');
    await a.fill('#seed', '12345');
    await a.press('#seed', 'Enter');
    await a.waitForFunction(() => location.hash.includes('seed=12345'));
    await waitReady(a);
    for (let e = 1; e <= 5; e++) await stepTo(a, e);
    const hash = await a.evaluate(() => location.hash);
    expect(hash).toContain('data=spirals');
    expect(hash).toContain('sinx1');
    const runA = await exposed(a);

    const { page: b, errors: errorsB } = await open(hash);
    expect(await b.evaluate(() => location.hash)).toBe(hash);
    for (let e = 1; e <= 5; e++) await stepTo(b, e);
    const runB = await exposed(b);
    expect(runB.state).toEqual(runA.state);
    expect(runB.history).toEqual(runA.history);
    expect(await text(b, '#test-loss')).toBe(await text(a, '#test-loss'));
    expect([...errors, ...errorsB]).toEqual([]);
    await a.close();
    await b.close();
  });

  it('exports the model as JSON and imports it back', async () => {
    const { page, errors } = await open('#data=moons&net=6.relu-5.tanh&seed=9');
    for (let e = 1; e <= 4; e++) await stepTo(page, e);
    const loss = await text(page, '#test-loss');
    const download = page.waitForEvent('download');
    await page.click('#export');
    const file = join(shots, 'model.json');
    await (await download).saveAs(file);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json).toBeTypeOf('object');
    // It says how to feed it: the input features in order and the data's scaling.
    expect(json.playground.inputs.map((i: { name: string }) => i.name)).toEqual(['x1', 'x2']);
    expect(json.playground.scaling.factor).toBeGreaterThan(0);
    expect(json.playground.scaling.center).toHaveLength(2);
    // The exported model loads in Node with the library itself.
    const { Sequential } = await import('../dist/index.js');
    const model = Sequential.fromJSON(json);
    expect(model.getWeights().length).toBe(6);
    model.dispose();

    await page.click('#reset');
    await page.waitForFunction(() => document.querySelector('#test-loss')?.textContent !== '');
    await page.setInputFiles('#import', file);
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'model imported');
    expect(await text(page, '#test-loss')).toBe(loss);
    // A success reads in green, not in the error red.
    expect(await page.$eval('#status', (e) => getComputedStyle(e).color)).toBe('rgb(21, 128, 61)');
    writeFileSync(join(shots, 'done'), '');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('builds a static site whose preview server is cross-origin isolated and trains', async () => {
    // `npm run build:web`, into a temp directory so the test leaves web/dist alone.
    const outDir = mkdtempSync(join(tmpdir(), 'wasmlp-web-dist-'));
    await build({ configFile: WEB_CONFIG, logLevel: 'error', build: { outDir, emptyOutDir: true } });
    const port = await freePort();
    const server = await preview({ configFile: WEB_CONFIG, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port, strictPort: true } });
    const page = await browser.newPage();
    const errors = collectErrors(page);
    try {
      const response = await page.goto(`http://127.0.0.1:${port}/#data=circles&seed=2`);
      expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
      expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
      await waitReady(page);
      expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
      for (let e = 1; e <= 3; e++) await stepTo(page, e);
      expect((await exposed(page)).history.train).toHaveLength(3);
      expect(await text(page, '#backend')).toContain('cross-origin isolated');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await new Promise<void>((ok) => server.httpServer.close(() => ok()));
    }
  });

  type Run = { epoch: number; steps: number; paused: number; pausedAtStep: number; networkInWorker: boolean; history: { train: number[] } };
  const run = (page: Page) => page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { __playground: unknown }).__playground)) as Run);

  it('paces: one batch per click, then an epoch; the heavy drawing happens in the Worker; Pause stops at the next batch', async () => {
    // 200 training points in batches of 50: four steps to an epoch.
    const { page, errors } = await open('#data=moons&n=400&train=0.5&batch=50&seed=4');
    expect((await run(page)).networkInWorker).toBe(true);
    // The diagram's, the boundary's and the curves' canvases belong to the Worker: the page cannot draw on them.
    for (const id of ['#network', '#boundary', '#curves']) {
      expect(
        await page.$eval(id, (c) => {
          try {
            (c as HTMLCanvasElement).getContext('2d');
            return 'page';
          } catch {
            return 'worker';
          }
        }),
      ).toBe('worker');
    }
    for (let s = 1; s <= 3; s++) {
      await page.click('#step-batch');
      await page.waitForFunction((n) => (window as unknown as { __playground: { steps: number } }).__playground.steps >= n, s);
    }
    expect((await run(page)).epoch).toBe(0);
    await page.click('#step-batch');
    await page.waitForFunction(() => (window as unknown as { __playground: { epoch: number } }).__playground.epoch === 1);
    expect((await run(page)).steps).toBe(4);
    // Playing in slow motion, then Pause: the Worker stops after the batch it is in and says so.
    await page.selectOption('#speed', '4');
    await page.click('#play');
    await page.waitForFunction(() => (window as unknown as { __playground: { steps: number } }).__playground.steps >= 10);
    await page.click('#play');
    await page.waitForFunction(() => (window as unknown as { __playground: { paused: number } }).__playground.paused > 0);
    await page.waitForTimeout(600);
    const r = await run(page);
    expect(r.steps).toBe(r.pausedAtStep);
    expect(await text(page, '#eps')).toBe('–');
    await page.screenshot({ path: join(shots, 'pace.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('continues the run when the learning rate, optimiser, L2 or batch size change; data and architecture restart it', async () => {
    const { page, errors } = await open('#data=circles&seed=5');
    for (let e = 1; e <= 3; e++) await stepTo(page, e);
    const before = await run(page);
    await page.selectOption('#lr', '0.3');
    await page.selectOption('#optimizer', 'adam');
    await page.selectOption('#l2', '0.001');
    await page.fill('#batch', '16');
    await page.press('#batch', 'Enter');
    await page.waitForFunction(() => location.hash.includes('lr=0.3') && location.hash.includes('opt=adam'));
    await page.waitForTimeout(200);
    let after = await run(page);
    expect(after.epoch).toBe(3);
    expect(after.history.train).toEqual(before.history.train);
    await stepTo(page, 4);
    after = await run(page);
    expect(after.history.train.slice(0, 3)).toEqual(before.history.train);
    expect(after.history.train).toHaveLength(4);
    await page.click('#add-layer');
    await page.waitForFunction(() => (window as unknown as { __playground: { epoch: number } }).__playground.epoch === 0);
    expect((await run(page)).history.train).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits a 375 px screen with 6 hidden layers', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    const errors = collectErrors(page);
    await page.goto(url + '#data=spirals&classes=4&net=8.tanh-8.tanh-8.tanh-8.tanh-8.tanh-8.tanh&seed=1');
    await waitReady(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(shots, 'narrow.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the backprop view: links show dW from model.trace and neurons their mean |δ|, then back to the weights', async () => {
    const { page, errors } = await open('#data=xor&net=6.tanh-4.relu&seed=2');
    await stepTo(page, 1);
    await page.selectOption('#edges', 'gradients');
    await page.waitForFunction(() => (window as unknown as { __playground: { gradientFrames: number } }).__playground.gradientFrames > 0);
    expect(await text(page, '#legend')).toContain('dW');
    await stepTo(page, 2);
    await page.screenshot({ path: join(shots, 'backprop.png') });
    await page.selectOption('#edges', 'weights');
    expect(await text(page, '#legend')).toContain('weights');
    expect(errors).toEqual([]);
    await page.close();
  });
});
