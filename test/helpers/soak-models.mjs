// The soak run, in its own process so that it can call gc() (node --expose-gc): creates, trains
// (two steps), serialises (binary and JSON; every 10th model is loaded back) and disposes
// `count` models, and prints one JSON line of measurements taken after a full GC at the end of
// the warm-up and at the end: wasm memory bytes, arena bytes in use, RSS and JS heap used.
// Usage: node --expose-gc test/helpers/soak-models.mjs COUNT WARMUP (runs the built dist/).
import { Adam, Dense, ReLU, Sequential, Softmax } from '../../dist/index.js';
import { arenaBytesInUse, arenaCheck, wasmMemoryBytes } from '../../dist/wasm/core.js';

const count = Number(process.argv[2] ?? 10000);
const warmup = Number(process.argv[3] ?? 1000);
const x = Array.from({ length: 16 }, (_, i) => [Math.sin(i), Math.cos(i), i / 16, (i % 3) - 1]);
const y = x.map((_, i) => i % 3);

function measure() {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return { wasm: wasmMemoryBytes(), arena: arenaBytesInUse(), rss: m.rss, heap: m.heapUsed };
}

const start = { wasm: wasmMemoryBytes(), arena: arenaBytesInUse() };
let warm = null;
let bytes = 0;
for (let i = 0; i < count; i++) {
  if (i === warmup) warm = measure();
  if (process.env.SOAK_TRACE && i % 2000 === 0) console.error(i, JSON.stringify(measure()));
  const model = new Sequential([new Dense(4, 16), new ReLU(), new Dense(16, 3), new Softmax()], { seed: i });
  model.compile({ loss: 'categorical_ce', optimizer: new Adam({ lr: 0.01 }) });
  await model.fit(x, y, { epochs: 1, batchSize: 8 });
  const saved = model.save();
  const json = JSON.stringify(model.toJSON({ includeOptimizer: true }));
  bytes += saved.length + json.length;
  if (i % 10 === 0) Sequential.fromBytes(saved).dispose();
  model.dispose();
}
const end = measure();
console.log(JSON.stringify({ count, warmup, start, warm, end, serialisedBytes: bytes, arenaCheck: arenaCheck() }));
