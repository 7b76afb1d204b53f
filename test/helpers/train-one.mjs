// One model of the concurrency soak, trained the same way on the main thread, in Promise.all
// with 99 others, and in worker threads: `lib` is the wasmlp module (src/ under vitest, dist/ in
// workers). Even seeds on wasm, odd seeds on the reference backend; onEpochEnd yields to the
// event loop so that concurrent fits interleave. Resolves with { seed, weights, loss }.
export async function trainOne(lib, seed, { yieldEachEpoch = true } = {}) {
  const { Adam, Dense, Sequential, Tanh, datasets } = lib;
  const backend = seed % 2 === 0 ? 'wasm' : 'reference';
  const { x, y } = datasets.moons({ n: 40, noise: 0.1, seed });
  const model = new Sequential([new Dense(2, 8), new Tanh(), new Dense(8, 2)], { backend, seed });
  model.compile({ loss: 'softmax_ce', optimizer: new Adam({ lr: 0.05 }) });
  const history = await model.fit(x, y, {
    epochs: 6,
    batchSize: 8,
    onEpochEnd: yieldEachEpoch ? () => new Promise((resolve) => setImmediate(resolve)) : undefined,
  });
  const weights = model.getWeights();
  model.dispose();
  return { seed, weights, loss: history.loss };
}
