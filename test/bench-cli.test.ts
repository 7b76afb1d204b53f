// `wasmlp bench`: one standard workload with wasmlp, printed as one JSON line in WORKLOADS.md's
// format. No timing assertions: only the shape of the line and proof that the run trained.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectedArenaBytes, blockBytes } from '../src/bench/memory.js';
import { capSchedule } from '../src/bench/schedule.js';
import { WORKLOADS } from '../src/bench/workloads.js';
import { lower } from '../src/model/lower.js';
import { wasmlpLayers } from '../src/bench/run-wasmlp.js';
import { SGD } from '../src/model/optimizers.js';
import { wasmlp } from './helpers/cli.js';
import { ready } from '../src/wasm/core.js';

describe('wasmlp bench', () => {
  it('prints exactly one JSON line with the WORKLOADS.md fields for xor, trained to accuracy 1', async () => {
    const r = await wasmlp('bench', '--workload', 'xor', '--json');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const row = JSON.parse(lines[0]);
    expect(Object.keys(row).slice(0, 8)).toEqual(['system', 'workload', 'threads', 'seconds', 'samples_per_s', 'final_loss', 'accuracy', 'notes']);
    expect(row.system).toBe('wasmlp wasm');
    expect(row.workload).toBe('xor');
    expect(row.threads).toBe(1);
    expect(row.seconds).toBeGreaterThan(0);
    expect(row.samples_per_s).toBeCloseTo((5000 * 4) / row.seconds, 0);
    expect(Number.isFinite(row.final_loss)).toBe(true);
    expect(row.accuracy).toBe(1);
    expect(typeof row.notes).toBe('string');
    // The arena during training holds exactly what the plan says, and stays that size.
    expect(row.arena_bytes).toBe(row.expected_arena_bytes);
    expect(row.arena_constant).toBe(true);
  }, 60_000);

  it('refuses an unknown workload, backend or thread count with exit 2', async () => {
    const bad = await wasmlp('bench', '--workload', 'nope', '--json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown workload 'nope' \(valid: xor, moons-small/);
    const backend = await wasmlp('bench', '--workload', 'xor', '--backend', 'gpu');
    expect(backend.code).toBe(2);
    expect(backend.stderr).toMatch(/--backend must be wasm or reference/);
    const threads = await wasmlp('bench', '--workload', 'xor', '--threads', '0');
    expect(threads.code).toBe(2);
    expect(threads.stderr).toMatch(/--threads must be an integer >= 1/);
  }, 30_000);
});

describe('bench accounting', () => {
  // The block and descriptor sizes are the core's own (src/wasm/abi.ts).
  beforeAll(() => ready());

  it('counts arena blocks as the allocator hands them out', () => {
    expect(blockBytes(0)).toBe(32);
    expect(blockBytes(1)).toBe(32);
    expect(blockBytes(16)).toBe(32);
    expect(blockBytes(17)).toBe(48);
  });

  it('expects parameters, two gradient buffers, batch activations and data for mnist-mlp', () => {
    const w = WORKLOADS['mnist-mlp'];
    const plan = lower(wasmlpLayers(w), w.loss, new SGD({ lr: w.lr }).config);
    const b = expectedArenaBytes(plan, 64, 1280);
    const params = 784 * 64 + 64 + 64 * 10 + 10;
    expect(b.parameters).toBe(blockBytes(params * 4));
    expect(b.gradients).toBe(2 * b.parameters);
    expect(b.optimizerState).toBe(0);
    expect(b.data).toBe(blockBytes(1280 * 784 * 4) + blockBytes(1280 * 10 * 4));
  });

  it('cuts slow schedules to whole batches or epochs', () => {
    const mnist = WORKLOADS['mnist-mlp'];
    expect(capSchedule(mnist, { epochs: 1, rows: 60000 }, 1000, 2)).toEqual({ epochs: 1, rows: 1984 });
    const xor = WORKLOADS.xor;
    expect(capSchedule(xor, { epochs: 5000, rows: 4 }, 4000, 1)).toEqual({ epochs: 1000, rows: 4 });
    expect(capSchedule(xor, { epochs: 5000, rows: 4 }, 1e9, 1)).toEqual({ epochs: 5000, rows: 4 });
  });
});
