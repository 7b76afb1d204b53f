/**
 * The benchmark suite: every standard workload (../shared/WORKLOADS.md) with every system, each
 * row in a process of its own (bench/worker.js for the Node systems, bench/peers/python_peer.py
 * for PyTorch and numpy), systems alternating within a round (the order rotates every round)
 * and rounds repeated, ratios taken inside a round (bench/suite.js). wasmlp runs on this Node
 * and, when bench/node24 is installed (npm ci --prefix bench/node24), on Node 24 too (its default build and the
 * SIMD128 one). Then the GEMM kernels next to the SIMD peak loop, in this process. Writes
 * bench/results/<time>.jsonl and bench/results/latest.md (what BENCH.md holds).
 *
 * Usage: node bench/run.js [--quick] [--rounds N] [--only xor,flower] [--no-kernels] [--reference]
 * (`npm run bench` builds first.) Slow systems get their schedule cut to a time budget (3 s a
 * row, 0.7 s with --quick): samples/s stays comparable, the row's notes say what ran.
 */
import { spawnSync } from 'node:child_process';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { WORKLOADS, WORKLOAD_IDS } from './peers/common.js';
import { threadsSupport } from '../dist/bench/threads.js';
import { measureGemm, suiteCases } from './kernels.js';
import { describeMachine, loadAverage } from './machine.js';
import { markdownReport } from './report.js';
import { writeWorkloadFile } from './export-data.js';
import { NODE24, PYTHON, parseResult, pythonPeers, roundOrder, systemsFor } from './suite.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const only = opt('--only', WORKLOAD_IDS.join(',')).split(',');
const rounds = Number(opt('--rounds', quick ? 1 : 2));
const maxSeconds = quick ? 0.7 : 3;
const results = new URL('./results/', import.meta.url);
await mkdir(results, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const jsonl = new URL(`${stamp}${quick ? '-quick' : ''}.jsonl`, results);
const log = (s) => process.stderr.write(`${s}\n`);
const worker = fileURLToPath(new URL('./worker.js', import.meta.url));
const peer = fileURLToPath(new URL('./peers/python_peer.py', import.meta.url));
const dataDir = `${os.tmpdir()}/wasmlp-bench`;

const machine = describeMachine();
const support = await threadsSupport();
const threads = support ? 2 : 1;
const env = {
  node24: existsSync(NODE24) ? NODE24 : null,
  python: pythonPeers(spawnSync),
  threads,
  reference: args.includes('--reference'),
};
if (env.node24) machine.node24 = spawnSync(NODE24, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '');
log(
  `wasmlp bench${quick ? ' --quick' : ''}: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}${env.node24 ? ` and ${machine.node24}` : ' (node@24 not installed)'}, load ${machine.loadStart}; ${rounds} round(s)`,
);
if (!env.python.torch) log(`  PyTorch skipped: ${PYTHON} cannot import torch (apt-get install python3-torch)`);
if (!env.python.numpy) log(`  numpy skipped: ${PYTHON} cannot import numpy (apt-get install python3-numpy)`);

/** Runs one system on one workload in its own process; never throws (a failure becomes a row saying so). */
function runRow(w, s, round, files) {
  const started = performance.now();
  const common = quick ? ['--quick'] : [];
  const cmd = s.kind === 'python' ? PYTHON : s.node;
  const argv =
    s.kind === 'python'
      ? [peer, ...s.args, '--file', files[w.id], '--max-seconds', String(maxSeconds), '--warmup-seconds', quick ? '0.1' : '0.5']
      : [worker, ...s.args, ...common, '--max-seconds', String(maxSeconds)];
  // One thread for numpy's BLAS and PyTorch: the 1-thread comparison the issue asks for.
  const p = spawnSync(cmd, argv, {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 600e3,
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  const r = parseResult(p.stdout) ?? {
    system: s.label,
    workload: w.id,
    threads: s.threads,
    seconds: null,
    samples_per_s: null,
    final_loss: null,
    accuracy: null,
    notes: `failed: ${(p.stderr || p.error?.message || `exit ${p.status}`).trim().split('\n').slice(-3).join(' / ').slice(0, 300)}`,
  };
  r.label = s.label;
  r.round = round;
  r.wall_seconds = (performance.now() - started) / 1000;
  return r;
}

const rows = [];
const files = {};
if (env.python.torch || env.python.numpy) for (const id of only) files[id] = await writeWorkloadFile(dataDir, id, quick);
for (let round = 0; round < rounds; round++) {
  for (const id of only) {
    const w = WORKLOADS[id];
    for (const s of roundOrder(systemsFor(w, env), round)) {
      const r = runRow(w, s, round, files);
      rows.push(r);
      await appendFile(jsonl, `${JSON.stringify(r)}\n`);
      const k = r.samples_per_s ? `${(r.samples_per_s / 1e3).toFixed(1)} k/s` : '-';
      log(
        `  r${round} ${id.padEnd(12)} ${r.label.padEnd(24)} ${k.padStart(12)}  loss ${r.final_loss?.toPrecision?.(4) ?? '-'}  acc ${r.accuracy ?? '-'}  (${r.wall_seconds.toFixed(1)} s)${r.samples_per_s ? '' : `  ${r.notes}`}`,
      );
    }
  }
}

let kernels = [];
if (!args.includes('--no-kernels')) {
  log('GEMM kernels (SIMD128) next to the peak loop...');
  kernels = (await measureGemm(suiteCases(), { timeMs: quick ? 1500 : 4000, rounds: 3 })).map((k) => ({ ...k, build: 'simd128' }));
  if (existsSync(new URL('../build/wasmlp.relaxed.wasm', import.meta.url))) {
    log('GEMM kernels (relaxed SIMD, FMA) next to the FMA peak loop...');
    kernels.push(...(await measureGemm(suiteCases(), { relaxed: true, timeMs: quick ? 1500 : 4000, rounds: 3 })).map((k) => ({ ...k, build: 'relaxed-simd' })));
  }
  for (const k of kernels) await appendFile(jsonl, `${JSON.stringify({ kind: 'kernel', ...k })}\n`);
}

machine.loadEnd = loadAverage();
await appendFile(jsonl, `${JSON.stringify({ kind: 'machine', ...machine, quick, rounds, threads })}\n`);
const report = markdownReport({ machine, rows, kernels, quick, rounds, threads, jsonl: jsonl.pathname.split('/').pop() });
await writeFile(new URL('latest.md', results), report);
log(`wrote ${jsonl.pathname} and bench/results/latest.md`);
process.exit(0);
