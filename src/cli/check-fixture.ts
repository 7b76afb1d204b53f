/** `wasmlp check-fixture FILE... [--backend wasm|reference] [--tolerance T] [--json]`. */
import { readFile } from 'node:fs/promises';
import { checkFixture, FIXTURE_TOLERANCE, type FixtureReport } from '../check-fixture.js';
import type { BackendName } from '../engine-options.js';
import { EXIT, UsageError } from './usage-error.js';

/** Options of check-fixture as commander parses them. */
export interface CheckFixtureOptions {
  backend?: string;
  tolerance?: string;
  json?: boolean;
}

function printReport(r: FixtureReport, file: string): void {
  const verdict = r.pass ? 'PASS' : 'FAIL';
  console.log(`${verdict}  ${file}  [${r.backend}]  worst ${r.worst.toExponential(2)} (tolerance ${r.tolerance.toExponential(0)})`);
  for (const f of r.fields) console.log(`      ${f.field.padEnd(18)} ${f.worst.toExponential(2)}  (${f.values} values)`);
  if (r.kind === 'dataset') console.log('      (a dataset fixture: nothing to replay)');
}

/** Replays each fixture file on the chosen backends; resolves to the exit code (1 if any is beyond tolerance). */
export async function checkFixtureCommand(files: string[], options: CheckFixtureOptions): Promise<number> {
  const backends: BackendName[] = options.backend === undefined ? ['reference', 'wasm'] : [options.backend as BackendName];
  for (const b of backends) if (b !== 'wasm' && b !== 'reference') throw new UsageError(`--backend must be wasm or reference, got '${b}'`);
  let tolerance: number | undefined;
  if (options.tolerance !== undefined) {
    tolerance = Number(options.tolerance);
    if (!(tolerance >= 0)) throw new UsageError(`--tolerance must be a number >= 0, got '${options.tolerance}'`);
  }
  let failed = 0;
  for (const file of files) {
    let fixture: unknown;
    try {
      fixture = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`cannot read fixture ${file}: ${(e as Error).message}`);
    }
    for (const backend of backends) {
      const report = await checkFixture(fixture, backend, tolerance);
      if (!report.pass) failed++;
      if (options.json) console.log(JSON.stringify({ file, ...report }));
      else printReport(report, file);
    }
  }
  if (!options.json) console.log(failed === 0 ? 'all fixtures within tolerance' : `${failed} fixture run(s) beyond tolerance`);
  return failed === 0 ? EXIT.ok : EXIT.failed;
}

/** The default tolerances, for --help. */
export const TOLERANCE_HELP = `default: reference ${FIXTURE_TOLERANCE.reference}, wasm ${FIXTURE_TOLERANCE.wasm}`;
