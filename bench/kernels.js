/**
 * GEMM kernel measurements of the WebAssembly core: each kernel's GFLOPS next to the SIMD mul+add
 * peak loop timed in the same rounds (paired, so a slow round on a shared machine does not bias
 * the ratio). It instantiates build/wasmlp.wasm (or the relaxed-SIMD build) apart from the
 * library's instance, with the library's own loader (dist/wasm/core.js: the same imports and
 * the same export check). Used by bench/gemm.js (the kernel bench) and bench/run.js (the suite).
 */
import v8 from 'node:v8';
import { Bench } from 'tinybench';
import { CORE_URLS, instantiate, makeCore, source } from '../dist/wasm/core.js';

/** Iterations of one peak-loop call: 12 accumulators × 4 lanes × (mul + add). */
const PEAK_ITERS = 200_000;
const PEAK_FLOPS = PEAK_ITERS * 12 * 4 * 2;

/** Instantiates a build of the core: { e: exports, memory }. `relaxed` turns Node 20's flag on first. */
export async function instantiateCore(relaxed = false) {
  if (relaxed) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  const core = makeCore(await instantiate(await source(CORE_URLS[relaxed ? 'relaxed-simd' : 'simd128'])));
  return { e: core.exports, memory: core.exports.memory };
}

/** An f32 matrix of n pseudo-random values in the core's arena; returns its byte pointer. */
export function matrix(core, n, seed) {
  const p = core.e.alloc(n * 4) >>> 0;
  const view = new Float32Array(core.memory.buffer, p, n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    view[i] = s / 4294967296 - 0.5;
  }
  return p;
}

/** A task timing one GEMM call: [label, flops, fn]. kernel is 'gemmNN' | 'gemmTN' | 'gemmNT'. */
export function gemmTask(core, label, kernel, m, n, k) {
  const a = matrix(core, m * k, 1),
    b = matrix(core, k * n, 2),
    c = matrix(core, m * n, 3);
  return [label, 2 * m * n * k, () => core.e[kernel](a, b, c, m, n, k, 0, 0)];
}

/** The peak-loop task; always measured first. */
export function peakTask(core) {
  return ['SIMD mul+add peak (12 acc)', PEAK_FLOPS, () => core.e.peakLoop(PEAK_ITERS)];
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Times the tasks (the first must be the peak loop) in `rounds` short tinybench rounds of
 * `timeMs / rounds` each, after 30 warm-up calls per task (V8 tiers code up after its first
 * calls). Returns per task { label, flops, gflops (median over rounds), best, pctOfPeak (median
 * of the per-round ratio to that round's peak) }.
 */
export async function measure(tasks, { timeMs = 1000, rounds = 5 } = {}) {
  for (const [, , fn] of tasks) for (let i = 0; i < 30; i++) fn();
  const perRound = tasks.map(() => []);
  for (let round = 0; round < rounds; round++) {
    // Few minimum iterations: tinybench's default 64 would make the 1024³ rounds last seconds each.
    const bench = new Bench({ time: timeMs / rounds, warmupTime: 20, iterations: 4 });
    for (const [label, , fn] of tasks) bench.add(label, fn);
    await bench.run();
    tasks.forEach(([label, flops], i) => {
      const lat = bench.getTask(label).result.latency;
      perRound[i].push(flops / ((lat.p50 ?? lat.mean) * 1e6));
    });
  }
  return tasks.map(([label, flops], i) => {
    const g = perRound[i];
    return { label, flops, gflops: median(g), best: Math.max(...g), pctOfPeak: 100 * median(g.map((v, r) => v / perRound[0][r])) };
  });
}

/** The GEMM shapes of the workloads' training steps and of inference, plus 1024³. */
export function suiteCases() {
  return [
    ['mnist-mlp NN 64×784·784×64 (forward)', 'gemmNN', 64, 64, 784],
    ['mnist-mlp TN (M 784, N 64, K 64) (weight grad)', 'gemmTN', 784, 64, 64],
    ['mnist-mlp NT (M 64, N 784, K 64) (input grad)', 'gemmNT', 64, 784, 64],
    ['mnist-wide NN 128×784·784×256 (forward)', 'gemmNN', 128, 256, 784],
    ['mnist-wide TN (M 784, N 256, K 128) (weight grad)', 'gemmTN', 784, 256, 128],
    ['mnist-wide NT (M 128, N 256, K 128) (input grad, layer 2)', 'gemmNT', 128, 256, 128],
    ['infer-b1024 NN 1024×784·784×256', 'gemmNN', 1024, 256, 784],
    ['NN 1024³', 'gemmNN', 1024, 1024, 1024],
    ['TN 1024³', 'gemmTN', 1024, 1024, 1024],
    ['NT 1024³', 'gemmNT', 1024, 1024, 1024],
  ];
}

/** Measures the peak loop and `cases` ([label, kernel, m, n, k]) on a fresh instance of a build. */
export async function measureGemm(cases, { relaxed = false, timeMs, rounds } = {}) {
  const core = await instantiateCore(relaxed);
  const tasks = [peakTask(core), ...cases.map(([label, kernel, m, n, k]) => gemmTask(core, label, kernel, m, n, k))];
  return measure(tasks, { timeMs: timeMs ?? 400 * tasks.length, rounds });
}
