/**
 * GEMM benchmark of the WebAssembly core: nn / tn / nt at the shapes of one 784-64-10 training
 * step with batch 64, and 256³, in GFLOPS next to the SIMD mul+add peak loop measured in the
 * same run; plus one whole training step of that network. Plain ESM so Node 20 runs it as is:
 * it instantiates build/wasmlp.wasm itself (run `npm run build:wasm` first; `npm run bench:gemm`
 * does). Usage: node bench/gemm.js [--time ms] [--rounds n] [--relaxed]  (--relaxed: the FMA build;
 * its peak loop then uses FMA too). The measuring itself is in bench/kernels.js.
 */
import { gemmTask, instantiateCore, matrix, measure, peakTask } from './kernels.js';

const args = process.argv.slice(2);
const timeMs = Number(args[args.indexOf('--time') + 1]) || 1000;
const relaxed = args.includes('--relaxed');
const rounds = Math.max(1, Number(args[args.indexOf('--rounds') + 1]) || 5);
const core = await instantiateCore(relaxed);
const e = core.e;

const cases = [
  // [label, kernel, m, n, k]
  ['NN 64x784 · 784x64 (forward)', 'gemmNN', 64, 64, 784],
  ['TN Xᵀ·dY  (M 784, N 64, K 64)', 'gemmTN', 784, 64, 64],
  ['NT dY·Wᵀ  (M 64, N 784, K 64)', 'gemmNT', 64, 784, 64],
  ['NN 256³', 'gemmNN', 256, 256, 256],
  ['TN 256³', 'gemmTN', 256, 256, 256],
  ['NT 256³', 'gemmNT', 256, 256, 256],
];
const tasks = [peakTask(core), ...cases.map(([label, kernel, m, n, k]) => gemmTask(core, label, kernel, m, n, k))];

// One whole training step: 784-64 relu-10, softmax CE, SGD, batch 64 (as the mnist-mlp workload).
const B = 64;
const net = e.netCreate(2, 784, 10, 4) >>> 0;
e.netSetStage(net, 0, 0, 784, 64, 3, 0, 1);
e.netSetStage(net, 1, 0, 64, 10, 0, 0, 1);
e.netSetOptimizer(net, 0, 8, 0.01, 0, 0, 0, 0, 0, 0, 0);
e.netBuild(net, B);
new Float32Array(core.memory.buffer, e.netParams(net), e.netParamCount(net)).fill(0.01);
const x = matrix(core, B * 784, 4),
  y = matrix(core, B * 10, 5);
const stepFlops = 2 * (2 * B * (784 * 64 + 64 * 10)) + 2 * B * 64 * 10;
tasks.push(['train step 784-64-10, batch 64', stepFlops, () => e.netTrainStep(net, x, y, 0, 0, B)]);

const results = await measure(tasks, { timeMs, rounds });
console.log(`wasmlp GEMM benchmark (${relaxed ? 'relaxed SIMD' : 'SIMD128'}), Node ${process.versions.node}, ${rounds} rounds, ${timeMs} ms per task in all`);
console.table(
  results.map((r) => ({
    kernel: r.label,
    MFLOP: (r.flops / 1e6).toFixed(2),
    'GFLOPS (median)': r.gflops.toFixed(1),
    'GFLOPS (best round)': r.best.toFixed(1),
    '% of peak (median of paired)': `${r.pctOfPeak.toFixed(0)} %`,
  })),
);
