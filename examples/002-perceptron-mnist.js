// Seed 002: the perceptron separates linearly separable data but not XOR; an MLP solves XOR;
// then MNIST 784-64(ReLU)-10 with softmax cross-entropy, W ~ N(0, 0.01), SGD lr 0.1, batch 64,
// the loss printed every 100 steps. Plots of sigmoid, ReLU and tanh with their derivatives.
import { Dense, Flatten, Perceptron, ReLU, SGD, Sequential, datasets, mlp, plot } from 'wasmlp';
import { outputs, pct, runIfMain } from './common.js';

export async function run({ outDir = 'wasmlp-examples', log = console.log, data } = {}) {
  const out = await outputs(outDir);

  const toy = datasets.SEED002_PERCEPTRON;
  const separable = new Perceptron(2);
  const fitToy = separable.fit(toy.x, toy.y, { epochs: 100 });
  log(`perceptron on the toy data: ${fitToy.converged ? `converged after ${fitToy.epochs} epoch(s)` : 'did not converge'}`);

  const xorX = [
    [1, 1],
    [-1, 1],
    [-1, -1],
    [1, -1],
  ];
  const xorY = [1, 0, 1, 0];
  const perceptron = new Perceptron(2);
  const fitXor = perceptron.fit(xorX, xorY, { epochs: 100 });
  const perceptronHits = perceptron.predict(xorX).filter((c, i) => c === xorY[i]).length / 4;
  log(
    `perceptron on XOR: ${fitXor.converged ? 'converged' : `did not converge in ${fitXor.epochs} epochs`} (accuracy ${pct(perceptronHits)}): no line separates XOR`,
  );
  const xorNet = mlp([2, 4, 1], { activation: 'tanh', outputActivation: 'sigmoid', seed: 1 });
  xorNet.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.5 }) });
  await xorNet.fit(xorX, xorY, { epochs: 2000, batchSize: 4, shuffle: false });
  const mlpHits = xorNet.predictClasses(xorX).filter((c, i) => c === xorY[i]).length / 4;
  log(`2-layer MLP on XOR: accuracy ${pct(mlpHits)}`);
  xorNet.dispose();

  const { train, test } = data ?? (await datasets.digits({ train: 8000, test: 2000 }));
  log(`MNIST: ${train.rows} training and ${test.rows} test images`);
  const init = { name: 'normal', std: 0.01 };
  const net = new Sequential([new Flatten(), new Dense(784, 64, { init }), new ReLU(), new Dense(64, 10, { init })], { seed: 2 });
  net.compile({ loss: 'softmax_ce', optimizer: new SGD({ lr: 0.1 }) });
  let step = 0;
  const epochs = 20; // ~1.5 s here; the seed's nn.Sequential run, on 8,000 of the bundled digits
  const history = await net.fit({ data: train.x, shape: train.shape }, train.y, {
    epochs,
    batchSize: 64,
    shuffle: true,
    onBatchEnd: (_b, logs) => {
      if (step++ % 100 === 0) log(`${step - 1} ${logs.loss}`);
    },
  });
  const testX = { data: test.x, shape: test.shape };
  const { accuracy } = net.evaluate(testX, test.y);
  log(`test accuracy ${pct(accuracy)} after ${history.epochs} epochs`);
  const shown = 30;
  await plot.savePlot(
    out('002-digits.png'),
    plot.digitGrid({
      images: test.x.subarray(0, shown * 784),
      shape: [shown, 28, 28],
      labels: Array.from(test.y.subarray(0, shown)),
      predicted: net.predictClasses({ data: test.x.subarray(0, shown * 784), shape: [shown, 28, 28] }),
      cols: 10,
    }),
  );
  await plot.savePlot(out('002-activations.png'), plot.activationPlots(['sigmoid', 'relu', 'tanh']));
  log(`images in ${outDir}/`);
  net.dispose();
  return {
    perceptronToyConverged: fitToy.converged,
    perceptronXorConverged: fitXor.converged,
    perceptronXorAccuracy: perceptronHits,
    mlpXorAccuracy: mlpHits,
    testAccuracy: accuracy,
  };
}

runIfMain(import.meta.url, run);
