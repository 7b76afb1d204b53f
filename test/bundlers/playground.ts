/**
 * Helpers of the playground tests: start the playground's Vite dev server (its own config,
 * with COOP/COEP) on a free port, and read the page's exposed run.
 */
import { createServer, type ViteDevServer } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { collectErrors, launchChromium } from './browser.js';
import { freePort } from './port.js';
import { ROOT } from './workdir.js';

/** web/vite.config.ts, as `npm run web` uses it. */
export const WEB_CONFIG = join(ROOT, 'web/vite.config.ts');

/** Starts `npm run web`'s server on 127.0.0.1 and a free port. */
export async function startPlayground(): Promise<{ url: string; server: ViteDevServer }> {
  const port = await freePort();
  const server = await createServer({
    configFile: WEB_CONFIG,
    logLevel: 'error', // No file watching: edits elsewhere in the checkout must not reload a page under test.
    server: { host: '127.0.0.1', port, strictPort: true, hmr: false, watch: null },
  });
  await server.listen();
  return { url: `http://127.0.0.1:${port}/`, server };
}

/** What the page exposes on window.__playground. */
export interface Exposed {
  history: { train: number[]; test: number[] };
  epoch: number;
  frames: number;
  state: Record<string, unknown>;
}

export function exposed(page: Page): Promise<Exposed> {
  return page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { __playground: unknown }).__playground)) as Exposed);
}

/** Waits until the Worker has sent its first frame (the model is built and drawn). */
export async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => ((window as unknown as { __playground?: { frames: number } }).__playground?.frames ?? 0) > 0, undefined, {
    timeout: 30_000,
  });
}

/** Clicks Step and waits until the epoch counter shows `epoch`. */
export async function stepTo(page: Page, epoch: number): Promise<void> {
  await page.click('#step');
  await page.waitForFunction((e) => (window as unknown as { __playground: { epoch: number } }).__playground.epoch >= e, epoch, { timeout: 30_000 });
}

/** A neuron (column, unit) or a link (layer, i, j) of the network diagram. */
export type DiagramTarget = { column: number; unit: number } | { layer: number; i: number; j: number };

/**
 * The page coordinates of a neuron's centre or a link's midpoint, from the layout the page and
 * the Worker share (web/src/network-view.ts, loaded from the dev server).
 */
export function diagramPoint(page: Page, target: DiagramTarget): Promise<{ x: number; y: number }> {
  // A string, so the test runner's transform leaves the page's dynamic import alone.
  return page.evaluate(`(async (t) => {
    const view = await import('/src/network-view.ts');
    const canvas = document.querySelector('#network');
    const layout = view.networkLayout(window.__playground.sizes, canvas.width, canvas.height);
    let x, y;
    if ('column' in t) {
      const col = layout.columns[t.column];
      x = col.x + col.size / 2;
      y = col.y[t.unit] + col.size / 2;
    } else {
      const [x0, y0, x1, y1] = view.linkEnds(layout, t.layer, t.i, t.j);
      x = (x0 + x1) / 2;
      y = (y0 + y1) / 2;
    }
    const r = canvas.getBoundingClientRect();
    return { x: r.left + (x * r.width) / canvas.width, y: r.top + (y * r.height) / canvas.height };
  })(${JSON.stringify(target)})`);
}

/**
 * One Chromium and one playground dev server for a test file (started in beforeAll, closed in
 * afterAll), a page opener that waits until the page is ready, and the folder screenshots go to
 * (PLAYGROUND_SHOTS, or a fresh temp folder named after `name`).
 */
export function playgroundSession(
  name: string,
  viewport: { width: number; height: number },
): {
  shots: string;
  open(hash: string): Promise<{ page: Page; errors: string[] }>;
} {
  let browser: Browser | undefined;
  let server: ViteDevServer | undefined;
  let url = '';
  const shots = process.env.PLAYGROUND_SHOTS ?? mkdtempSync(join(tmpdir(), `wasmlp-playground-${name}-`));
  mkdirSync(shots, { recursive: true });
  beforeAll(async () => {
    browser = await launchChromium();
    ({ url, server } = await startPlayground());
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    shots,
    async open(hash) {
      if (!browser) throw new Error('playgroundSession: open() before beforeAll ran');
      const page = await browser.newPage({ viewport });
      const errors = collectErrors(page);
      await page.goto(url + hash);
      await waitReady(page);
      return { page, errors };
    },
  };
}
