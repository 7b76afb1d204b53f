/**
 * The suite's plumbing, kept free of timing so tests can check it (test/bench-suite.test.ts):
 * which systems run on a workload and with what command, the order of a round (rotated every
 * round, so no system always runs first or right after the same neighbour), the RESULT line a
 * worker prints, and ratios taken inside a round, then summarised over rounds by the median.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The Python the peers use: Debian's, where python3-torch and python3-numpy install. */
export const PYTHON = '/usr/bin/python3';
/** Node 24 from bench/node24 (`npm ci --prefix bench/node24`; a package of its own so that its `node` bin does not shadow the tests' Node), when installed. */
export const NODE24 = fileURLToPath(new URL('./node24/node_modules/node/bin/node', import.meta.url));
/** Workloads jax-js runs (the table has no jax-js figure for the toy full-batch ones). */
export const JAX_WORKLOADS = ['moons-deep', 'mnist-mlp', 'mnist-wide', 'infer-b1', 'infer-b1024'];

/**
 * The systems for workload w: { label, threads, kind: 'node' | 'python', node?, args }.
 * `env` says what is installed: { node24: path|null, python: { torch, numpy }, threads: N }.
 */
export function systemsFor(w, env) {
  const out = [];
  const node = (label, args, nodePath = process.execPath, threads = 1) =>
    out.push({ label, kind: 'node', node: nodePath, threads, args: ['--workload', w.id, ...args] });
  node('wasmlp', ['--system', 'wasmlp']);
  if (env.node24) {
    node('wasmlp node24', ['--system', 'wasmlp'], env.node24);
    node('wasmlp node24 simd128', ['--system', 'wasmlp-simd128'], env.node24);
  }
  if (env.threads > 1 && (w.kind === 'train' || w.inferBatch > 1))
    node(`wasmlp ${env.threads}t`, ['--system', 'wasmlp', '--threads', String(env.threads)], process.execPath, env.threads);
  // threads: 'auto' on every workload: the engine picks per step, and must never lose to one thread.
  if (env.threads > 1) node('wasmlp auto', ['--system', 'wasmlp', '--threads', 'auto'], process.execPath, 'auto');
  if (env.reference) node('wasmlp reference', ['--system', 'reference']);
  node('tfjs-wasm', ['--system', 'tfjs-wasm']);
  if ((w.id !== 'infer-b1024' && w.id !== 'mnist-wide' && w.kind === 'train') || w.id === 'infer-b1') node('brain.js', ['--system', 'brain']);
  if (JAX_WORKLOADS.includes(w.id)) node('jax-js', ['--system', 'jax']);
  for (const py of ['torch', 'numpy']) {
    if (!env.python?.[py]) continue;
    if (py === 'numpy' && w.kind === 'infer') continue;
    out.push({ label: py === 'torch' ? 'PyTorch' : 'numpy', kind: 'python', threads: 1, args: ['--system', py] });
  }
  return out;
}

/** The systems in the order round `round` runs them: the list rotated by the round number. */
export function roundOrder(systems, round) {
  const n = systems.length;
  if (n === 0) return [];
  const k = ((round % n) + n) % n;
  return [...systems.slice(k), ...systems.slice(0, k)];
}

/** The record in a worker's output: its last `RESULT {json}` line, or null when there is none. */
export function parseResult(stdout) {
  const lines = String(stdout)
    .split('\n')
    .filter((l) => l.startsWith('RESULT '));
  if (lines.length === 0) return null;
  try {
    return JSON.parse(lines[lines.length - 1].slice(7));
  } catch {
    return null;
  }
}

/** The median of finite numbers (null for none). */
export function median(xs) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/**
 * The ratio a ÷ b of samples/s on workload w, taken inside each round where both ran, then the
 * median over rounds: { ratio, rounds } (ratio null when no round had both).
 */
export function roundRatio(rows, w, a, b) {
  const per = [];
  for (const r of new Set(rows.map((x) => x.round))) {
    const x = rows.find((y) => y.round === r && y.workload === w && y.label === a && y.samples_per_s);
    const y = rows.find((z) => z.round === r && z.workload === w && z.label === b && z.samples_per_s);
    if (x && y) per.push(x.samples_per_s / y.samples_per_s);
  }
  return { ratio: median(per), rounds: per.length };
}

/** The label's rows of workload w summarised over rounds: the median samples/s and the first row's other fields. */
export function summaryRow(rows, w, label) {
  const mine = rows.filter((r) => r.workload === w && r.label === label);
  if (mine.length === 0) return null;
  const ok = mine.filter((r) => r.samples_per_s);
  const first = ok[0] ?? mine[0];
  const med = (k) => median(ok.map((r) => r[k]));
  return {
    ...first,
    samples_per_s: med('samples_per_s'),
    step_samples_per_s: med('step_samples_per_s'),
    core_samples_per_s: med('core_samples_per_s'),
    setup_seconds: med('setup_seconds'),
    rounds: ok.length,
  };
}

/** Which Python peers are installed: { torch, numpy } (imports tried with PYTHON). */
export function pythonPeers(spawnSync) {
  if (!existsSync(PYTHON)) return { torch: false, numpy: false };
  const has = (m) => spawnSync(PYTHON, ['-c', `import ${m}`], { stdio: 'ignore' }).status === 0;
  return { torch: has('torch'), numpy: has('numpy') };
}
