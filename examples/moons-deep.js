// Seed 004's network on make_moons-style data: 2-64(ReLU)-32(sigmoid)-16(sigmoid)-1(sigmoid),
// MSE, SGD lr 0.8, 3000 full-batch epochs. Run with `npm run demo` (after `npm ci`).
import { Sequential, Dense, ReLU, Sigmoid, SGD, datasets } from '../dist/index.js';

const { x, y } = datasets.moons({ n: 1000, noise: 0.2, seed: 666 });
const randn = { name: 'randn', scale: 1 }; // seed 004 draws W from N(0, 1), biases zero
const model = new Sequential([
  new Dense(2, 64, { init: randn }), new ReLU(),
  new Dense(64, 32, { init: randn }), new Sigmoid(),
  new Dense(32, 16, { init: randn }), new Sigmoid(),
  new Dense(16, 1, { init: randn }), new Sigmoid(),
], { seed: 1 });
model.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.8 }), metrics: ['accuracy'] });
console.log(model.summary());

const started = performance.now();
await model.fit(x, y, {
  epochs: 3000, batchSize: 1000, shuffle: false,
  onEpochEnd: (epoch, logs) => {
    if ((epoch + 1) % 300 === 0) console.log(`epoch ${String(epoch + 1).padStart(4)}  loss ${logs.loss.toFixed(6)}  accuracy ${logs.accuracy.toFixed(4)}`);
  },
});
const seconds = (performance.now() - started) / 1000;
const { loss, accuracy } = model.evaluate(x, y);
console.log(`final loss ${loss.toFixed(6)}, train accuracy ${(accuracy * 100).toFixed(1)}%, ` +
  `${seconds.toFixed(2)} s (${Math.round((3000 * 1000) / seconds).toLocaleString('en')} samples/s)`);
model.dispose();
