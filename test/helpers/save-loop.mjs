// A child process for the kill-during-save test: loads the model files argv[2] and argv[3] and
// saves them to argv[4] in turn, over and over (model.save(path), the atomic write), printing a
// line after each completed save.
import { Sequential } from '../../dist/index.js';

const models = [await Sequential.load(process.argv[2]), await Sequential.load(process.argv[3])];
for (let i = 0; ; i++) {
  await models[i % 2].save(process.argv[4]);
  process.stdout.write(`saved ${i % 2}\n`);
}
