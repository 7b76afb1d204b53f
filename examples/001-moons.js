// Seed 001: NN_Model(nodes=[2, 4, 2]) then [2, 6, 2] on make_moons(200, noise 0.2): sigmoid
// everywhere, one-hot targets, sum-of-squares error, plain gradient descent lr 0.01, 2000 epochs.
import { SGD, datasets, mlp, plot } from 'wasmlp';
import { outputs, pct, runIfMain, seedData } from './common.js';

export async function run({ quick = false, outDir = 'wasmlp-examples', log = console.log } = {}) {
  const out = await outputs(outDir);
  const { x, y, source } = await seedData('data_moons200_seed0.json', () => datasets.moons({ n: 200, noise: 0.2, seed: 0 }));
  log(`moons: ${x.length} points from ${source}`);
  await plot.savePlot(
    out('001-ground-truth.png'),
    plot.decisionBoundary({ predict: (p) => p.map(() => 0.5), x, y, title: 'ground truth', showAccuracy: false }),
  );
  const epochs = quick ? 500 : 2000;
  const results = {};
  for (const nodes of [
    [2, 4, 2],
    [2, 6, 2],
  ]) {
    // W ~ randn / sqrt(fan_in), b = 0, as the seed initialises NN_Model.
    const model = mlp(nodes, { activation: 'sigmoid', outputActivation: 'sigmoid', init: 'randn_fan_in', seed: 0 });
    model.compile({ loss: 'sse', optimizer: new SGD({ lr: 0.01 }), metrics: ['accuracy'] });
    log(`NN_Model(nodes=[${nodes}])`);
    const history = await model.fit(x, datasets.oneHot(y, 2), {
      epochs,
      batchSize: x.length,
      shuffle: false,
      onEpochEnd: (e, logs) => {
        if (e % 100 === 0 || e === epochs - 1) log(`epoch [${String(e).padStart(4)}] L = ${logs.loss.toFixed(6)}, acc = ${logs.accuracy.toFixed(6)}`);
      },
    });
    const { loss, accuracy } = model.evaluate(x, datasets.oneHot(y, 2));
    log(`L = ${loss.toFixed(6)}, acc = ${accuracy.toFixed(6)}`);
    // Class probabilities: a softmax over the two sigmoid outputs, as the seed prints y_res[1:10].
    const outputsNow = model.predict(x.slice(1, 10));
    const softmax = outputsNow.map((r) => {
      const m = Math.max(...r);
      const e = r.map((v) => Math.exp(v - m));
      const s = e[0] + e[1];
      return e.map((v) => v / s);
    });
    log('class probabilities (softmax) of points 1..9:');
    for (const row of softmax) log(`  [${row.map((v) => v.toFixed(6)).join(', ')}]`);
    const tag = nodes.join('-');
    await plot.savePlot(out(`001-predicted-${tag}.png`), plot.decisionBoundary({ model, x, y, title: `predicted: nodes [${nodes}]` }));
    await plot.savePlot(out(`001-curves-${tag}.png`), plot.trainingCurves(history, { title: `nodes [${nodes}], sigmoid, SSE, lr 0.01` }));
    results[tag] = { loss, accuracy, probabilities: softmax };
    model.dispose();
  }
  log(`images in ${outDir}/ (${pct(results['2-6-2'].accuracy)} with 6 hidden nodes)`);
  return results;
}

runIfMain(import.meta.url, run);
