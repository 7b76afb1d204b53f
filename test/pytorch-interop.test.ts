/**
 * The PyTorch package against real PyTorch (/usr/bin/python3 with Debian's python3-torch and
 * python3-numpy): the exported model predicts what wasmlp predicts; train.py's full-batch run
 * equals wasmlp's fit with the same settings (reference backend in float64 against torch in
 * float64); 2 processes (DDP, gloo, each half of every batch) give the same weights as one; the
 * result loads back. Skips, saying so, only when python3 or torch is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchNorm, Dense, Dropout, LeakyReLU, ReLU, Sequential, Softmax, Tanh, type CompileOptions } from '../src/index.js';

const PYTHON = '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
const hasTorch = probe.status === 0;
if (!hasTorch)
  console.warn(
    `pytorch-interop: skipped: ${PYTHON} with torch and numpy is missing (apt-get install python3-torch python3-numpy): ${probe.error?.message ?? probe.stderr}`,
  );

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function writePackage(files: Record<string, Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wasmlp-torch-'));
  dirs.push(dir);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}

function python(dir: string, args: string[]): string {
  const r = spawnSync(PYTHON, args, { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`python ${args.join(' ')} failed (${r.status}): ${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

function data(n: number, inputs: number, outputs: number): { x: number[][]; y: number[][] } {
  const x = Array.from({ length: n }, (_, i) => Array.from({ length: inputs }, (_, j) => Math.sin(i * 1.3 + j * 0.7) * 1.5));
  const y = x.map((r) =>
    Array.from({ length: outputs }, (_, k) => (outputs === 1 ? Number(r[0] * r[1] > 0) : Number(k === Math.round(Math.abs(r[0] * 2)) % outputs))),
  );
  return { x, y };
}

function maxScaledError(a: number[][], b: number[][]): number {
  let worst = 0;
  a.forEach((row, i) =>
    row.forEach((v, j) => {
      worst = Math.max(worst, Math.abs(v - b[i][j]) / Math.max(1, Math.abs(b[i][j])));
    }),
  );
  return worst;
}

function flatWeights(m: Sequential): number[] {
  return m.getWeights().flatMap((w) => (Array.isArray(w[0]) ? (w as number[][]).flat() : (w as number[])));
}

describe.skipIf(!hasTorch)('PyTorch package with real PyTorch', () => {
  it('the exported model predicts what wasmlp predicts (f32 bound), BatchNorm and Dropout included', () => {
    const model = new Sequential(
      [
        new Dense(3, 8),
        new BatchNorm(8, { momentum: 0.2, eps: 1e-4 }),
        new Tanh(),
        new Dropout(0.3),
        new Dense(8, 4),
        new LeakyReLU(0.05),
        new Dense(4, 3),
        new Softmax(),
      ],
      { seed: 3 },
    );
    const { x } = data(16, 3, 3);
    // Move the running estimates away from 0 / 1 so they matter.
    const w = model.getWeights();
    w[2] = Array.from({ length: 8 }, (_, i) => 0.5 + i * 0.1) as never;
    w[3] = Array.from({ length: 8 }, (_, i) => -0.2 + i * 0.05) as never;
    w[4] = Array.from({ length: 8 }, (_, i) => 0.1 * i) as never;
    w[5] = Array.from({ length: 8 }, (_, i) => 0.5 + 0.2 * i) as never;
    model.setWeights(w as never);
    const dir = writePackage(model.toPyTorch());
    writeFileSync(join(dir, 'x.json'), JSON.stringify(x));
    const out = python(dir, [
      '-c',
      'import json, torch; from model import load_model; x = torch.tensor(json.load(open("x.json")), dtype=torch.float32); print(json.dumps(load_model()(x).tolist()))',
    ]);
    const err = maxScaledError(JSON.parse(out), model.predict(x) as number[][]);
    console.log(`pytorch predict: max scaled error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-5);
    model.dispose();
  }, 60_000);

  const cases: { name: string; layers: () => Sequential; compile: CompileOptions; outputs: number; epochs: number; batchSize: number }[] = [
    {
      name: 'SGD Nesterov, weight decay on weights only, cosine with warm-up, norm clipping, mse, full batch',
      layers: () => new Sequential([new Dense(4, 6), new Tanh(), new Dense(6, 2)], { seed: 5, backend: 'reference' }),
      compile: {
        loss: 'mse',
        optimizer: { type: 'sgd', lr: 0.2, momentum: 0.9, nesterov: true, weightDecay: 1e-2, decayBiases: false },
        schedule: { type: 'cosine', tMax: 4, warmup: 1 },
        clipGradNorm: 0.5,
      },
      outputs: 2,
      epochs: 6,
      batchSize: 64,
    },
    {
      name: 'Adam with amsgrad, one-cycle per batch, value clipping, softmax_ce, 3 batches per epoch',
      layers: () => new Sequential([new Dense(4, 8), new ReLU(), new Dense(8, 3)], { seed: 6, backend: 'reference' }),
      compile: {
        loss: 'softmax_ce',
        optimizer: { type: 'adam', lr: 0.01, amsgrad: true, weightDecay: 1e-3 },
        schedule: { type: 'onecycle', maxLr: 0.05, totalSteps: 12 },
        clipValue: 0.05,
      },
      outputs: 3,
      epochs: 4,
      batchSize: 22,
    },
  ];

  for (const c of cases) {
    it(`train.py equals wasmlp's fit (f64), on 1 and 2 processes, and loads back: ${c.name}`, async () => {
      const model = c.layers();
      model.compile(c.compile);
      const { x, y } = data(64, 4, c.outputs);
      const dir = writePackage(model.toPyTorch({ epochs: c.epochs, batchSize: c.batchSize, shuffle: false }));
      writeFileSync(join(dir, 'data.csv'), x.map((r, i) => [...r, ...y[i]].map((v) => v.toPrecision(17)).join(',')).join('\n') + '\n');
      await model.fit(x, y, { epochs: c.epochs, batchSize: c.batchSize, shuffle: false });
      python(dir, ['train.py', '--data', 'data.csv', '--out', 'one.safetensors', '--quiet']);
      python(dir, ['train.py', '--data', 'data.csv', '--out', 'two.safetensors', '--quiet', '--nproc', '2']);
      const one = Sequential.fromSafetensors(readFileSync(join(dir, 'one.safetensors')), { backend: 'reference' });
      const two = Sequential.fromSafetensors(readFileSync(join(dir, 'two.safetensors')), { backend: 'reference' });
      const want = flatWeights(model);
      const errOne = Math.max(...flatWeights(one).map((v, i) => Math.abs(v - want[i])));
      const oneW = flatWeights(one);
      const errTwo = Math.max(...flatWeights(two).map((v, i) => Math.abs(v - oneW[i])));
      console.log(`pytorch train (${c.name}): |torch - wasmlp| ${errOne.toExponential(2)}, |2 processes - 1| ${errTwo.toExponential(2)}`);
      expect(errOne).toBeLessThan(1e-9);
      expect(errTwo).toBeLessThan(1e-12);
      // Compiled again from the file's metadata: training can go on in wasmlp.
      expect(one.compiled).toBe(true);
      expect(maxScaledError(one.predict(x) as number[][], model.predict(x) as number[][])).toBeLessThan(1e-9);
      [model, one, two].forEach((m) => m.dispose());
    }, 120_000);
  }
});
