/**
 * The optional parts (model/parts.ts) outside Node's preload: this file imports the modules
 * directly, not the `wasmlp` entry, so nothing is loaded until it asks, as on a browser page.
 * Synchronous calls that need a part refuse with a StateError naming the preload call; preload
 * loads the part, after which the same calls work.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, referenceLoaded } from '../src/backends.js';
import { ConfigError, StateError } from '../src/errors.js';
import { onnxLoaded } from '../src/io/onnx/loader.js';
import { Dense, Sigmoid } from '../src/model/layers.js';
import { loadPart, part, partLoaded, preload, PARTS } from '../src/model/parts.js';
import { Sequential } from '../src/model/sequential.js';
import { ready } from '../src/wasm/core.js';

describe('lazy parts, before and after preload', () => {
  it('refuse sync use until loaded, then work', async () => {
    await ready();
    for (const p of PARTS) expect(partLoaded(p), p).toBe(false);
    expect(referenceLoaded()).toBe(false);
    const model = new Sequential([new Dense(2, 3), new Sigmoid(), new Dense(3, 1)], { seed: 3 });
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    expect(() => model.toJSON()).toThrow(StateError);
    expect(() => model.toJSON()).toThrow("toJSON: the JSON / binary save and load code is not loaded yet: `await preload('formats')`");
    expect(() => model.save()).toThrow(StateError);
    expect(() => model.trace([[1, 2]], [[0]])).toThrow("trace: the step trace code is not loaded yet: `await preload('inspect')`");
    expect(() => model.layerOutputs([[1, 2]])).toThrow("preload('inspect')");
    expect(() => model.summary()).toThrow("preload('inspect')");
    expect(() => model.liveEngine.forwardStages([1, 2], 1)).toThrow('forwardStages: the layer outputs code is not loaded yet');
    expect(() => model.toPyTorch()).toThrow("preload('interop')");
    expect(() => new Sequential([new Dense(2, 1)], { backend: 'reference' })).toThrow("preload('reference')");
    expect(() => part('formats', 'here')).toThrow(/^here: /);

    await preload('formats');
    // formats, interop, inspect and the reference engine come as one chunk (src/extras.ts); ONNX apart.
    for (const p of PARTS) expect(partLoaded(p), p).toBe(p !== 'onnx');
    expect(referenceLoaded()).toBe(true);
    const copy = Sequential.fromJSON(model.toJSON());
    expect(copy.predict([[0.5, -1]])).toEqual(model.predict([[0.5, -1]]));
    expect(model.trace([[1, 2]], [[0]]).layers.length).toBe(2);
    expect(model.layerOutputs([[1, 2]]).at(-1)).toEqual(model.predict([[1, 2]]));
    expect(model.summary()).toContain('Dense');
    const ref = new Sequential([new Dense(2, 1)], { backend: 'reference', seed: 1 });
    expect(ref.backend).toBe('reference');
    const engine = createEngine(ref.plan, 'reference');
    expect(engine.plan.inputSize).toBe(2);
    engine.dispose();

    const interop = await loadPart('interop');
    expect(typeof interop.modelToTFJS).toBe('function');
    expect(Object.keys(model.toTFJS()).sort()).toEqual(['model.json', 'weights.bin']);
    expect(onnxLoaded()).toBe(false);
    expect(() => model.toONNX()).toThrow(StateError);
    expect((await model.exportONNX()).length).toBeGreaterThan(0);
    for (const p of PARTS) expect(partLoaded(p), p).toBe(true);
    for (const m of [model, copy, ref]) m.dispose();
  });

  it('preload refuses an unknown part before loading anything', async () => {
    await expect(preload('formats', 'pytorch' as never)).rejects.toThrow(ConfigError);
    await expect(preload('pytorch' as never)).rejects.toThrow('preload: unknown part "pytorch" (valid: formats, interop, inspect, reference, onnx)');
  });
});
