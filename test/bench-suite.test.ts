// The benchmark suite's plumbing (no timing): the runner's round order, the RESULT lines it
// parses, ratios inside a round, which systems run where, and that each new peer's step
// computes the same loss as wasmlp's on the same first batch and initial weights.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript modules of the suite
import { JAX_WORKLOADS, PYTHON, median, parseResult, pythonPeers, roundOrder, roundRatio, systemsFor } from '../bench/suite.js';
// @ts-expect-error plain JavaScript module of the suite
import { firstStepLoss } from '../bench/peers/jax.js';
// @ts-expect-error plain JavaScript module of the suite
import { writeWorkloadFile } from '../bench/export-data.js';
import { Sequential, SGD } from '../src/index.js';
import { wasmlpLayers } from '../src/bench/run-wasmlp.js';
import { batchRows, loadWorkloadData, WORKLOADS } from '../src/bench/workloads.js';
import { MIN_TIMED_SECONDS, timedRuns } from '../src/bench/schedule.js';

const TINY = ['xor', 'moons-small', 'flower'] as const;

/** wasmlp's loss on the workload's first batch, before any update, from the shared initial weights. */
async function wasmlpFirstLoss(id: (typeof TINY)[number]): Promise<number> {
  const w = WORKLOADS[id];
  const d = await loadWorkloadData(w);
  const b = batchRows(w, d.train.rows);
  const m = new Sequential(wasmlpLayers(w), { seed: w.weightSeed });
  m.compile({ loss: w.loss, optimizer: new SGD({ lr: w.lr }) });
  const loss = m.gradients(
    { data: d.train.x.subarray(0, b * w.inputs), shape: [b, w.inputs] },
    { data: d.train.targets.subarray(0, b * d.train.targetCols), shape: [b, d.train.targetCols] },
  ).loss;
  m.dispose();
  return loss;
}

