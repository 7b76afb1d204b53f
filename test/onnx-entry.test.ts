// The ONNX code loads apart from the rest: onnx-codec.ts (over loader.ts) refuses synchronous use before it is
// loaded (what a browser page sees before importing 'wasmlp/onnx'), loadONNX() loads it, and
// the wasmlp/onnx entry's functions round-trip a model like the Sequential methods.
import { describe, expect, it } from 'vitest';

describe('ONNX loading', () => {
  it('refuses synchronous use before the code is loaded, then loads it once', async () => {
    const loader = await import('../src/io/onnx/loader.js');
    const { onnxCodec } = await import('../src/io/onnx/onnx-codec.js');
    const { StateError } = await import('../src/errors.js');
    expect(loader.onnxLoaded()).toBe(false);
    expect(() => onnxCodec('toONNX')).toThrow(StateError);
    expect(() => onnxCodec('toONNX')).toThrow(/toONNX: the ONNX code is not loaded: import 'wasmlp\/onnx'/);
    await Promise.all([loader.loadONNX(), loader.loadONNX()]);
    expect(loader.onnxLoaded()).toBe(true);
    expect(loader.installedONNX()).not.toBeNull();
    const codec = onnxCodec('toONNX');
    await loader.loadONNX();
    expect(onnxCodec('fromONNX')).toBe(codec);
    expect(typeof codec.recordToONNX).toBe('function');
  });

  it('wasmlp/onnx exports toONNX / fromONNX that match the methods', async () => {
    const onnx = await import('../src/onnx.js');
    const { Dense, Sequential, Tanh, EXPORT_OPSET } = await import('../src/index.js');
    expect(onnx.EXPORT_OPSET).toBe(EXPORT_OPSET);
    const model = new Sequential([new Dense(3, 4), new Tanh(), new Dense(4, 2)], { seed: 5 });
    const bytes = onnx.toONNX(model);
    expect(bytes).toEqual(model.toONNX());
    expect(await model.exportONNX()).toEqual(bytes);
    const back = onnx.fromONNX(bytes);
    const viaAsync = await Sequential.importONNX(bytes);
    const x = [
      [0.1, -0.2, 0.3],
      [1, 2, -3],
    ];
    expect(back.predict(x)).toEqual(model.predict(x));
    expect(viaAsync.predict(x)).toEqual(model.predict(x));
    for (const m of [model, back, viaAsync]) m.dispose();
  });
});
