/** The PNG bar chart of the suite's ratios, drawn with wasmlp's own plot module. */
import { plot } from '../dist/index.js';

/** The peers drawn, in order. */
const PEERS = ['tfjs wasm minimize', 'tfjs wasm model.fit', 'tfjs wasm predict', 'tfjs cpu minimize', 'tfjs cpu model.fit', 'tfjs cpu predict', 'brain.js', 'wasmlp reference'];

/**
 * Draws, per workload, wasmlp wasm (1 thread) samples/s divided by each peer's, on a log axis
 * with a line at 1x, to `path` (.png). Predict rows share a colour with their backend's minimize rows.
 */
export async function drawRatios(rows, path, { quick = false } = {}) {
  const workloads = [...new Set(rows.map((r) => r.workload))];
  const base = (w) => rows.find((r) => r.workload === w && r.system === 'wasmlp wasm' && r.threads === 1)?.samples_per_s;
  const ratio = (w, systems) => {
    const r = rows.find((x) => x.workload === w && systems.includes(x.system) && x.samples_per_s);
    const b = base(w);
    return r && b ? b / r.samples_per_s : null;
  };
  const series = [
    { name: 'tfjs wasm (minimize / predict)', values: workloads.map((w) => ratio(w, [PEERS[0], PEERS[2]])) },
    { name: 'tfjs wasm model.fit', values: workloads.map((w) => ratio(w, [PEERS[1]])) },
    { name: 'tfjs cpu (minimize / predict)', values: workloads.map((w) => ratio(w, [PEERS[3], PEERS[5]])) },
    { name: 'tfjs cpu model.fit', values: workloads.map((w) => ratio(w, [PEERS[4]])) },
    { name: 'brain.js', values: workloads.map((w) => ratio(w, [PEERS[6]])) },
    { name: 'wasmlp reference (f64)', values: workloads.map((w) => ratio(w, [PEERS[7]])) },
  ];
  const chart = plot.barChart({
    categories: workloads, series, logY: true, referenceLine: 1, width: 1000, height: 460,
    title: `wasmlp (wasm, 1 thread) samples/s divided by each system's, one run${quick ? ' (--quick)' : ''}`,
    yLabel: 'speed-up of wasmlp (log)',
  });
  await plot.savePlot(path, chart);
}
