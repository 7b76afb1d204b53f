/**
 * The markdown report of a suite run (bench/results/latest.md, committed as BENCH.md): the
 * machine and its load, one table per workload, the memory accounting, the kernels next to the
 * peak loop, and the issue's targets with the measured values and met / not met.
 */
import { peerTable, targetRows } from './targets.js';
import { roundRatio, summaryRow } from './suite.js';

const k = (v) => (v == null ? '–' : v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} k` : v.toFixed(0));
const mb = (v) => (v == null ? '–' : `${(v / 2 ** 20).toFixed(1)} MiB`);
const num = (v, d = 4) =>
  v == null || !Number.isFinite(v) ? '–' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toPrecision(d);
const pct = (v) => (v == null ? '–' : `${(v * 100).toFixed(1)} %`);

/** One row per system (median samples/s over rounds); "wasmlp ÷ it" is the median of in-round ratios. */
function workloadTable(rows, w) {
  const labels = [...new Set(rows.filter((x) => x.workload === w).map((x) => x.label))];
  const out = [
    '| system | Node | core | threads | samples/s (median) | rounds | wasmlp ÷ it | final loss | accuracy | notes |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const label of labels) {
    const r = summaryRow(rows, w, label);
    const ratio = label === 'wasmlp' ? '1.00×' : roundRatio(rows, w, 'wasmlp', label).ratio;
    const extra = [];
    if (r.step_samples_per_s)
      extra.push(`steps alone ${k(r.step_samples_per_s)}/s; ${r.setup_seconds.toFixed(3)} s before training began (fit's checks, copy into the arena)`);
    if (r.core_samples_per_s) extra.push(`the same steps straight through the engine: ${k(r.core_samples_per_s)}/s`);
    const notes = [r.notes, ...extra].filter(Boolean).join('; ').replace(/\|/g, '/');
    out.push(
      `| ${label} | ${r.node ?? '–'} | ${r.core ?? '–'} | ${r.threads_option === 'auto' ? `auto → ${r.threads}` : r.threads} | ${k(r.samples_per_s)} | ${r.rounds} | ${typeof ratio === 'number' ? `${ratio.toFixed(2)}×` : (ratio ?? '–')} | ${num(r.final_loss)} | ${pct(r.accuracy)} | ${notes} |`,
    );
  }
  return out.join('\n');
}

function memoryTable(rows) {
  const out = [
    '| workload | arena during training (measured) | expected from the plan | equal | constant over every step | WebAssembly memory |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows.filter((x) => x.label === 'wasmlp' && x.round === 0 && x.arena_bytes != null)) {
    out.push(
      `| ${r.workload} | ${r.arena_bytes} B | ${r.expected_arena_bytes} B | ${r.arena_bytes === r.expected_arena_bytes ? 'yes' : 'no'} | ${r.arena_constant ? 'yes' : 'no'} | ${mb(r.wasm_memory_bytes)} |`,
    );
  }
  return out.join('\n');
}

function kernelTable(kernels) {
  const out = ['| build | kernel | MFLOP | GFLOPS (median) | best round | % of same-run peak |', '|---|---|---|---|---|---|'];
  for (const x of kernels)
    out.push(`| ${x.build} | ${x.label} | ${(x.flops / 1e6).toFixed(2)} | ${x.gflops.toFixed(1)} | ${x.best.toFixed(1)} | ${x.pctOfPeak.toFixed(0)} % |`);
  return out.join('\n');
}

