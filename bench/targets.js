/**
 * The targets, checked against a suite run: every ratio is taken inside a round (each
 * system in its own process) and the median over rounds is compared with the bound
 * (bench/suite.js). "wasmlp" is wasmlp on this Node, one thread, whichever core build it picked.
 */
import { WORKLOADS, WORKLOAD_IDS } from './peers/common.js';
import { median, roundRatio } from './suite.js';

const fmt = (v) => (v == null ? '–' : `${v.toFixed(v >= 10 ? 1 : 2)}×`);
const pct = (v) => (v == null ? '–' : `${(v * 100).toFixed(0)} %`);

/** The table: wasmlp ÷ each peer, per workload (median of in-round ratios). */
export const PEERS = ['PyTorch', 'numpy', 'jax-js', 'tfjs-wasm', 'brain.js'];
export function peerTable(rows) {
  const out = [`| workload | ${PEERS.join(' | ')} |`, `|---|${PEERS.map(() => '---').join('|')}|`];
  for (const w of WORKLOAD_IDS.filter((id) => rows.some((r) => r.workload === id))) {
    out.push(`| ${w} | ${PEERS.map((p) => fmt(roundRatio(rows, w, 'wasmlp', p).ratio)).join(' | ')} |`);
  }
  return out.join('\n');
}

/** fit's rate ÷ the step-only rate of the same run, per round: fit's training loop alone, from onTrainBegin (minibatch), or the engine alone (full batch). */
function fitShare(rows, w) {
  const mine = rows.filter((r) => r.workload === w && r.label === 'wasmlp' && r.samples_per_s);
  return median(mine.map((r) => r.samples_per_s / (r.step_samples_per_s ?? r.core_samples_per_s)));
}

/** The targets table as markdown: [target, measured, met]. */
export function targetRows(rows) {
  const has = (w) => rows.some((r) => r.workload === w);
  const checks = [];
  const add = (what, value, bound, text = fmt(value)) => checks.push([what, text, value == null ? null : value >= bound]);
  const ratio = (w, a, b) => roundRatio(rows, w, a, b).ratio;
  for (const w of WORKLOAD_IDS.filter((id) => WORKLOADS[id].kind === 'train' && has(id)))
    add(`${w}: whole fit ≥ 85 % of the step-only rate`, fitShare(rows, w), 0.85, pct(fitShare(rows, w)));
  for (const w of WORKLOAD_IDS.filter((id) => has(id) && rows.some((r) => r.workload === id && r.label === 'jax-js')))
    add(`${w}: ≥ 2× jax-js`, ratio(w, 'wasmlp', 'jax-js'), 2);
  for (const w of ['mnist-mlp', 'mnist-wide'].filter(has)) for (const p of ['PyTorch', 'numpy']) add(`${w}: ≥ 1.0× ${p} (1 thread)`, ratio(w, 'wasmlp', p), 1);
  for (const w of WORKLOAD_IDS.filter((id) => WORKLOADS[id].kind === 'train' && has(id))) add(`${w}: ≥ 10× tfjs-wasm`, ratio(w, 'wasmlp', 'tfjs-wasm'), 10);
  if (has('infer-b1024')) for (const p of ['tfjs-wasm', 'jax-js']) add(`infer-b1024: ≥ 1.5× ${p}`, ratio('infer-b1024', 'wasmlp', p), 1.5);
  for (const w of WORKLOAD_IDS.filter(has)) add(`${w}: Node 24 ≥ Node 20`, ratio(w, 'wasmlp node24', 'wasmlp'), 1);
  if (has('mnist-wide')) add('mnist-wide: relaxed-SIMD build ≥ 1.25× SIMD128 (Node 24)', ratio('mnist-wide', 'wasmlp node24', 'wasmlp node24 simd128'), 1.25);
  const nt = rows.find((r) => r.workload === 'mnist-wide' && /^wasmlp \dt$/.test(r.label));
  if (nt) add(`mnist-wide: ${nt.threads} threads ≥ 1.6× one thread`, ratio('mnist-wide', nt.label, 'wasmlp'), 1.6);
  // 'auto' runs the very same one-thread code where it picks one thread, so two identical
  // configurations differ by noise only: ±5 % is the band taken as "not slower".
  for (const w of WORKLOAD_IDS.filter((id) => rows.some((r) => r.workload === id && r.label === 'wasmlp auto')))
    add(`${w}: threads 'auto' not slower than one thread (≥ 0.95×)`, ratio(w, 'wasmlp auto', 'wasmlp'), 0.95);
  if (!rows.some((r) => r.label === 'wasmlp auto')) checks.push(["threads: 'auto' never slower than one thread", 'not measured (no threads build)', null]);
  const out = ['| target | measured | met |', '|---|---|---|'];
  for (const [what, text, met] of checks) out.push(`| ${what} | ${text} | ${met == null ? '–' : met ? 'met' : '**not met**'} |`);
  return out.join('\n');
}