describe('the suite runner', () => {
  it('rotates the order every round: each system once a round, a different one first each round', () => {
    const s = ['a', 'b', 'c', 'd'];
    const orders = [0, 1, 2, 3, 4].map((r) => roundOrder(s, r));
    for (const o of orders) expect([...o].sort()).toEqual(s);
    expect(orders.slice(0, 4).map((o) => o[0])).toEqual(['a', 'b', 'c', 'd']);
    expect(orders[4]).toEqual(orders[0]);
    expect(roundOrder([], 3)).toEqual([]);
  });

  it("parses the worker's last RESULT line and nothing else", () => {
    const out = 'noise\nRESULT {"system":"x","samples_per_s":1}\nmore\nRESULT {"system":"y","samples_per_s":2}\n';
    expect(parseResult(out)).toEqual({ system: 'y', samples_per_s: 2 });
    expect(parseResult('no result here')).toBeNull();
    expect(parseResult('RESULT {not json')).toBeNull();
  });

  it('takes ratios inside each round, then the median over rounds', () => {
    const row = (round: number, label: string, v: number) => ({ round, workload: 'w', label, samples_per_s: v });
    const rows = [row(0, 'wasmlp', 100), row(0, 'p', 50), row(1, 'wasmlp', 30), row(1, 'p', 10), row(2, 'wasmlp', 80), row(2, 'p', 20), row(3, 'wasmlp', 9)];
    // 2, 3, 4 (round 3 has no peer row): median 3, not the ratio of medians (80 / 20 = 4).
    expect(roundRatio(rows, 'w', 'wasmlp', 'p')).toEqual({ ratio: 3, rounds: 3 });
    expect(roundRatio(rows, 'w', 'wasmlp', 'absent')).toEqual({ ratio: null, rounds: 0 });
    expect(median([4, 1, NaN, 2, 3])).toBe(2.5);
  });

  it('runs jax-js only where the issue measured it, the Python peers only when installed, Node 24 when present', () => {
    const env = { node24: '/x/node' as string | null, python: { torch: true, numpy: false }, threads: 2 };
    const labels = (id: keyof typeof WORKLOADS, e = env) => systemsFor(WORKLOADS[id], e).map((s: { label: string }) => s.label);
    expect(labels('mnist-wide')).toEqual(
      expect.arrayContaining(['wasmlp', 'wasmlp node24', 'wasmlp node24 simd128', 'wasmlp 2t', 'tfjs-wasm', 'jax-js', 'PyTorch']),
    );
    expect(labels('mnist-wide')).not.toContain('numpy');
    expect(labels('xor')).not.toContain('jax-js');
    expect(labels('xor', { node24: null, python: { torch: false, numpy: false }, threads: 1 })).not.toEqual(expect.arrayContaining(['wasmlp node24']));
    for (const id of JAX_WORKLOADS) expect(labels(id)).toContain('jax-js');
    const node24 = systemsFor(WORKLOADS.flower, env).find((s: { label: string }) => s.label === 'wasmlp node24 simd128');
    expect(node24.node).toBe('/x/node');
    expect(node24.args).toEqual(['--workload', 'flower', '--system', 'wasmlp-simd128']);
  });

  it("runs threads: 'auto' on every workload when threads are available, never without", () => {
    const env = { node24: null, python: { torch: false, numpy: false }, threads: 2 };
    for (const id of Object.keys(WORKLOADS) as (keyof typeof WORKLOADS)[]) {
      const auto = systemsFor(WORKLOADS[id], env).find((s: { label: string }) => s.label === 'wasmlp auto');
      expect(auto.args).toEqual(['--workload', id, '--system', 'wasmlp', '--threads', 'auto']);
      expect(systemsFor(WORKLOADS[id], { ...env, threads: 1 }).map((s: { label: string }) => s.label)).not.toContain('wasmlp auto');
    }
  });

  it('repeats a short timed run until the runs add up to MIN_TIMED_SECONDS and keeps the median one', async () => {
    const times = [0.05, 0.02, 0.09, 0.04, 0.08, 0.3];
    const dropped: number[] = [];
    let i = 0;
    const r = await timedRuns(
      async () => ({ seconds: times[i], id: i++ }),
      (x) => dropped.push(x.id),
    );
    // 0.05 + 0.02 + 0.09 + 0.04 + 0.08 = 0.28 >= 0.25: five runs, the median 0.05 (run 0).
    expect(MIN_TIMED_SECONDS).toBe(0.25);
    expect(r).toEqual({ seconds: 0.05, id: 0, repeats: 5 });
    expect(dropped.sort()).toEqual([1, 2, 3, 4]);
    const once = await timedRuns(async () => ({ seconds: 1 }));
    expect(once.repeats).toBe(1);
  });
});

describe("each new peer's step computes wasmlp's loss on a tiny case", () => {
  it.each(TINY)('jax-js on %s', async (id) => {
    const w = WORKLOADS[id];
    const d = await loadWorkloadData(w);
    // 4 digits: jax-js's softplus in f32 is ~2e-5 off near log 2 (flower's bce_logits at tiny weights).
    expect(await firstStepLoss(w, d)).toBeCloseTo(await wasmlpFirstLoss(id), 4);
  });

  const py = pythonPeers(spawnSync);
  for (const system of ['torch', 'numpy'] as const) {
    it.skipIf(!py[system]).each(TINY)(
      `${system} (${PYTHON}) on %s`,
      async (id) => {
        const dir = mkdtempSync(join(tmpdir(), 'wasmlp-suite-'));
        try {
          const file = await writeWorkloadFile(dir, id, true);
          const p = spawnSync(PYTHON, ['bench/peers/python_peer.py', '--system', system, '--file', file, '--loss-check'], {
            encoding: 'utf8',
            env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
          });
          const line = p.stdout.split('\n').find((l) => l.startsWith('LOSS '));
          expect(line, p.stderr).toBeDefined();
          expect(JSON.parse(line!.slice(5)).loss).toBeCloseTo(await wasmlpFirstLoss(id), 5);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
      60_000,
    );
  }
});
