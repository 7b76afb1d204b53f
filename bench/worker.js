/**
 * One system on one workload, in a process of its own (bench/run.js starts one per row):
 *
 *   node bench/worker.js --system wasmlp|wasmlp-simd128|reference|tfjs-wasm|brain|jax --workload ID
 *        [--threads N|auto] [--quick] [--max-seconds S]
 *
 * Prints `RESULT {json}` (the WORKLOADS.md record, with the Node version and the core's build
 * added) as its last line on stdout. `wasmlp-simd128` loads the SIMD128 build even where relaxed
 * SIMD is available (the FMA comparison); `wasmlp` takes whichever build the engine picks.
 */
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    system: { type: 'string' },
    workload: { type: 'string' },
    threads: { type: 'string', default: '1' },
    quick: { type: 'boolean', default: false },
    'max-seconds': { type: 'string', default: '4' },
  },
});
const quick = a.quick;
const maxSeconds = Number(a['max-seconds']);
const core = await import('../dist/wasm/core.js');
// The build must be chosen before anything imports the library (its import loads the default one).
await core.ready({ relaxedSimd: a.system !== 'wasmlp-simd128' });
const { WORKLOADS, loadWorkloadData, runWasmlp, toJSONLine } = await import('./peers/common.js');
const w = WORKLOADS[a.workload];
if (!w) throw new Error(`unknown workload '${a.workload}'`);
const data = await loadWorkloadData(w);
const quiet = console.warn;
let r;
switch (a.system) {
  case 'wasmlp':
  case 'wasmlp-simd128':
    r = await runWasmlp(w, { quick, threads: a.threads === 'auto' ? 'auto' : Number(a.threads) });
    break;
  case 'reference':
    r = await runWasmlp(w, { quick, backend: 'reference', maxSeconds });
    break;
  case 'tfjs-wasm': {
    console.warn = () => {};
    const { runTfjs } = await import('./peers/tfjs.js');
    console.warn = quiet;
    r = await runTfjs(w, data, 'wasm', w.kind === 'infer' ? 'predict' : 'minimize', { quick, maxSeconds });
    break;
  }
  case 'brain': {
    const { runBrain } = await import('./peers/brain.js');
    r = await runBrain(w, data, { quick, maxSeconds });
    break;
  }
  case 'jax': {
    const { runJax } = await import('./peers/jax.js');
    r = await runJax(w, data, { quick, maxSeconds });
    break;
  }
  default:
    throw new Error(`unknown system '${a.system}'`);
}
r.node = process.versions.node;
if (a.system.startsWith('wasmlp')) r.core = core.coreVariant();
process.stdout.write(`RESULT ${toJSONLine(r)}\n`);
// Worker threads of a pool may keep the event loop alive: the row is done.
process.exit(0);
