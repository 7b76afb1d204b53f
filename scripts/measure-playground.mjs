#!/usr/bin/env node
/**
 * `npm run measure:playground`: the playground's responsiveness in headless Chromium, on the
 * issue's workload — a 6×64 tanh network on 1,000 points, playing — measured on the page's main
 * thread: long tasks (PerformanceObserver 'longtask', over 50 ms), the longest of them, and
 * how long a Pause click takes to stop training (from the click to the Worker's word that it
 * stopped; on a page without that word, main's, to the next frame). Prints one JSON line. Timings, so never asserted by the tests.
 */
import { createServer } from 'vite';
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';

const CONFIG = fileURLToPath(new URL('../web/vite.config.ts', import.meta.url));
const CHROMIUM = process.env.WASMLP_CHROMIUM ?? '/usr/bin/chromium';
const HASH = '#data=moons&n=1000&noise=0.1&train=0.5&net=64.tanh-64.tanh-64.tanh-64.tanh-64.tanh-64.tanh&seed=1';
const PLAY_MS = Number(process.env.MEASURE_MS ?? 6000);

const server = await createServer({ configFile: CONFIG, logLevel: 'error', server: { host: '127.0.0.1', port: 0, hmr: false, watch: null } });
await server.listen();
const url = server.resolvedUrls.local[0];
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.addInitScript(() => {
    const w = window;
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(url + HASH);
  await page.waitForFunction(() => (window.__playground?.frames ?? 0) > 0, undefined, { timeout: 60_000 });
  await page.evaluate(() => {
    window.__longTasks.length = 0;
  });
  await page.click('#play');
  await page.waitForTimeout(PLAY_MS);
  const epochsBefore = await page.evaluate(() => window.__playground.epoch);
  // Pause: from the click to the moment training has stopped — the Worker's 'paused' message
  // (window.__playground.paused counts them) or, on a page without it, the first frame after the click.
  const pauseMs = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const p = window.__playground;
        const t0 = performance.now();
        const acks = p.paused,
          frames = p.frames;
        document.querySelector('#play').click();
        const poll = () => {
          if (acks !== undefined ? p.paused > acks : p.frames > frames) resolve(performance.now() - t0);
          else setTimeout(poll, 1);
        };
        poll();
      }),
  );
  const tasks = await page.evaluate(() => window.__longTasks.slice());
  console.log(
    JSON.stringify({
      workload: '6x64 tanh, 1000 points (500 train), playing',
      playedMs: PLAY_MS,
      epochs: epochsBefore,
      epochsPerSecond: Math.round(epochsBefore / (PLAY_MS / 1000)),
      longTasks: tasks.length,
      longestTaskMs: Math.round(Math.max(0, ...tasks)),
      over100ms: tasks.filter((t) => t > 100).length,
      pauseMs: Math.round(pauseMs),
    }),
  );
} finally {
  await browser.close();
  await server.close();
}
