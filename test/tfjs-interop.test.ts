/**
 * The TensorFlow.js layers format both ways, with @tensorflow/tfjs (CPU backend): wasmlp's export
 * loads through tf.loadLayersModel (tf.io.fromMemory) and predicts the same; a model built and
 * saved by tfjs (model.save to a capturing IOHandler) loads in wasmlp, predicts the same and
 * trains on; layers that are not part of an MLP are refused naming class and layer name.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BatchNorm, ConfigError, Dense, Dropout, LeakyReLU, ReLU, Sequential, Sigmoid, Softmax, Step, Tanh } from '../src/index.js';

const x = Array.from({ length: 12 }, (_, i) => Array.from({ length: 4 }, (_, j) => Math.cos(i * 0.9 + j * 1.7) * 2));

function maxScaledError(a: number[][], b: number[][]): number {
  let worst = 0;
  a.forEach((row, i) =>
    row.forEach((v, j) => {
      worst = Math.max(worst, Math.abs(v - b[i][j]) / Math.max(1, Math.abs(b[i][j])));
    }),
  );
  return worst;
}

async function saved(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return captured!;
}

describe('TensorFlow.js layers format', () => {
  it('wasmlp → tfjs: tf.loadLayersModel predicts the same (f32 bound)', async () => {
    await tf.setBackend('cpu');
    const model = new Sequential(
      [
        new Dense(4, 6),
        new BatchNorm(6, { momentum: 0.1, eps: 1e-3 }),
        new ReLU(),
        new Dropout(0.2),
        new Dense(6, 5),
        new LeakyReLU(0.1),
        new Dense(5, 3),
        new Tanh(),
        new Dense(3, 2, { useBias: false }),
        new Softmax(),
      ],
      { seed: 9 },
    );
    const w = model.getWeights();
    w[2] = Array.from({ length: 6 }, (_, i) => 0.3 + 0.2 * i) as never;
    w[4] = Array.from({ length: 6 }, (_, i) => 0.1 * i - 0.2) as never;
    w[5] = Array.from({ length: 6 }, (_, i) => 0.6 + 0.3 * i) as never;
    model.setWeights(w as never);
    const files = model.toTFJS();
    const json = JSON.parse(new TextDecoder().decode(files['model.json']));
    expect(json.format).toBe('layers-model');
    const bin = files['weights.bin'];
    const tfModel = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      }),
    );
    const out = (tfModel.predict(tf.tensor2d(x)) as tf.Tensor).arraySync() as number[][];
    const err = maxScaledError(out, model.predict(x) as number[][]);
    console.log(`tfjs export: max scaled error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-5);
    // And back: the export reads in again with the same predictions.
    const again = Sequential.fromTFJS(json, bin);
    expect(maxScaledError(again.predict(x) as number[][], model.predict(x) as number[][])).toBeLessThan(1e-6);
    [model, again].forEach((m) => m.dispose());
    tfModel.dispose();
  });

  it('tfjs → wasmlp: a saved tfjs model predicts the same and trains on', async () => {
    await tf.setBackend('cpu');
    const t = tf.sequential();
    // Seeded initialisers, Dropout and an unshuffled fit: the imported weights, and so the loss
    // curve below, are the same on every run (an unseeded start made the curve a lottery).
    const init = (seed: number) => tf.initializers.glorotUniform({ seed });
    t.add(tf.layers.dense({ inputShape: [4], units: 7, activation: 'relu', kernelInitializer: init(1) }));
    t.add(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 }));
    t.add(tf.layers.dropout({ rate: 0.25, seed: 2 }));
    t.add(tf.layers.dense({ units: 5, activation: 'tanh', kernelInitializer: init(3) }));
    t.add(tf.layers.leakyReLU({ alpha: 0.2 }));
    t.add(tf.layers.dense({ units: 3, kernelInitializer: init(4) }));
    t.add(tf.layers.activation({ activation: 'softmax' }));
    // Give the BatchNorm non-trivial running estimates by training a few steps.
    t.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await t.fit(
      tf.tensor2d(x),
      tf.oneHot(
        tf.tensor1d(
          x.map((_, i) => i % 3),
          'int32',
        ),
        3,
      ),
      { epochs: 3, batchSize: 4, verbose: 0, shuffle: false },
    );
    const artifacts = await saved(t);
    // A fixed seed: the Dropout masks (and so the loss curve) come from the model's stream.
    const model = Sequential.fromTFJS(artifacts, undefined, { seed: 3 });
    expect(model.layers.map((l) => l.className)).toEqual([
      'Dense',
      'Activation',
      'BatchNorm',
      'Dropout',
      'Dense',
      'Activation',
      'Activation',
      'Dense',
      'Activation',
    ]);
    const want = (t.predict(tf.tensor2d(x)) as tf.Tensor).arraySync() as number[][];
    const err = maxScaledError(model.predict(x) as number[][], want);
    console.log(`tfjs import: max scaled error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-5);
    model.compile({ loss: 'categorical_ce', optimizer: { type: 'adam', lr: 0.01 } });
    const labels = x.map((_, i) => i % 3);
    // Judged in inference mode (no Dropout noise): the loss on the training set falls.
    const before = model.evaluate(x, labels).loss;
    const history = await model.fit(x, labels, { epochs: 60, batchSize: 12 });
    expect(history.loss).toHaveLength(60);
    console.log(`tfjs import trains on: ${before} -> ${model.evaluate(x, labels).loss}`);
    expect(model.evaluate(x, labels).loss).toBeLessThan(before * 0.9);
    model.dispose();
    t.dispose();
  });

  it('refuses what is not an MLP, naming the class and the layer', async () => {
    const t = tf.sequential();
    t.add(tf.layers.dense({ inputShape: [4], units: 3, activation: 'elu', name: 'hidden' }));
    const a = await saved(t);
    expect(() => Sequential.fromTFJS(a)).toThrow(/layer Dense "hidden": activation "elu" is not supported/);
    const c = tf.sequential();
    c.add(tf.layers.conv1d({ inputShape: [8, 1], filters: 2, kernelSize: 3, name: 'conv' }));
    const b = await saved(c);
    expect(() => Sequential.fromTFJS(b)).toThrow(ConfigError);
    expect(() => Sequential.fromTFJS(b)).toThrow(/layer Conv1D "conv" is not supported/);
    const step = new Sequential([new Dense(2, 2), new Step()], { seed: 1 });
    expect(() => step.toTFJS()).toThrow(/activation "step" has no TensorFlow.js equivalent/);
    const sig = new Sequential([new Dense(2, 2), new Sigmoid()], { seed: 1 });
    const f = sig.toTFJS();
    expect(() => Sequential.fromTFJS(JSON.parse(new TextDecoder().decode(f['model.json'])), f['weights.bin'].subarray(4))).toThrow(/weight data/);
    [step, sig].forEach((m) => m.dispose());
    t.dispose();
    c.dispose();
  });
});
