// ONNX import of PyTorch exports: every NAME.onnx in ../shared/fixtures/onnx/ is rebuilt from the
// file alone and must reproduce PyTorch's outputs `y` for the inputs `x` (f32 bound), on both
// backends; the imported model must then train further.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sequential, scaledError } from '../src/index.js';

const dir = new URL('../../shared/fixtures/onnx/', import.meta.url).pathname;
const names = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.onnx'))
      .map((f) => f.slice(0, -5))
      .sort()
  : [];
const BOUND = 1e-5;

interface OnnxFixture {
  x: unknown;
  y: number[][];
  layers: { type: string }[];
  opset: number;
}

describe('ONNX fixtures exported by PyTorch', () => {
  it('finds the fixture directory', () => {
    expect(names.length).toBeGreaterThan(0);
  });

  describe.each(names)('%s', (name) => {
    const bytes = new Uint8Array(readFileSync(join(dir, `${name}.onnx`)));
    const fixture = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as OnnxFixture;
    const expected = fixture.y.flat();

    it.each(['wasm', 'reference'] as const)('imports and reproduces y on %s', (backend) => {
      const model = Sequential.fromONNX(bytes, { backend });
      const got = model.predict(fixture.x as number[][]).flat();
      const err = scaledError(got, expected);
      console.log(`onnx fixture ${name} [${backend}] max scaled error vs PyTorch: ${err.toExponential(2)}`);
      expect(err).toBeLessThan(BOUND);
      expect(model.layers.filter((l) => l.className === 'Dense').length).toBe(fixture.layers.filter((l) => l.type === 'dense').length);
      model.dispose();
    });

    it('trains further after import', async () => {
      const model = Sequential.fromONNX(bytes, { backend: 'wasm', seed: 1 });
      const x = fixture.x as number[][];
      const y = fixture.y.map((row) => row.map((v) => v * 0.5));
      // Full-batch gradient descent with a small rate must lower a smooth loss.
      model.compile({ loss: 'mse', optimizer: { type: 'sgd', lr: 0.01 } });
      const before = model.evaluate(x, y).loss;
      await model.fit(x, y, { epochs: 5, batchSize: x.length });
      expect(model.evaluate(x, y).loss).toBeLessThan(before);
      model.dispose();
    });
  });
});
