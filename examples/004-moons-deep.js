// Seed 004: the Layer-style MLPClassifier — Dense(2,64) ReLU Dense(64,32) Sigmoid Dense(32,16)
// Sigmoid Dense(16,1) Sigmoid — on make_moons(n=1000, noise 0.2, random_state 666): MSE,
// lr 0.8, 3000 full-batch epochs, W ~ randn (std 1), b = 0. Loss curve, decision boundary,
// predict and predict_proba.
import { Dense, ReLU, SGD, Sequential, Sigmoid, datasets, plot } from 'wasmlp';
import { outputs, pct, runIfMain, seedData } from './common.js';

export async function run({ quick = false, outDir = 'wasmlp-examples', log = console.log } = {}) {
  const out = await outputs(outDir);
  const { x, y, source } = await seedData('data_moons1000_rs666.json', () => datasets.moons({ n: 1000, noise: 0.2, seed: 666 }));
  log(`moons: ${x.length} points from ${source}`);
  const init = { name: 'randn', scale: 1 };
  const model = new Sequential(
    [
      new Dense(2, 64, { init }),
      new ReLU(),
      new Dense(64, 32, { init }),
      new Sigmoid(),
      new Dense(32, 16, { init }),
      new Sigmoid(),
      new Dense(16, 1, { init }),
      new Sigmoid(),
    ],
    { seed: 4 },
  );
  model.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.8 }), metrics: ['accuracy'] });
  log(model.summary());
  const epochs = quick ? 1500 : 3000;
  const started = performance.now();
  const history = await model.fit(x, y, {
    epochs,
    batchSize: x.length,
    shuffle: false,
    onEpochEnd: (e, logs) => {
      if ((e + 1) % 300 === 0) log(`${e + 1} ${logs.loss}`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const { loss, accuracy } = model.evaluate(x, y);
  log(`train accuracy ${pct(accuracy)}, loss ${loss.toFixed(6)} (${epochs} epochs in ${seconds.toFixed(2)} s)`);
  log(`predict(x[:5])       = [${model.predictClasses(x.slice(0, 5)).join(', ')}]   (labels [${y.slice(0, 5).join(', ')}])`);
  log(
    `predict_proba(x[:5]) = [${model
      .predictProba(x.slice(0, 5))
      .map((r) => r[0].toFixed(4))
      .join(', ')}]`,
  );
  await plot.savePlot(
    out('004-loss.png'),
    plot.lineChart({ series: [{ name: 'MSE', values: history.loss }], title: 'MLPClassifier: loss per epoch', xLabel: 'epoch', yLabel: 'loss' }),
  );
  await plot.savePlot(out('004-decision-boundary.png'), plot.decisionBoundary({ model, x, y, title: 'MLPClassifier on moons (n=1000)' }));
  log(`images in ${outDir}/`);
  model.dispose();
  return { loss, accuracy, seconds };
}

runIfMain(import.meta.url, run);
