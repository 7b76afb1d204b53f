/**
 * Fuzzing the binary parsers over mutated valid files: IDX (parseIDX, and readIDX on gzip),
 * the native model formats through Sequential.fromBytes (binary WMLP and JSON) and ONNX through
 * Sequential.fromONNX. Each target runs for a time budget (FUZZ_MS, default 2.5 s each in CI;
 * `npm run fuzz` runs minutes). The property: a parse either returns a result (a model that then
 * predicts without trouble) or throws a WasmlpError — never a raw TypeError, RangeError, a
 * protobuf error or a WebAssembly trap — and the arena ends exactly as it started.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { Dense, Flatten, LeakyReLU, Random, ReLU, Sequential, Sigmoid, Softmax, Step, Tanh, WasmlpError, Adam } from '../src/index.js';
import { encodeIDX, parseIDX, readIDX } from '../src/datasets/idx.js';
import { arenaBytesInUse } from '../src/wasm/core.js';
import { expectArenaIntact } from './helpers/hardening.js';
import { fuzzBudgetMs, mutate } from './helpers/mutate.js';

const BUDGET = fuzzBudgetMs(2500);
const SEED = Number(process.env.FUZZ_SEED ?? 20240607);
/** Cases run per target, reported at the end. */
const counts: Record<string, { cases: number; accepted: number; refused: number }> = {};

/** A parse target: its valid seed files and what to do with the bytes. */
interface Target {
  name: string;
  seeds: Uint8Array[];
  run: (bytes: Uint8Array) => unknown | Promise<unknown>;
}

/** Uses a parsed model the way a caller would: summary, a prediction, then dispose. */
function exercise(model: Sequential): void {
  try {
    model.summary();
    model.predict({ data: new Float32Array(model.inputSize), shape: [1, model.inputSize] });
  } finally {
    model.dispose();
  }
}

async function trainedModels(): Promise<Sequential[]> {
  const a = new Sequential([new Dense(3, 5), new Tanh(), new Dense(5, 2), new Softmax()], { seed: 1 });
  a.compile({ loss: 'categorical_ce', optimizer: new Adam({ lr: 0.01 }), metrics: ['accuracy'] });
  const controller = new AbortController();
  await a.fit(
    [
      [0, 1, 2],
      [1, 0, 1],
      [2, 2, 0],
      [1, 1, 1],
    ],
    [0, 1, 1, 0],
    {
      epochs: 2,
      batchSize: 2,
      signal: controller.signal,
      onBatchEnd: (_b, l) => {
        if (l.epoch === 1) controller.abort();
      },
    },
  );
  const b = new Sequential([new Flatten(), new Dense(4, 3, { useBias: false }), new LeakyReLU(0.1), new Dense(3, 2), new Step()], {
    seed: 2,
    backend: 'reference',
  });
  const c = new Sequential([new Dense(2, 3), new ReLU(), new Dense(3, 1), new Sigmoid()], { seed: 3 });
  return [a, b, c];
}

/** Runs `target` over mutations for the budget; a non-WasmlpError fails with the case's label. */
async function fuzz(target: Target): Promise<void> {
  const random = new Random(SEED);
  const bytes0 = arenaBytesInUse();
  const stats = (counts[target.name] = { cases: 0, accepted: 0, refused: 0 });
  const deadline = Date.now() + BUDGET;
  while (Date.now() < deadline) {
    const seed = target.seeds[random.int(target.seeds.length)];
    const other = target.seeds[random.int(target.seeds.length)];
    const { bytes, label } = mutate(seed, random, other);
    stats.cases++;
    try {
      await target.run(bytes);
      stats.accepted++;
    } catch (e) {
      if (!(e instanceof WasmlpError)) {
        throw new Error(`${target.name} case ${stats.cases} (${label}, seed ${SEED}) threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`, {
          cause: e,
        });
      }
      stats.refused++;
    }
  }
  expect(stats.cases).toBeGreaterThan(50);
  expect(arenaBytesInUse()).toBe(bytes0);
  expectArenaIntact();
}

