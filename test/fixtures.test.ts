// Every PyTorch golden run in ../shared/fixtures replayed through the public API on both
// backends: the float64 reference to 1e-9, the f32 WebAssembly core to FIXTURE_TOLERANCE.wasm.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFixture, FIXTURE_TOLERANCE } from '../src/index.js';

const dir = new URL('../../shared/fixtures/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('shared fixtures', () => {
  it('finds the fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });
  for (const file of files) {
    const fixture = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    for (const backend of ['reference', 'wasm'] as const) {
      it(`${file} on ${backend}`, async () => {
        const report = await checkFixture(fixture, backend);
        const detail = report.fields.map((f) => `${f.field}=${f.worst.toExponential(2)}`).join(' ');
        expect(report.worst, `${file} [${backend}] ${detail}`).toBeLessThanOrEqual(FIXTURE_TOLERANCE[backend]);
        if (report.kind !== 'dataset') expect(report.fields.length).toBeGreaterThan(0);
      });
    }
  }
});
