// Seed 000: the planar "flower" (m = 400, a = 4). Logistic regression — a one-layer network —
// cannot separate it; a 2-4(tanh)-1 network can. Decision boundaries of both.
import { Dense, SGD, Sequential, Tanh, datasets, logisticRegression, plot } from 'wasmlp';
import { outputs, pct, runIfMain, seedData } from './common.js';

export async function run({ quick = false, outDir = 'wasmlp-examples', log = console.log } = {}) {
  const out = await outputs(outDir);
  const { x, y, source } = await seedData('data_flower400_seed1.json', () => datasets.flower({ m: 400, a: 4, seed: 1 }));
  log(`flower data: ${x.length} points from ${source}`);

  // Logistic regression: w ~ randn(2, 1), b = 0, BCE with logits, SGD lr 0.1, 100 full-batch epochs.
  const logistic = logisticRegression(2, { seed: 0, lr: 0.1 });
  logistic.setWeights([[[0.3], [-0.7]], [0]]); // a fixed randn(2, 1) draw, as the seed's torch.randn
  await logistic.fit(x, y, {
    epochs: 100,
    batchSize: x.length,
    shuffle: false,
    onEpochEnd: (e, logs) => {
      if ((e + 1) % 20 === 0) log(`epoch: ${e + 1}, loss: ${logs.loss}`);
    },
  });
  const lr = logistic.evaluate(x, y);
  log(`logistic regression: accuracy ${pct(lr.accuracy)} — a line cannot separate the petals`);
  await plot.savePlot(out('000-logistic-regression.png'), plot.decisionBoundary({ model: logistic, x, y, title: 'logistic regression' }));

  // The 2-layer network: W ~ randn * 0.01, b = 0, tanh hidden layer, SGD lr 1, 10000 epochs.
  const small = { name: 'randn', scale: 0.01 };
  const net = new Sequential([new Dense(2, 4, { init: small }), new Tanh(), new Dense(4, 1, { init: small })], { seed: 1 });
  net.compile({ loss: 'bce_logits', optimizer: new SGD({ lr: 1 }), metrics: ['accuracy'] });
  const epochs = quick ? 4000 : 10000;
  const history = await net.fit(x, y, {
    epochs,
    batchSize: x.length,
    shuffle: false,
    onEpochEnd: (e, logs) => {
      if ((e + 1) % 1000 === 0) log(`epoch: ${e + 1}, loss: ${logs.loss}`);
    },
  });
  const two = net.evaluate(x, y);
  log(`2-layer network: accuracy ${pct(two.accuracy)}`);
  await plot.savePlot(out('000-two-layer-network.png'), plot.decisionBoundary({ model: net, x, y, title: '2 layer network' }));
  await plot.savePlot(out('000-two-layer-loss.png'), plot.trainingCurves(history, { title: '2-4(tanh)-1 on the flower' }));
  log(`images in ${outDir}/`);
  logistic.dispose();
  net.dispose();
  return { logisticAccuracy: lr.accuracy, logisticLoss: lr.loss, networkAccuracy: two.accuracy, networkLoss: two.loss };
}

runIfMain(import.meta.url, run);
