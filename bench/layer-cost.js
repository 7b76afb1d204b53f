/**
 * What a Dropout or a BatchNorm layer costs per training step. Times one epoch of fit (100
 * steps of batch 64 over 6,400 rows of 784 features) of three models that differ only in what
 * follows the hidden Dense: nothing, Dropout(0.2), BatchNorm(256). Rounds alternate the models
 * (paired, so a noisy neighbour slows all alike); prints each model's median time per step and
 * the median of the per-round ratios to the plain model.
 *
 *   node bench/layer-cost.js [--rounds 15] [--backend wasm|reference]
 *
 * Uses the built library (dist/, build/: npm run build).
 */
import { BatchNorm, Dense, Dropout, ReLU, SGD, Sequential } from '../dist/index.js';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const rounds = Number(opt('--rounds', 15));
const backend = opt('--backend', 'wasm');
const ROWS = 6400;
const BATCH = 64;
const HIDDEN = 256;

/** Deterministic pseudo-random rows in [-0.5, 0.5). */
function rows(n, cols, seed) {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => Array.from({ length: cols }, () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5));
}
// A typed tensor, so each fit's input check and copy are a memory pass, not a walk over nested arrays.
const x = { data: Float32Array.from(rows(ROWS, 784, 1).flat()), shape: [ROWS, 784] };
const y = Array.from({ length: ROWS }, (_, i) => i % 10);

/** The layer after the hidden Dense, by variant name. */
const MIDDLE = {
  plain: () => [],
  'Dropout(0.2)': () => [new Dropout(0.2)],
  [`BatchNorm(${HIDDEN})`]: () => [new BatchNorm(HIDDEN)],
};

const median = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];

const runs = Object.entries(MIDDLE).map(([name, middle]) => {
  const m = new Sequential([new Dense(784, HIDDEN), ...middle(), new ReLU(), new Dense(HIDDEN, 10)], { seed: 1, backend });
  m.compile({ loss: 'softmax_ce', optimizer: new SGD({ lr: 0.05 }) });
  return { name, fit: () => m.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: true }), ms: [] };
});
for (const r of runs) await r.fit(); // warm-up
for (let i = 0; i < rounds; i++) {
  for (const r of i % 2 ? [...runs].reverse() : runs) {
    const t = performance.now();
    await r.fit();
    r.ms.push(performance.now() - t);
  }
}
const steps = Math.ceil(ROWS / BATCH);
console.log(`784-${HIDDEN}-10 on ${backend}, batch ${BATCH}, ${steps} steps per fit, ${rounds} paired rounds`);
for (const r of runs) {
  const ratio = median(r.ms.map((t, i) => t / runs[0].ms[i]));
  const perStep = (median(r.ms) / steps) * 1000;
  const extra = ((median(r.ms) - median(runs[0].ms)) / steps) * 1000;
  console.log(`  ${r.name.padEnd(16)} ${perStep.toFixed(1)} µs/step  ×${ratio.toFixed(3)} of plain  (${extra >= 0 ? '+' : ''}${extra.toFixed(1)} µs/step)`);
}
