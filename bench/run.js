/**
 * The benchmark suite: every standard workload (../shared/WORKLOADS.md) with every system, side
 * by side in this one process — wasmlp wasm (1 thread, and N threads once the library has the
 * `threads` option), wasmlp reference, tfjs wasm and cpu (model.fit and a tight
 * optimizer.minimize loop), brain.js — plus the GEMM kernels next to the SIMD peak loop.
 * Writes bench/results/<time>.jsonl (one JSON line per row), bench/results/latest.md (the
 * report, also what BENCH.md holds) and docs/bench-ratios.png.
 *
 * Usage: node bench/run.js [--quick] [--only xor,flower] [--no-kernels] [--no-relaxed]
 * (`npm run bench` builds first.) Slow systems get their schedule cut to a time budget (4 s a
 * row, 0.7 s with --quick): samples/s stays comparable, the row's notes say what ran.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { existsSync } from 'node:fs';
import { WORKLOADS, WORKLOAD_IDS, loadWorkloadData, runWasmlp, toJSONLine } from './peers/common.js';
import { threadsSupport } from '../dist/bench/threads.js';
import { measureGemm, suiteCases } from './kernels.js';
import { describeMachine, loadAverage } from './machine.js';
import { drawRatios } from './chart.js';
import { markdownReport } from './report.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1].split(',') : WORKLOAD_IDS;
const maxSeconds = quick ? 0.7 : 4;
const results = new URL('./results/', import.meta.url);
await mkdir(results, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const jsonl = new URL(`${stamp}${quick ? '-quick' : ''}.jsonl`, results);
const log = (s) => process.stderr.write(`${s}\n`);

const machine = describeMachine();
const threadCount = Math.max(2, os.availableParallelism?.() ?? os.cpus().length);
const support = await threadsSupport();
log(`wasmlp bench${quick ? ' --quick' : ''}: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadStart}; threads option: ${support ?? 'not available yet'}`);

// tfjs prints a console banner about tfjs-node on import: keep it out of the output.
const quiet = console.warn; console.warn = () => {};
const { runTfjs } = await import('./peers/tfjs.js');
const { runBrain } = await import('./peers/brain.js');
console.warn = quiet;

const rows = [];
/** Runs one row, never throwing: a failure becomes a row saying so. */
async function row(w, label, fn) {
  const started = performance.now();
  let r;
  try {
    r = await fn();
  } catch (e) {
    r = { system: label, workload: w.id, threads: 1, seconds: null, samples_per_s: null, final_loss: null, accuracy: null, notes: `failed: ${e.message}` };
  }
  rows.push(r);
  await appendFile(jsonl, `${toJSONLine(r)}\n`);
  const k = r.samples_per_s ? `${(r.samples_per_s / 1e3).toFixed(1)} k/s` : '-';
  log(`  ${w.id.padEnd(12)} ${r.system.padEnd(24)} ${String(r.threads).padStart(2)}t ${k.padStart(12)}  loss ${r.final_loss?.toPrecision?.(4) ?? '-'}  acc ${r.accuracy ?? '-'}  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

const opts = { quick, maxSeconds };
for (const id of only) {
  const w = WORKLOADS[id];
  const data = await loadWorkloadData(w);
  await row(w, 'wasmlp wasm', () => runWasmlp(w, { quick }));
  if (w.kind === 'train' || w.inferBatch > 1) {
    if (support) await row(w, 'wasmlp wasm', () => runWasmlp(w, { quick, threads: threadCount }));
    else {
      const r = { system: 'wasmlp wasm', workload: w.id, threads: threadCount, seconds: null, samples_per_s: null, final_loss: null, accuracy: null, notes: 'not available yet: this build has no threads option' };
      rows.push(r);
      await appendFile(jsonl, `${toJSONLine(r)}\n`);
    }
  }
  await row(w, 'wasmlp reference', () => runWasmlp(w, { quick, backend: 'reference', maxSeconds }));
  for (const backend of ['wasm', 'cpu']) {
    if (w.kind === 'infer') await row(w, `tfjs ${backend} predict`, () => runTfjs(w, data, backend, 'predict', opts));
    else for (const style of ['fit', 'minimize']) await row(w, `tfjs ${backend} ${style}`, () => runTfjs(w, data, backend, style, opts));
  }
  await row(w, 'brain.js', () => runBrain(w, data, opts));
}

let kernels = [];
if (!args.includes('--no-kernels')) {
  log('GEMM kernels (SIMD128) next to the peak loop...');
  kernels = (await measureGemm(suiteCases(), { timeMs: quick ? 1500 : 6000, rounds: quick ? 3 : 5 })).map((k) => ({ ...k, build: 'simd128' }));
  if (!args.includes('--no-relaxed') && existsSync(new URL('../build/wasmlp.relaxed.wasm', import.meta.url))) {
    log('GEMM kernels (relaxed SIMD, FMA) next to the FMA peak loop...');
    kernels.push(...(await measureGemm(suiteCases(), { relaxed: true, timeMs: quick ? 1500 : 6000, rounds: quick ? 3 : 5 })).map((k) => ({ ...k, build: 'relaxed-simd' })));
  }
  for (const k of kernels) await appendFile(jsonl, `${JSON.stringify({ kind: 'kernel', ...k })}\n`);
}

machine.loadEnd = loadAverage();
await appendFile(jsonl, `${JSON.stringify({ kind: 'machine', ...machine, quick, threadCount, threadsOption: support })}\n`);
const report = markdownReport({ machine, rows, kernels, quick, threadCount, threadsOption: support, jsonl: jsonl.pathname.split('/').pop() });
await writeFile(new URL('latest.md', results), report);
const png = new URL('../docs/bench-ratios.png', import.meta.url);
await drawRatios(rows, png.pathname, { quick });
log(`wrote ${jsonl.pathname}, bench/results/latest.md and docs/bench-ratios.png`);
