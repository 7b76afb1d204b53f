/**
 * The `wasmlp` command line. For now: `wasmlp check-fixture FILE... [--backend wasm|reference]
 * [--tolerance T]`. Exit codes: 0 all good, 1 a fixture is beyond tolerance, 2 bad usage or file.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { checkFixture, FIXTURE_TOLERANCE, type FixtureReport } from './check-fixture.js';
import type { BackendName } from './model/backends.js';

const USAGE = `Usage: wasmlp <command> [options]

Commands:
  check-fixture FILE...   replay PyTorch golden runs (../shared/fixtures format) through the
                          public API and print the worst scaled error |a-b|/max(1,|b|) per field
      --backend wasm|reference   which backend (default: both)
      --tolerance T              pass bound (default: reference ${FIXTURE_TOLERANCE.reference}, wasm ${FIXTURE_TOLERANCE.wasm})
      --json                     one JSON report per line instead of a table

  --help                  this text
`;

class UsageError extends Error {}

function printReport(r: FixtureReport, file: string): void {
  const verdict = r.pass ? 'PASS' : 'FAIL';
  console.log(`${verdict}  ${file}  [${r.backend}]  worst ${r.worst.toExponential(2)} (tolerance ${r.tolerance.toExponential(0)})`);
  for (const f of r.fields) console.log(`      ${f.field.padEnd(18)} ${f.worst.toExponential(2)}  (${f.values} values)`);
  if (r.kind === 'dataset') console.log('      (a dataset fixture: nothing to replay)');
}

async function checkFixtures(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: { backend: { type: 'string' }, tolerance: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) { console.log(USAGE); return 0; }
  if (positionals.length === 0) throw new UsageError('check-fixture needs at least one FILE');
  const backends: BackendName[] = values.backend === undefined ? ['reference', 'wasm'] : [values.backend as BackendName];
  for (const b of backends) if (b !== 'wasm' && b !== 'reference') throw new UsageError(`--backend must be wasm or reference, got '${b}'`);
  let tolerance: number | undefined;
  if (values.tolerance !== undefined) {
    tolerance = Number(values.tolerance);
    if (!(tolerance >= 0)) throw new UsageError(`--tolerance must be a number >= 0, got '${values.tolerance}'`);
  }
  let failed = 0;
  for (const file of positionals) {
    let fixture: unknown;
    try {
      fixture = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`cannot read fixture ${file}: ${(e as Error).message}`);
    }
    for (const backend of backends) {
      const report = await checkFixture(fixture, backend, tolerance);
      if (!report.pass) failed++;
      if (values.json) console.log(JSON.stringify({ file, ...report }));
      else printReport(report, file);
    }
  }
  if (!values.json) console.log(failed === 0 ? 'all fixtures within tolerance' : `${failed} fixture run(s) beyond tolerance`);
  return failed === 0 ? 0 : 1;
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === 'check-fixture') return await checkFixtures(rest);
    throw new UsageError(`unknown command '${command}'`);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`wasmlp: ${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`wasmlp: ${(e as Error).message}`);
    return 2;
  }
}
