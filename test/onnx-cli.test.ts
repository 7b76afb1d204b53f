// `wasmlp export` / `wasmlp import`, and `wasmlp predict --model` taking JSON, binary or ONNX.
// Spawns node bin/wasmlp.js, which runs dist/: run `npm run build:ts` first.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { Dense, Sequential, Softmax, Tanh, scaledError } from '../src/index.js';
import { wasmlp } from './helpers/cli.js';

const fixture = new URL('../../shared/fixtures/onnx/onnx_relu_2_8_1.onnx', import.meta.url).pathname;

function predictions(csv: string): number[] {
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .flatMap((line) => line.split(',').slice(1).map(Number));
}

describe('wasmlp export / import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmlp-onnx-cli-'));
  const rows = [
    [0.5, -1, 2],
    [1, 1, 1],
    [-2, 0.25, 0],
  ];
  writeFileSync(join(dir, 'x.csv'), `a,b,c\n${rows.map((r) => r.join(',')).join('\n')}\n`);

  it('exports a JSON model to ONNX that onnxruntime runs to the same outputs, and predict reads every format', async () => {
    const model = new Sequential([new Dense(3, 5), new Tanh(), new Dense(5, 3), new Softmax()], { seed: 8 });
    model.compile({ loss: 'categorical_ce' });
    writeFileSync(join(dir, 'model.json'), JSON.stringify(model));
    await model.save(join(dir, 'model.wasmlp'));
    const want = model.predict(rows).flat();
    model.dispose();

    const r = await wasmlp('export', '--model', join(dir, 'model.json'), '--onnx', join(dir, 'model.onnx'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote .*model\.onnx .*opset 13/);
    const session = await ort.InferenceSession.create(readFileSync(join(dir, 'model.onnx')));
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from(rows.flat()), [3, 3]) });
    expect(scaledError(out.y.data as Float32Array, want)).toBeLessThan(1e-5);

    for (const file of ['model.json', 'model.wasmlp', 'model.onnx']) {
      const p = await wasmlp('predict', '--model', join(dir, file), '--input', join(dir, 'x.csv'));
      expect(p.code).toBe(0);
      expect(scaledError(predictions(p.stdout), want)).toBeLessThan(1e-5);
    }
  });

  it('imports a PyTorch ONNX file to JSON and to the binary form', async () => {
    for (const out of ['relu.json', 'relu.wasmlp']) {
      const r = await wasmlp('import', fixture, '--out', join(dir, out));
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Dense → relu → Dense');
    }
    expect(JSON.parse(readFileSync(join(dir, 'relu.json'), 'utf8'))).toMatchObject({ format: 'wasmlp-model', version: 2 });
    const fromJSON = Sequential.fromJSON(readFileSync(join(dir, 'relu.json'), 'utf8'));
    const fromBinary = await Sequential.load(join(dir, 'relu.wasmlp'));
    const fromOnnx = Sequential.fromONNX(new Uint8Array(readFileSync(fixture)));
    expect(fromJSON.predict([[0.3, -0.7]])).toEqual(fromOnnx.predict([[0.3, -0.7]]));
    expect(fromBinary.predict([[0.3, -0.7]])).toEqual(fromOnnx.predict([[0.3, -0.7]]));
    for (const m of [fromJSON, fromBinary, fromOnnx]) m.dispose();
  });

  it('exits 2 with the error class for an unsupported or unreadable file', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"format":"wasmlp-model","version":7}');
    const bad = await wasmlp('export', '--model', join(dir, 'bad.json'), '--onnx', join(dir, 'bad.onnx'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/ConfigError: .*version 7 is not supported/);
    const missing = await wasmlp('import', join(dir, 'nope.onnx'), '--out', join(dir, 'x.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.onnx/);
  });
});
