// `wasmlp check-fixture`: the fixture runner as a command, with meaningful exit codes.
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wasmlp } from './helpers/cli.js';

const fixtures = new URL('../../shared/fixtures/', import.meta.url).pathname;

describe('wasmlp check-fixture', () => {
  it('passes the shared fixtures on both backends and prints the worst error per field', async () => {
    const r = await wasmlp('check-fixture', join(fixtures, 'softmax_ce_adam_relu.json'), join(fixtures, 'seed003_fixed_forward.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS .*softmax_ce_adam_relu.json +\[reference\]/);
    expect(r.stdout).toMatch(/PASS .*softmax_ce_adam_relu.json +\[wasm\]/);
    expect(r.stdout).toMatch(/grads_step0 +\d\.\d\de-\d+/);
    expect(r.stdout).toContain('all fixtures within tolerance');
  });

  it('exits 1 when a fixture is beyond tolerance', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmlp-'));
    const fixture = JSON.parse(readFileSync(join(fixtures, 'sigmoid_mse_sgd_xor.json'), 'utf8'));
    fixture.final.W0[0][0] += 1e-3; // a corrupted golden value
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(fixture));
    const r = await wasmlp('check-fixture', file, '--backend', 'reference', '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout.trim());
    expect(report.pass).toBe(false);
    expect(report.fields.find((f: { field: string }) => f.field === 'final').worst).toBeGreaterThan(1e-4);
  });

  it('exits 2 with a clear message for a missing file or a bad flag', async () => {
    const missing = await wasmlp('check-fixture', '/nonexistent/fixture.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read fixture \/nonexistent\/fixture.json/);
    const flag = await wasmlp('check-fixture', '--backend', 'gpu', join(fixtures, 'sigmoid_mse_sgd_xor.json'));
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--backend must be wasm or reference/);
    const unknown = await wasmlp('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
