// The run both Chromium (the bundled app) and Node (the test) do, given the wasmlp module: a
// seeded network on seeded moons. Its initial weights and losses are compared across the two.

/** Trains 2-16-16-1 on moons for 20 epochs; returns what the test compares. */
export async function run({ ready, mlp, datasets }) {
  await ready();
  const { x, y } = datasets.moons({ n: 200, noise: 0.1, seed: 7 });
  const model = mlp([2, 16, 16, 1], { activation: 'tanh', outputActivation: null, seed: 42 });
  const initial = model.getWeights().flat(2);
  model.compile({ loss: 'bce_logits', optimizer: { type: 'adam', lr: 0.02 }, metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs: 20, batchSize: 32 });
  const { accuracy } = model.evaluate(x, y);
  const predicted = model.predictClasses(x);
  model.dispose();
  return { initial, losses: history.loss, accuracy, predicted };
}
