/**
 * Re-renders bench/results/latest.md from a saved run's JSON lines
 * (the rows, the kernel lines and the machine line bench/run.js appends).
 * Usage: node bench/render.js bench/results/<run>.jsonl
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { markdownReport } from './report.js';
import { describeMachine, loadAverage } from './machine.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bench/render.js bench/results/<run>.jsonl\n');
  process.exit(2);
}
const lines = (await readFile(file, 'utf8'))
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
// A run stopped before its end has no machine line: this machine now stands in, and the report says it is partial.
const machine = lines.find((l) => l.kind === 'machine') ?? {
  ...describeMachine(),
  loadEnd: `${loadAverage()} (the run was stopped before its end; machine described when rendering)`,
  rounds: Math.max(...lines.map((l) => l.round ?? 0)) + 1,
  threads: 2,
};
const kernels = lines.filter((l) => l.kind === 'kernel');
const rows = lines.filter((l) => !l.kind);
const report = markdownReport({ machine, rows, kernels, quick: machine.quick, rounds: machine.rounds, threads: machine.threads, jsonl: basename(file) });
await writeFile(new URL('./results/latest.md', import.meta.url), report);
process.stderr.write('wrote bench/results/latest.md\n');