/** What every report says about how to read it. */
const NOTES = `## How to read these numbers

- **One process per row, rounds, a shared machine.** Every row ran in a process of its own (bench/worker.js,
  bench/peers/python_peer.py); within a round the systems of a workload ran one after the other, the order
  rotated every round; every ratio is taken inside a round and the median over rounds is reported. The
  machine's 2 cores are shared with other engineers' jobs (see the load averages above), so absolute
  figures move by tens of percent from run to run.
- **Timing.** Only training is timed (data generation, model construction and scoring excluded), after a
  warm-up of the same loop on a separate model (50 epochs, or 20 batches). wasmlp rows time the whole
  \`model.fit\` call, which includes fit's input checks and the copy of the data into the WebAssembly arena;
  the MNIST rows also give the steps alone, and the full-batch rows the same steps driven straight through
  the engine, so the cost of the JavaScript around the core is visible.
- **Reduced schedules.** Slow systems (wasmlp reference, tfjs, brain.js) get their schedule cut to about 4 s
  (fewer epochs, or a prefix of whole MNIST batches), measured from their warm-up rate; samples/s stays
  comparable, but their final loss and accuracy then reflect less training: each row's notes say what ran.
- **Same work.** Same data, same initial weights (drawn once by wasmlp's seeded initialisers and handed to
  every system), same loss and plain SGD. tfjs: the loss written in tfjs ops (\`meanSquaredError\`,
  0.5·sum of squares, \`sigmoidCrossEntropy\`, \`softmaxCrossEntropy\`), f32. tfjs-backend-wasm runs one
  thread in Node (\`WASM_HAS_MULTITHREAD_SUPPORT\` is false there; \`setThreadsCount(1)\` is set anyway), so
  its rows are 1-thread rows; the tight loop feeds each minibatch as fresh tensors built from
  Float32Array subarrays (\`slice\` on the wasm backend copies the whole source tensor per call).
- **brain.js differs** and cannot express most workloads faithfully: one activation on every layer (sigmoid
  here; its relu diverges on MNIST at these rates), its squared-error delta through the output activation
  (no cross-entropy, no linear output), per-sample updates only, float64 arrays, momentum 1e-9 (it refuses 0).
  Full-batch workloads run with the learning rate divided by the rows (×2 for MSE), so one epoch moves the
  weights as far as one full-batch step. Its loss column is the workload's loss of its outputs taken as
  probabilities. Inference rows use relu on the output too (argmax unchanged where a logit is positive).
- **PyTorch and numpy** run in this suite (Debian's python3-torch and python3-numpy under /usr/bin/python3,
  skipped with a message when absent) on the same data and initial weights, written to a file by
  bench/export-data.js: PyTorch with \`torch.set_num_threads(1)\`, autograd and \`torch.optim.SGD\`; numpy
  float32 with hand-written backprop, its BLAS on one thread (OPENBLAS_NUM_THREADS=1).
- **jax-js** 0.1.25: the wasm device, one \`jit(valueAndGrad)\` step with the SGD update inside, fresh batch
  arrays per step (bench/peers/jax.js); only on the workloads the issue's table measured it on.
- **Memory.** "Wasm memory" is the size of the WebAssembly.Memory after the row (wasmlp's, which never
  shrinks, so it is a high-water mark of the process so far; tfjs-wasm's own heap for tfjs wasm rows). "RSS
  after / peak" is the process's resident set right after the timed run and its high-water mark so far
  (\`process.resourceUsage().maxRSS\`): one process runs everything, so the peak includes earlier rows and
  the 60000×784 data set.
`;

/** The whole report as markdown. */
export function markdownReport({ machine, rows, kernels, quick, rounds, threads, jsonl }) {
  const workloads = [...new Set(rows.map((r) => r.workload))];
  const parts = [
    `# wasmlp benchmark results${quick ? ' (--quick)' : ''}`,
    '',
    `Generated by \`npm run bench${quick ? ' -- --quick' : ''}\` (bench/run.js) on ${new Date().toISOString().slice(0, 10)}; raw rows in bench/results/${jsonl}.`,
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpu}, ${machine.cores} cores visible (shared with other jobs), ${machine.memoryGiB} GiB`,
    `- ${machine.platform}; Node ${machine.node} (V8 ${machine.v8})${machine.node24 ? ` and Node ${machine.node24}` : ''}`,
    `- load average (1, 5, 15 min) at the start: ${machine.loadStart}; at the end: ${machine.loadEnd}`,
    `- ${rounds} round(s); threaded rows: ${threads} threads`,
    '',
    '## Targets',
    '',
    targetRows(rows),
    '',
    "## wasmlp ÷ each peer (the issue's table)",
    '',
    peerTable(rows),
    '',
    '## Workloads',
    '',
    "Every ratio is wasmlp (this Node, 1 thread) samples/s divided by the row's, inside a round, median over rounds.",
    '',
  ];
  for (const w of workloads) parts.push(`### ${w}`, '', workloadTable(rows, w), '');
  parts.push(
    '## Memory: the arena holds exactly what the plan says',
    '',
    'Measured with `arenaBytesInUse()` after every step of the warm-up fit (minus what the arena held before the model was made),',
    'expected = parameters + 2 gradient buffers (accepted, pending) + optimiser state (none for plain SGD) + one batch of activations',
    '(a stage output per layer, the gathered input and target rows, two ping-pong gradient buffers of the widest layer) + the data',
    '(inputs and targets as f32) + the descriptors, each block with its 16-byte header (src/bench/memory.ts). The warm-up of the MNIST rows',
    'trains on 20 batches, so its data is 20 batches of rows; the timed run holds the whole 60000-row set the same way.',
    '',
    memoryTable(rows),
    '',
  );
  if (kernels.length) parts.push('## GEMM kernels next to the SIMD peak loop (same run)', '', kernelTable(kernels), '');
  parts.push(NOTES);
  return parts.join('\n');
}
