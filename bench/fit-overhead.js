/**
 * Does fit without callbacks, weights or extra metrics train as fast as before? Times whole fit
 * calls of two builds of the library in one process, alternating them round by round (paired,
 * so a noisy neighbour slows both alike), and prints each build's median and the median of
 * the per-round ratios.
 *
 *   node bench/fit-overhead.js [--before /path/to/other/checkout] [--rounds 15]
 *
 * The other checkout needs its own dist/ and build/ (npm run build there). Without --before
 * it only times this checkout, and also with a no-op batch callback, to show that cost.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const rounds = Number(opt('--rounds', 15));
const before = opt('--before', null);

async function load(root) {
  return import(pathToFileURL(resolve(root, 'dist/index.js')).href);
}

/** Deterministic pseudo-random rows in [-0.5, 0.5). */
function rows(n, cols, seed) {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => Array.from({ length: cols }, () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) - 0.5));
}

const mnistX = rows(6400, 784, 1), mnistY = Array.from({ length: 6400 }, (_, i) => i % 10);

/** The workloads: a model factory and its fit call, for one library module. */
const WORKLOADS = {
  'moons-small (2-4-2 sigmoid, sse, full batch 200, 500 epochs)': (lib) => {
    const { x, y } = lib.datasets.moons({ n: 200, noise: 0.2, seed: 0 });
    const onehot = y.map((c) => [c === 0 ? 1 : 0, c === 1 ? 1 : 0]);
    const m = new lib.Sequential([new lib.Dense(2, 4, { init: 'randn_fan_in' }), new lib.Sigmoid(), new lib.Dense(4, 2, { init: 'randn_fan_in' }), new lib.Sigmoid()], { seed: 1 });
    m.compile({ loss: 'sse', optimizer: new lib.SGD({ lr: 0.01 }) });
    return (extra) => m.fit(x, onehot, { epochs: 500, batchSize: 200, shuffle: false, ...extra });
  },
  'mnist-mlp shape (784-64 relu-10, softmax_ce, batch 64, 6400 rows, 1 epoch)': (lib) => {
    const m = new lib.Sequential([new lib.Dense(784, 64, { init: { name: 'normal', std: 0.01 } }), new lib.ReLU(), new lib.Dense(64, 10, { init: { name: 'normal', std: 0.01 } })], { seed: 1 });
    m.compile({ loss: 'softmax_ce', optimizer: new lib.SGD({ lr: 0.1 }) });
    return (extra) => m.fit(mnistX, mnistY, { epochs: 1, batchSize: 64, shuffle: false, ...extra });
  },
};

const median = (a) => { const s = [...a].sort((p, q) => p - q); return s[s.length >> 1]; };

const variants = [];
variants.push({ name: 'this checkout', lib: await load('.'), extra: {} });
if (before) variants.push({ name: `before (${before})`, lib: await load(before), extra: {} });
else variants.push({ name: 'this checkout + no-op onBatchEnd callback', lib: variants[0].lib, extra: { callbacks: [{ onBatchEnd() {} }] } });

for (const [label, make] of Object.entries(WORKLOADS)) {
  const runs = variants.map((v) => ({ ...v, run: make(v.lib), ms: [] }));
  for (const r of runs) await r.run(r.extra); // warm-up
  for (let i = 0; i < rounds; i++) {
    for (const r of i % 2 ? [...runs].reverse() : runs) {
      const t = performance.now();
      await r.run(r.extra);
      r.ms.push(performance.now() - t);
    }
  }
  console.log(`\n${label}, ${rounds} paired rounds`);
  for (const r of runs) console.log(`  ${r.name.padEnd(48)} median ${median(r.ms).toFixed(2)} ms  (min ${Math.min(...r.ms).toFixed(2)})`);
  const ratios = runs[0].ms.map((t, i) => t / runs[1].ms[i]);
  console.log(`  median per-round ratio (first / second): ${median(ratios).toFixed(3)}`);
}
