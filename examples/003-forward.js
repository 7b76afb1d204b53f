// Seed 003: step, sigmoid, ReLU, identity and a numerically safe softmax, and the 3-layer
// forward pass with fixed weights: x = [1.0, 0.5] -> [0.31682708, 0.69627909].
import { Dense, Identity, Sequential, Sigmoid, Softmax, plot } from 'wasmlp';
import { outputs, runIfMain } from './common.js';

export const NETWORK = {
  W1: [
    [0.1, 0.3, 0.5],
    [0.2, 0.4, 0.6],
  ],
  b1: [0.1, 0.2, 0.3],
  W2: [
    [0.1, 0.4],
    [0.2, 0.5],
    [0.3, 0.6],
  ],
  b2: [0.1, 0.2],
  W3: [
    [0.1, 0.3],
    [0.2, 0.4],
  ],
  b3: [0.1, 0.2],
};

// The float64 reference backend computes as the seed's numpy does; the f32 core agrees to ~3e-8.
export async function run({ outDir = 'wasmlp-examples', log = console.log, backend = 'reference' } = {}) {
  const out = await outputs(outDir);
  const layers = () => [new Dense(2, 3), new Sigmoid(), new Dense(3, 2), new Sigmoid(), new Dense(2, 2), new Identity()];
  const { W1, b1, W2, b2, W3, b3 } = NETWORK;
  const model = new Sequential(layers(), { backend, seed: 3 });
  model.setWeights([W1, b1, W2, b2, W3, b3]);
  const [y] = model.predict([[1.0, 0.5]]);
  log(`forward([1.0, 0.5]) = [${y.map((v) => v.toFixed(8)).join(' ')}]   (${backend} backend)`);
  const withSoftmax = new Sequential([...layers(), new Softmax()], { backend, seed: 3 });
  withSoftmax.setWeights([W1, b1, W2, b2, W3, b3]);
  const [p] = withSoftmax.predict([[1.0, 0.5]]);
  log(`softmax of it = [${p.map((v) => v.toFixed(8)).join(' ')}] (sums to ${(p[0] + p[1]).toFixed(8)})`);
  await plot.savePlot(out('003-activations.png'), plot.activationPlots(['step', 'sigmoid', 'relu', 'identity', 'softmax']));
  log(`activation plots in ${outDir}/003-activations.png`);
  model.dispose();
  withSoftmax.dispose();
  return { output: y, softmax: p };
}

runIfMain(import.meta.url, run);
