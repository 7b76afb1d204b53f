// A worker_threads worker for the concurrency soak: imports the built dist/ (its own WebAssembly
// instance), trains the models named in workerData.seeds the same way the test does on the main
// thread (see trainOne in test/soak-concurrency.test.ts) and posts back their weights and losses.
import { parentPort, workerData } from 'node:worker_threads';
import * as wasmlp from '../../dist/index.js';
import { trainOne } from './train-one.mjs';

const results = [];
for (const seed of workerData.seeds) results.push(await trainOne(wasmlp, seed));
parentPort.postMessage(results);
