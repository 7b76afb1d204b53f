/**
 * Threads in Chromium: on a cross-origin isolated page (COOP/COEP) the engine starts module
 * Web Workers from dist/wasm/threads/worker.js and 2 or 3 threads train bit for bit like one (the
 * page's main thread polls at barriers, it may not block); on a page without isolation there
 * is no SharedArrayBuffer, so training stays on one thread and says why, having fetched none of
 * the team's code (threads/team.ts, the threads build, the pool). Pools started and
 * disposed back to back (a page creating model after model) stay bit-identical and never hang. Uses the built
 * library (dist/, build/*.wasm: `npm run build`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { launchChromium, collectErrors } from './bundlers/browser.js';
import { serveStatic, type StaticServer } from './bundlers/static-server.js';
import { assertBuilt, ROOT } from './bundlers/workdir.js';

/** The page: trains one plan with 1, 2 and 3 threads and reports what happened. */
const PAGE = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><body><script type="module">
import { ready } from '/dist/wasm/core.js';
import { WasmEngine } from '/dist/wasm/engine.js';
import { threadSupport } from '/dist/wasm/threads/threads-support.js';
const notices = [];
const info = console.info;
console.info = (...a) => { notices.push(a.join(' ')); info(...a); };
try {
  await ready();
  const dense = (i, o, a) => ({ kind: 'dense', inSize: i, outSize: o, useBias: true, activation: a, alpha: 0 });
  const plan = { inputSize: 64, outputSize: 10, stages: [dense(64, 96, 'relu'), dense(96, 10, 'softmax')], loss: 'categorical_ce',
    optimizer: { type: 'adam', lr: 0.003, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decayBiases: true, amsgrad: false } };
  let s = 5;
  const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const rows = 150, x = Float32Array.from({ length: rows * 64 }, r), y = new Float32Array(rows * 10);
  for (let i = 0; i < rows; i++) y[i * 10 + (i % 10)] = 1;
  const runs = [];
  // ?churn=N: N more pools started and disposed back to back after the first three (2, 3, 2, ... threads).
  const churn = Number(new URLSearchParams(location.search).get('churn') ?? 0);
  const counts = [1, 2, 3, ...Array.from({ length: churn }, (_, k) => 2 + (k % 2))];
  for (const threads of counts) {
    const eng = new WasmEngine(plan);
    s = 9;
    eng.setParameters(eng.getParameters().map((t) => t.map(() => Math.fround(r() - 0.5) * 0.2)));
    await eng.prepare({ threads, batchSize: 50 });
    const d = eng.loadData(x, y, rows);
    const losses = [];
    for (let b = 0; b < 9; b++) losses.push(eng.trainStep(d, (b % 3) * 50, 50));
    runs.push({ threads: eng.threads, losses, params: eng.getParameters().map((p) => Array.from(p)) });
    eng.dispose();
  }
  window.__threads = { ok: true, support: threadSupport(), isolated: self.crossOriginIsolated, notices, runs };
} catch (err) {
  window.__threads = { ok: false, error: String(err && err.stack || err) };
}
document.body.dataset.status = 'done';
</script>`;

interface Result {
  ok: boolean;
  error?: string;
  isolated: boolean;
  notices: string[];
  support: { available: boolean; reason: string | null };
  runs: { threads: number; losses: number[]; params: number[][] }[];
  /** Paths the page fetched (filled in by visit). */
  fetched: string[];
}

/** The threads code a page fetches only to start a team: the team, the threads build's loader and wasm, the pool. */
const TEAM_FILES = /\/dist\/wasm\/threads\/(team|threads-core|pool)\.js$|\.threads(-relaxed)?\.wasm$/;

let browser: Browser;
let dir: string;
let servers: StaticServer[] = [];

beforeAll(async () => {
  assertBuilt();
  browser = await launchChromium();
  mkdirSync(join(ROOT, 'test/bundlers/.work'), { recursive: true });
  dir = mkdtempSync(join(ROOT, 'test/bundlers/.work/threads-'));
  writeFileSync(join(dir, 'index.html'), PAGE);
});

afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  servers = [];
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Serves the repository (isolated or not) and returns what the page reported. */
async function visit(isolated: boolean, churn = 0): Promise<Result> {
  const server = await serveStatic(ROOT, { isolated });
  servers.push(server);
  const page = await browser.newPage();
  const errors = collectErrors(page);
  const fetched: string[] = [];
  page.on('request', (req) => fetched.push(new URL(req.url()).pathname));
  await page.goto(server.url + relative(ROOT, dir) + `/index.html?churn=${churn}`);
  const deadline = Date.now() + 60_000;
  // A page stuck in a step never answers evaluate(): bound each question too, so a hang is a clear failure.
  const done = () =>
    Promise.race([
      page.evaluate(() => document.body?.dataset.status === 'done'),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the page stopped answering: its main thread is stuck (a step waiting on a worker?)')), 20_000),
      ),
    ]);
  while (errors.length === 0 && !(await done())) {
    if (Date.now() > deadline) throw new Error('the page did not finish in 60 s');
    await new Promise((res) => setTimeout(res, 100));
  }
  expect(errors).toEqual([]);
  const result = (await page.evaluate('window.__threads')) as Result;
  await page.close();
  expect(result.error).toBeUndefined();
  return { ...result, fetched };
}

describe('threads in Chromium', () => {
  it('cross-origin isolated: Web Workers, and 2 or 3 threads train bit for bit like 1', async () => {
    const r = await visit(true);
    expect(r.isolated).toBe(true);
    expect(r.support).toEqual({ available: true, reason: null });
    expect(r.runs.map((x) => x.threads)).toEqual([1, 2, 3]);
    expect(r.runs[1].losses).toEqual(r.runs[0].losses);
    expect(r.runs[2].losses).toEqual(r.runs[0].losses);
    expect(r.runs[1].params).toEqual(r.runs[0].params);
    expect(r.runs[2].params).toEqual(r.runs[0].params);
    expect(r.notices).toEqual([]);
    expect(r.fetched.filter((f) => TEAM_FILES.test(f)).length).toBeGreaterThanOrEqual(4);
  });

  it('pools started and disposed back to back never share a control block with a worker still running', async () => {
    // Before the fix a disposed pool's blocks were freed as soon as terminate() was asked for; a
    // worker that had not yet stopped then joined the next pool's barriers and the step hung.
    const r = await visit(true, 20);
    expect(r.runs.map((x) => x.threads)).toEqual([1, 2, 3, ...Array.from({ length: 20 }, (_, k) => 2 + (k % 2))]);
    for (const run of r.runs.slice(1)) {
      expect(run.losses).toEqual(r.runs[0].losses);
      expect(run.params).toEqual(r.runs[0].params);
    }
  });

  it('not isolated: no SharedArrayBuffer, one thread, one notice naming COOP/COEP', async () => {
    const r = await visit(false);
    expect(r.isolated).toBe(false);
    expect(r.support.available).toBe(false);
    expect(r.support.reason).toMatch(/Cross-Origin-Opener-Policy/);
    expect(r.runs.map((x) => x.threads)).toEqual([1, 1, 1]);
    expect(r.runs[1].params).toEqual(r.runs[0].params);
    expect(r.notices.length).toBe(1);
    expect(r.notices[0]).toMatch(/one thread: .*Cross-Origin-Embedder-Policy/);
    // The support check comes first: without isolation no team code, threads build or pool is fetched.
    expect(r.fetched.some((f) => f.endsWith('/dist/wasm/threads/threads-gate.js'))).toBe(true);
    expect(r.fetched.filter((f) => TEAM_FILES.test(f))).toEqual([]);
  });
});
