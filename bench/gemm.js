/**
 * GEMM benchmark of the WebAssembly core: nn / tn / nt at the shapes of one 784-64-10 training
 * step with batch 64, and 256³, in GFLOPS next to the SIMD mul+add peak loop measured in the
 * same run; plus one whole training step of that network. Plain ESM so Node 20 runs it as is:
 * it instantiates build/wasmlp.wasm itself (run `npm run build:wasm` first; `npm run bench`
 * does). Usage: node bench/gemm.js [--time ms] [--rounds n] [--relaxed]  (--relaxed: the FMA build;
 * its peak loop then uses FMA too)
 */
import { readFile } from 'node:fs/promises';
import v8 from 'node:v8';
import { Bench } from 'tinybench';

const args = process.argv.slice(2);
const timeMs = Number(args[args.indexOf('--time') + 1]) || 1000;
const relaxed = args.includes('--relaxed');
// Node 20 runs relaxed SIMD (the FMA build) only behind this V8 flag.
if (relaxed) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const file = new URL(relaxed ? '../build/wasmlp.relaxed.wasm' : '../build/wasmlp.wasm', import.meta.url);

let memory;
const { instance } = await WebAssembly.instantiate(await readFile(file), {
  env: {
    abort(msg, fileName, line, col) {
      throw new Error(`wasm abort at ${line}:${col}`);
    },
  },
});
const e = instance.exports;
memory = e.memory;

/** An f32 matrix of n random values in the arena; returns its byte pointer. */
function matrix(n, seed) {
  const p = e.alloc(n * 4) >>> 0;
  const view = new Float32Array(memory.buffer, p, n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    view[i] = s / 4294967296 - 0.5;
  }
  return p;
}

const cases = [
  // [label, kernel, m, n, k]
  ['NN 64x784 · 784x64 (forward)', 'gemmNN', 64, 64, 784],
  ['TN Xᵀ·dY  (M 784, N 64, K 64)', 'gemmTN', 784, 64, 64],
  ['NT dY·Wᵀ  (M 64, N 784, K 64)', 'gemmNT', 64, 784, 64],
  ['NN 256³', 'gemmNN', 256, 256, 256],
  ['TN 256³', 'gemmTN', 256, 256, 256],
  ['NT 256³', 'gemmNT', 256, 256, 256],
];

const PEAK_ITERS = 200_000;
const peakFlops = PEAK_ITERS * 12 * 4 * 2;
const tasks = [['SIMD mul+add peak (12 acc)', peakFlops, () => e.peakLoop(PEAK_ITERS)]];
for (const [label, fn, m, n, k] of cases) {
  const a = matrix(m * k, 1), b = matrix(k * n, 2), c = matrix(m * n, 3);
  tasks.push([label, 2 * m * n * k, () => e[fn](a, b, c, m, n, k, 0, 0)]);
}

// One whole training step: 784-64 relu-10, softmax CE, SGD, batch 64 (as the mnist-mlp workload).
const B = 64;
const net = e.netCreate(2, 784, 10, 4) >>> 0;
e.netSetStage(net, 0, 0, 784, 64, 3, 0, 1);
e.netSetStage(net, 1, 0, 64, 10, 0, 0, 1);
e.netSetOptimizer(net, 0, 8, 0.01, 0, 0, 0, 0, 0, 0, 0);
e.netBuild(net, B);
new Float32Array(memory.buffer, e.netParams(net), e.netParamCount(net)).fill(0.01);
const x = matrix(B * 784, 4), y = matrix(B * 10, 5);
const stepFlops = 2 * (2 * B * (784 * 64 + 64 * 10)) + 2 * B * 64 * 10;
tasks.push(['train step 784-64-10, batch 64', stepFlops, () => e.netTrainStep(net, x, y, 0, 0, B)]);

// The first calls of a function run in V8's baseline tier: call each many times first.
for (const [, , fn] of tasks) for (let i = 0; i < 30; i++) fn();

// The machine is shared: measure in several short rounds, each timing the peak loop next to
// every kernel, and report per task the median over rounds of its GFLOPS and of its ratio to
// that round's peak (paired, so a slow round does not bias the ratio), plus the best round.
const rounds = Math.max(1, Number(args[args.indexOf('--rounds') + 1]) || 5);
const perRound = tasks.map(() => []);
for (let round = 0; round < rounds; round++) {
  const bench = new Bench({ time: timeMs / rounds, warmupTime: 20 });
  for (const [label, , fn] of tasks) bench.add(label, fn);
  await bench.run();
  tasks.forEach(([label, flops], i) => {
    const lat = bench.getTask(label).result.latency;
    perRound[i].push(flops / ((lat.p50 ?? lat.mean) * 1e6));
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const rows = tasks.map(([label, flops], i) => {
  const g = perRound[i];
  const ratio = g.map((v, r) => v / perRound[0][r]);
  return {
    kernel: label,
    MFLOP: (flops / 1e6).toFixed(2),
    'GFLOPS (median)': median(g).toFixed(1),
    'GFLOPS (best round)': Math.max(...g).toFixed(1),
    '% of peak (median of paired)': `${(100 * median(ratio)).toFixed(0)} %`,
  };
});
console.log(`wasmlp GEMM benchmark (${relaxed ? 'relaxed SIMD' : 'SIMD128'}), Node ${process.versions.node}, ${rounds} rounds, ${timeMs} ms per task in all`);
console.table(rows);
