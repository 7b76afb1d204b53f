/**
 * The targets, checked against a run. PyTorch and numpy figures are the (a
 * separate run on this machine, the upper end of each range: the strictest reading); tfjs,
 * brain.js and the SIMD peak come from this run. tfjs means its tight optimizer.minimize loop
 * (the table was measured that way); "peak" is the same-run SIMD mul+add loop.
 */
const PYTORCH = { 'xor': 41e3, 'moons-deep': 2.0e6, 'infer-b1': 51e3 };
const NUMPY = { 'moons-small': 3.4e6, 'flower': 3.6e6 };

const find = (rows, w, system, threads = 1) => rows.find((r) => r.workload === w && r.system === system && r.threads === threads && r.samples_per_s);
const times = (a, b) => (a && b ? a / b : null);
const fmt = (v) => (v == null ? "–" : `${v.toFixed(v >= 10 ? 1 : 2)}×`);
const k = (v) => (v == null ? '–' : v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : `${(v / 1e3).toFixed(1)} k`);

/** One check: [description, measured text, met?]. */
function check(desc, value, bound, text = fmt(value)) {
  return [desc, text, value == null ? null : value >= bound];
}

/** The targets table as markdown. */
export function targetRows(rows, kernels) {
  const peak = kernels.find((x) => x.build === 'simd128' && /peak/.test(x.label))?.gflops;
  const base = (w) => find(rows, w, 'wasmlp wasm');
  const tfw = (w) => find(rows, w, w.startsWith('infer') ? 'tfjs wasm predict' : 'tfjs wasm minimize');
  const brain = (w) => find(rows, w, 'brain.js');
  const checks = [];
  const row = (w, items) => checks.push([w, k(base(w)?.samples_per_s), items]);
  row('xor', [check('≥ 100× PyTorch (41 k)', times(base('xor')?.samples_per_s, PYTORCH.xor), 100), check('≥ 5× brain.js', times(base('xor')?.samples_per_s, brain('xor')?.samples_per_s), 5)]);
  for (const w of ['moons-small', 'flower']) {
    row(w, [check(`≥ 3× numpy (${k(NUMPY[w])})`, times(base(w)?.samples_per_s, NUMPY[w]), 3), check('≥ 3× brain.js', times(base(w)?.samples_per_s, brain(w)?.samples_per_s), 3)]);
  }
  row('moons-deep', [check('≥ 1.0× PyTorch (2.0 M)', times(base('moons-deep')?.samples_per_s, PYTORCH['moons-deep']), 1), check('≥ 12× tfjs wasm', times(base('moons-deep')?.samples_per_s, tfw('moons-deep')?.samples_per_s), 12)]);
  for (const [w, need, x] of [['mnist-mlp', 0.8, 14], ['mnist-wide', 0.8, 12]]) {
    const b = base(w);
    const eff = b?.step_gflops && peak ? b.step_gflops / peak : null;
    const effAll = b?.gflops && peak ? b.gflops / peak : null;
    row(w, [
      check(`≥ ${need * 100} % of peak (${peak?.toFixed(1)} GFLOPS)`, eff, need, eff == null ? '–' : `${(eff * 100).toFixed(0)} % (steps alone; whole fit call ${(effAll * 100).toFixed(0)} %)`),
      check(`≥ ${x}× tfjs wasm`, times(b?.samples_per_s, tfw(w)?.samples_per_s), x),
    ]);
  }
  row('infer-b1', [check('≥ 5× PyTorch (≥ 250 k/s)', times(base('infer-b1')?.samples_per_s, PYTORCH['infer-b1']), 5)]);
  {
    const b = base('infer-b1024');
    const eff = b?.gflops && peak ? b.gflops / peak : null;
    row('infer-b1024', [check('≥ 85 % of peak', eff, 0.85, eff == null ? '–' : `${(eff * 100).toFixed(0)} %`), check('≥ 1.2× tfjs wasm', times(b?.samples_per_s, tfw('infer-b1024')?.samples_per_s), 1.2)]);
  }
  const simd = kernels.filter((x) => x.build === 'simd128' && !/peak/.test(x.label));
  if (simd.length) {
    const mlp = simd.filter((x) => !/1024³/.test(x.label));
    const big = simd.filter((x) => /1024³/.test(x.label));
    const minOf = (xs) => Math.min(...xs.map((x) => x.pctOfPeak)) / 100;
    checks.push(['GEMM', '', [
      check('≥ 85 % of peak at the MLP shapes, NN/TN/NT', minOf(mlp), 0.85, `lowest ${(minOf(mlp) * 100).toFixed(0)} %`),
      check('≥ 75 % at 1024³', minOf(big), 0.75, `lowest ${(minOf(big) * 100).toFixed(0)} %`),
    ]]);
  }
  const wide1 = base('mnist-wide')?.samples_per_s;
  const wideN = rows.find((r) => r.workload === 'mnist-wide' && r.system === 'wasmlp wasm' && r.threads > 1);
  checks.push(['threads', '', [
    wideN?.samples_per_s ? check(`≥ 1.8× on mnist-wide with ${wideN.threads} threads`, times(wideN.samples_per_s, wide1), 1.8) : ['≥ 1.8× on mnist-wide with 2 threads', 'not available yet', null],
    check('infer-b1024 ≥ 2× tfjs wasm', times(base('infer-b1024')?.samples_per_s, tfw('infer-b1024')?.samples_per_s), 2),
  ]]);
  const out = ['| workload | wasmlp samples/s | target | measured | met |', '|---|---|---|---|---|'];
  for (const [w, rate, items] of checks) {
    for (const [desc, text, met] of items) out.push(`| ${w} | ${rate} | ${desc} | ${text} | ${met == null ? '–' : met ? 'met' : '**not met**'} |`);
  }
  return out.join('\n');
}
