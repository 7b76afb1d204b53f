/**
 * Loading builds exactly one engine holding the saved weights: the layers are lowered once, no
 * initial weights are drawn (and thrown away), no second engine is allocated and freed. Counted
 * through spies on the backend switch, the initializers and the lowering, in every load path.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const counts = vi.hoisted(() => ({ engines: 0, draws: 0, lowerings: 0 }));

vi.mock('../src/backends.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/backends.js')>();
  return {
    ...m,
    createEngine: (...a: Parameters<typeof m.createEngine>) => {
      counts.engines++;
      return m.createEngine(...a);
    },
  };
});
vi.mock('../src/initializers.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/initializers.js')>();
  return {
    ...m,
    initialize: (...a: Parameters<typeof m.initialize>) => {
      counts.draws++;
      return m.initialize(...a);
    },
  };
});
vi.mock('../src/model/lower.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/model/lower.js')>();
  return {
    ...m,
    lower: (...a: Parameters<typeof m.lower>) => {
      counts.lowerings++;
      return m.lower(...a);
    },
  };
});

const { Dense, ReLU, Sequential, Softmax, ValueError } = await import('../src/index.js');
type Model = InstanceType<typeof Sequential>;

const x = [
  [0.1, -0.4, 0.7],
  [1.2, 0.3, -0.5],
  [-0.8, 0.9, 0.2],
  [0.5, 0.5, -1.1],
];
const y = [0, 1, 2, 1];

function reset(): void {
  counts.engines = 0;
  counts.draws = 0;
  counts.lowerings = 0;
}

describe.each(['wasm', 'reference'] as const)('loading on %s', (backend) => {
  const trained = new Sequential([new Dense(3, 5), new ReLU(), new Dense(5, 3), new Softmax()], { seed: 7, backend });
  trained.compile({ loss: 'categorical_ce', optimizer: 'adam', metrics: ['accuracy'] });
  const files = async () => {
    await trained.fit(x, y, { epochs: 2, batchSize: 2 });
    return { json: trained.toJSON({ includeOptimizer: true }), binary: trained.save(), onnx: trained.toONNX() };
  };
  const loaded = files();
  const uncompiled = new Sequential([new Dense(3, 2)], { seed: 3, backend });
  beforeEach(reset);

  it('the spies see a model built by hand: one lowering, one engine, a draw per tensor', () => {
    const m = new Sequential([new Dense(3, 4), new ReLU(), new Dense(4, 2)], { backend });
    expect(counts).toEqual({ engines: 1, draws: 4, lowerings: 1 });
    m.dispose();
  });

  const paths: [string, (f: Awaited<typeof loaded>) => Model | Promise<Model>][] = [
    ['fromJSON with training state', (f) => Sequential.fromJSON(f.json)],
    ['fromJSON of the JSON text', (f) => Sequential.fromJSON(JSON.stringify(f.json))],
    ['fromBytes of the binary form', (f) => Sequential.fromBytes(f.binary)],
    ['load of the binary form', (f) => Sequential.load(f.binary)],
    ['fromBytes of the JSON form', (f) => Sequential.fromBytes(new TextEncoder().encode(JSON.stringify(f.json)))],
    ['fromONNX', (f) => Sequential.fromONNX(f.onnx, { backend })],
    ['fromBytes of ONNX', (f) => Sequential.fromBytes(f.onnx, { backend })],
  ];
  it.each(paths)('%s: one lowering, one engine, no initial weights drawn', async (_, load) => {
    const f = await loaded;
    reset();
    const m = await load(f);
    expect(counts).toEqual({ engines: 1, draws: 0, lowerings: 1 });
    expect(m.backend).toBe(backend);
    const want = trained.predict(x);
    const got = m.predict(x);
    // ONNX stores float32: exact on wasm, float32-rounded weights on the reference backend.
    if (backend === 'wasm' || !_.includes('ONNX')) expect(got).toEqual(want);
    else got.flat().forEach((v, i) => expect(v).toBeCloseTo(want.flat()[i], 5));
    m.dispose();
  });

  it('an uncompiled model: one engine too', () => {
    const doc = uncompiled.toJSON();
    reset();
    const m = Sequential.fromJSON(doc);
    expect(counts).toEqual({ engines: 1, draws: 0, lowerings: 1 });
    expect(m.compiled).toBe(false);
    expect(m.getWeights()).toEqual(uncompiled.getWeights());
    m.dispose();
  });

  it('the adopted engine holds the optimiser and shuffle state: a resumed fit matches the original', async () => {
    const f = await loaded;
    const resumed = Sequential.fromBytes(f.binary);
    await resumed.fit(x, y, { epochs: 1, batchSize: 2 });
    await trained.fit(x, y, { epochs: 1, batchSize: 2 });
    expect(resumed.getWeights()).toEqual(trained.getWeights());
    resumed.dispose();
  });

  it('a bad weight is refused before any engine exists', async () => {
    const f = await loaded;
    const doc = structuredClone(f.json);
    doc.weights[1].shape = [9];
    reset();
    expect(() => Sequential.fromJSON(doc)).toThrow(ValueError);
    expect(counts.engines).toBe(0);
  });
});