describe('parser fuzzing', () => {
  afterAll(() => {
    const total = Object.values(counts).reduce((s, c) => s + c.cases, 0);
    console.log(`fuzz: ${total} cases in ${BUDGET} ms per target: ${JSON.stringify(counts)}`);
  });

  it('IDX: parseIDX on raw files', async () => {
    const seeds = [
      encodeIDX({ type: 'uint8', shape: [3, 4, 4], data: Uint8Array.from({ length: 48 }, (_, i) => i) }),
      encodeIDX({ type: 'float32', shape: [5, 3], data: Float32Array.from({ length: 15 }, (_, i) => i / 3) }),
      encodeIDX({ type: 'int16', shape: [7], data: Int16Array.of(1, -2, 3, -4, 5, -6, 7) }),
      encodeIDX({ type: 'float64', shape: [2, 2], data: Float64Array.of(1, 2, 3, 4) }),
      encodeIDX({ type: 'int32', shape: [0, 9], data: [] }),
    ];
    await fuzz({ name: 'idx', seeds, run: parseIDX });
  });

  it('IDX: readIDX on gzip files', async () => {
    const seeds = [
      new Uint8Array(gzipSync(encodeIDX({ type: 'uint8', shape: [2, 8], data: Uint8Array.from({ length: 16 }, (_, i) => i * 9) }))),
      new Uint8Array(gzipSync(encodeIDX({ type: 'int8', shape: [4], data: Int8Array.of(-1, 2, -3, 4) }))),
    ];
    await fuzz({ name: 'idx-gzip', seeds, run: readIDX });
  });

  it('native binary form (WMLP) through Sequential.fromBytes', async () => {
    const models = await trainedModels();
    const seeds = models.map((m) => m.save());
    models.forEach((m) => m.dispose());
    await fuzz({ name: 'binary', seeds, run: (bytes) => exercise(Sequential.fromBytes(bytes)) });
  });

  it('native JSON form through Sequential.fromBytes', async () => {
    const models = await trainedModels();
    const seeds = models.map((m) => new TextEncoder().encode(JSON.stringify(m.toJSON({ includeOptimizer: true }))));
    models.forEach((m) => m.dispose());
    await fuzz({ name: 'json', seeds, run: (bytes) => exercise(Sequential.fromBytes(bytes)) });
  });

  it('ONNX through Sequential.fromONNX', async () => {
    const models = await trainedModels();
    const seeds = models.map((m) => m.toONNX());
    models.forEach((m) => m.dispose());
    await fuzz({ name: 'onnx', seeds, run: (bytes) => exercise(Sequential.fromONNX(bytes)) });
  });
  it('safetensors through Sequential.fromSafetensors (PyTorch names, architecture in the metadata)', async () => {
    const models = await trainedModels();
    const seeds = models.filter((m) => !m.layers.some((l) => l instanceof Step)).map((m) => m.toPyTorch()['weights.safetensors']);
    models.forEach((m) => m.dispose());
    await fuzz({ name: 'safetensors', seeds, run: (bytes) => exercise(Sequential.fromSafetensors(bytes)) });
  });

  it('TensorFlow.js model.json through Sequential.fromTFJS', async () => {
    const models = await trainedModels();
    const exports = models.filter((m) => !m.layers.some((l) => l instanceof Step)).map((m) => m.toTFJS());
    models.forEach((m) => m.dispose());
    const seeds = exports.map((f) => f['model.json']);
    const weights = exports.map((f) => f['weights.bin']);
    const decoder = new TextDecoder();
    // The mutated model.json is tried with each seed's weights: accepted when one fits, else the last refusal.
    const run = (bytes: Uint8Array) => {
      let refusal: unknown = null;
      for (const w of weights) {
        try {
          return exercise(Sequential.fromTFJS(decoder.decode(bytes), w));
        } catch (e) {
          if (!(e instanceof WasmlpError)) throw e;
          refusal = e;
        }
      }
      throw refusal;
    };
    await fuzz({ name: 'tfjs', seeds, run });
  });
});
