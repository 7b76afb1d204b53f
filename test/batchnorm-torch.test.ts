// wasmlp's own PyTorch-made BatchNorm cases (scripts/gen-batchnorm-fixtures.py wrote them; no
// Python needed here): two BatchNorm layers with non-default momentum and eps, mini-batches with
// a smaller last batch, weight decay with and without gamma/beta, replayed through the public
// API on both backends; and a PyTorch ONNX export with BatchNormalization read by fromONNX.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BatchNorm, checkFixture, FIXTURE_TOLERANCE, scaledError, Sequential } from '../src/index.js';

const dir = new URL('./fixtures/', import.meta.url);
const read = (name: string) => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
const FILES = ['batchnorm_two_layers_adam_wd.json', 'batchnorm_sgd_momentum_wd.json'];

describe('PyTorch BatchNorm1d cases', () => {
  for (const file of FILES) {
    for (const backend of ['reference', 'wasm'] as const) {
      it(`${file} on ${backend}`, async () => {
        const fixture = read(file);
        const report = await checkFixture(fixture, backend);
        const detail = report.fields.map((f) => `${f.field}=${f.worst.toExponential(2)}`).join(' ');
        console.log(`${file} [${backend}] ${detail}`);
        expect(report.fields.map((f) => f.field)).toEqual(expect.arrayContaining(['grads_step0', 'after_step0', 'per_step', 'final', 'forward_final']));
        expect(report.worst, detail).toBeLessThanOrEqual(FIXTURE_TOLERANCE[backend]);
      });
    }
  }

  it('the cases are what they claim: two BatchNorms with non-default settings, a short last batch', () => {
    const f = read(FILES[0]);
    const bns = f.layers.filter((l: { type: string }) => l.type === 'batchnorm');
    expect(bns).toHaveLength(2);
    expect(bns.map((l: { momentum: number }) => l.momentum)).toEqual([0.3, 0.05]);
    expect(f.x.length % f.batch_size).not.toBe(0);
    // Training moved the running estimates (so evaluation mode is really tested).
    expect(f.final.bn1_running_var).not.toEqual(f.initial.bn1_running_var);
  });

  it.each(['reference', 'wasm'] as const)("fromONNX reads PyTorch's BatchNormalization (%s)", (backend) => {
    const bytes = new Uint8Array(readFileSync(new URL('batchnorm_torch.onnx', dir)));
    const { x, y }: { x: number[][]; y: number[][] } = read('batchnorm_torch.onnx.json');
    const model = Sequential.fromONNX(bytes, { backend });
    const bn = model.layers.find((l) => l instanceof BatchNorm) as BatchNorm;
    expect(bn).toBeDefined();
    expect(bn.momentum).toBe(0.5);
    expect(bn.eps).toBe(1e-5);
    // y is PyTorch's own float32 output: a few f32 roundings away from the exact value.
    expect(scaledError(model.predict(x).flat(), y.flat())).toBeLessThan(1e-6);
    model.dispose();
  });
});
