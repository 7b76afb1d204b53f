// The smallest page the bundle budget measures: train two moons with the default backend, as the
// README's browser example does, and show the accuracy. No top-level await: with one in the
// module graph Rolldown (Vite 8) leaves the chunks the page shares with wasmlp's lazy parts
// unmerged, ~0.9 kB more to load.
import { ready, mlp, datasets } from 'wasmlp';

async function main() {
  await ready();
  const { x, y } = datasets.moons({ n: 200, noise: 0.1, seed: 7 });
  const model = mlp([2, 16, 16, 1], { activation: 'tanh', outputActivation: null, seed: 42 });
  model.compile({ loss: 'bce_logits', optimizer: { type: 'adam', lr: 0.02 }, metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 20, batchSize: 32 });
  document.getElementById('out').textContent = `accuracy ${model.evaluate(x, y).accuracy}`;
}

main();
