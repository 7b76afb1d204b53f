/**
 * What does fit's loop cost on top of the engine's steps? Times, in one process and
 * alternating round by round (paired, so a noisy neighbour slows all alike):
 *   - `fit`: model.fit as a user calls it (no callbacks: the multi-step path, src/model/fit-epoch.ts),
 *   - `fit per-step`: the same fit with a no-op onBatchEnd (the per-step loop, one trainStep call per batch),
 *   - `steps only`: the same steps straight through the engine (engine.trainStep in a JavaScript loop,
 *     data loaded once, no fit around them) — the "step-only rate" of the target,
 * and prints each one's median and the medians of the per-round ratios fit ÷ steps only and
 * fit per-step ÷ steps only (≥ 0.85 is the target for fit).
 *
 *   node bench/fit-overhead.js [--rounds 15] [--only moons-small,xor] [--before /path/to/other/checkout]
 *
 * With --before, the other checkout's fit (its own dist/ and build/: npm run build there) is
 * timed as a fourth variant, and the ratio fit ÷ before is printed too.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const rounds = Number(opt('--rounds', 15));
const before = opt('--before', null);
const only = opt('--only', null)?.split(',');

async function load(root) {
  return import(pathToFileURL(resolve(root, 'dist/index.js')).href);
}

/** Deterministic pseudo-random rows in [-0.5, 0.5). */
function rows(n, cols, seed) {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => Array.from({ length: cols }, () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5));
}

// mnist as the suite passes it: typed { data, shape } (nested rows would time fit's conversion of 5 M numbers).
const mnistX = { data: Float32Array.from(rows(6400, 784, 1).flat()), shape: [6400, 784] };
const mnistY = { data: Float32Array.from({ length: 64000 }, (_, k) => (k % 10 === Math.floor(k / 10) % 10 ? 1 : 0)), shape: [6400, 10] };
const flower = (() => {
  const r = rows(400, 2, 7);
  return { x: r.map(([a, b]) => [4 * a, 4 * b]), y: r.map(([a, b]) => [Math.sin(8 * a) * Math.cos(8 * b) > 0 ? 1 : 0]) };
})();

/**
 * The workloads (../shared/WORKLOADS.md shapes, fewer epochs): for one library module, the
 * model's layers, compile options, x, y (rows of targets) and fit options.
 */
const WORKLOADS = {
  'xor (2-4 tanh-1 sigmoid, mse, full batch 4, 5000 epochs)': (lib) => ({
    layers: [
      new lib.Dense(2, 4, { init: { name: 'randn', scale: 0.5 } }),
      new lib.Tanh(),
      new lib.Dense(4, 1, { init: { name: 'randn', scale: 0.5 } }),
      new lib.Sigmoid(),
    ],
    compile: { loss: 'mse', optimizer: new lib.SGD({ lr: 0.5 }) },
    x: [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ],
    y: [[0], [1], [1], [0]],
    fit: { epochs: 5000, batchSize: 4, shuffle: false },
  }),
  'moons-small (2-4-2 sigmoid, sse, full batch 200, 2000 epochs)': (lib) => {
    const { x, y } = lib.datasets.moons({ n: 200, noise: 0.2, seed: 0 });
    return {
      layers: [new lib.Dense(2, 4, { init: 'randn_fan_in' }), new lib.Sigmoid(), new lib.Dense(4, 2, { init: 'randn_fan_in' }), new lib.Sigmoid()],
      compile: { loss: 'sse', optimizer: new lib.SGD({ lr: 0.01 }) },
      x,
      y: y.map((c) => [c === 0 ? 1 : 0, c === 1 ? 1 : 0]),
      fit: { epochs: 2000, batchSize: 200, shuffle: false },
    };
  },
  'flower shape (2-4 tanh-1, bce_logits, full batch 400, 2000 epochs)': (lib) => ({
    layers: [new lib.Dense(2, 4, { init: { name: 'randn', scale: 0.01 } }), new lib.Tanh(), new lib.Dense(4, 1, { init: { name: 'randn', scale: 0.01 } })],
    compile: { loss: 'bce_logits', optimizer: new lib.SGD({ lr: 1 }) },
    x: flower.x,
    y: flower.y,
    fit: { epochs: 2000, batchSize: 400, shuffle: false },
  }),
  'moons-deep (2-64-32-16-1, mse, full batch 1000, 100 epochs)': (lib) => {
    const { x, y } = lib.datasets.moons({ n: 1000, noise: 0.2, seed: 666 });
    const randn = { name: 'randn', scale: 1 };
    return {
      layers: [
        new lib.Dense(2, 64, { init: randn }),
        new lib.ReLU(),
        new lib.Dense(64, 32, { init: randn }),
        new lib.Sigmoid(),
        new lib.Dense(32, 16, { init: randn }),
        new lib.Sigmoid(),
        new lib.Dense(16, 1, { init: randn }),
        new lib.Sigmoid(),
      ],
      compile: { loss: 'mse', optimizer: new lib.SGD({ lr: 0.8 }) },
      x,
      y: y.map((v) => [v]),
      fit: { epochs: 100, batchSize: 1000, shuffle: false },
    };
  },
  'mnist-mlp shape (784-64 relu-10, softmax_ce, batch 64, 6400 rows, 1 epoch)': (lib) => ({
    layers: [new lib.Dense(784, 64, { init: { name: 'normal', std: 0.01 } }), new lib.ReLU(), new lib.Dense(64, 10, { init: { name: 'normal', std: 0.01 } })],
    compile: { loss: 'softmax_ce', optimizer: new lib.SGD({ lr: 0.1 }) },
    x: mnistX,
    y: mnistY,
    fit: { epochs: 1, batchSize: 64, shuffle: false },
  }),
};

const median = (a) => {
  const s = [...a].sort((p, q) => p - q);
  return s[s.length >> 1];
};

/** A variant's timed call for workload `make` on library `lib`: a fresh model each round, built outside the timing. */
function variant(name, lib, make, kind) {
  return {
    name,
    ms: [],
    prepare() {
      const w = make(lib);
      const model = new lib.Sequential(w.layers, { seed: 1 });
      model.compile(w.compile);
      if (kind !== 'steps') return { model, run: () => model.fit(w.x, w.y, kind === 'per-step' ? { ...w.fit, onBatchEnd() {} } : w.fit) };
      // The same steps straight through the engine, as src/bench/run-wasmlp.ts's coreRate.
      const engine = model.liveEngine;
      const flat = (m) => (m.data ? m.data : Float64Array.from(m.flat()));
      const n = w.x.shape ? w.x.shape[0] : w.x.length,
        b = Math.min(w.fit.batchSize, n);
      const data = engine.loadData(flat(w.x), flat(w.y), n);
      return {
        model,
        run: async () => {
          for (let e = 0; e < w.fit.epochs; e++) for (let r = 0; r < n; r += b) engine.trainStep(data, r, Math.min(b, n - r));
        },
      };
    },
  };
}

const lib = await load('.');
const beforeLib = before ? await load(before) : null;
for (const [label, make] of Object.entries(WORKLOADS)) {
  if (only && !only.some((o) => label.startsWith(o))) continue;
  const runs = [
    variant('fit', lib, make, 'fit'),
    variant('fit per-step (no-op onBatchEnd)', lib, make, 'per-step'),
    variant('steps only (engine.trainStep loop)', lib, make, 'steps'),
  ];
  if (beforeLib) runs.push(variant(`fit before (${before})`, beforeLib, make, 'fit'));
  for (const r of runs) {
    const p = r.prepare();
    await p.run();
    await p.run();
    p.model.dispose();
  } // warm-up
  for (let i = 0; i < rounds; i++) {
    for (const r of i % 2 ? [...runs].reverse() : runs) {
      const p = r.prepare();
      const t = performance.now();
      await p.run();
      r.ms.push(performance.now() - t);
      p.model.dispose();
    }
  }
  console.log(`\n${label}, ${rounds} paired rounds`);
  for (const r of runs) console.log(`  ${r.name.padEnd(48)} median ${median(r.ms).toFixed(2)} ms  (min ${Math.min(...r.ms).toFixed(2)})`);
  // Rates are inverse times: the rate ratio a ÷ b is b's time ÷ a's, per round.
  const share = (a, b) => median(a.ms.map((t, i) => b.ms[i] / t)).toFixed(3);
  console.log(`  fit rate ÷ steps-only rate (median per round): ${share(runs[0], runs[2])}`);
  console.log(`  per-step fit rate ÷ steps-only rate:           ${share(runs[1], runs[2])}`);
  if (beforeLib) console.log(`  fit rate ÷ before's fit rate:                  ${share(runs[0], runs[3])}`);
}
