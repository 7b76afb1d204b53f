/**
 * `wasmlp bench --workload NAME [--threads N] [--backend wasm|reference] [--quick] [--json]`:
 * runs one standard workload (../shared/WORKLOADS.md) with wasmlp and prints its result, with
 * --json as exactly one JSON line in WORKLOADS.md's format (plus memory fields). The peers
 * (tfjs, brain.js) are measured by `npm run bench`, not here: the CLI never loads them.
 */
import { toJSONLine } from '../bench/record.js';
import { runWasmlp } from '../bench/run-wasmlp.js';
import { threadsSupport } from '../bench/threads.js';
import { getWorkload, WORKLOAD_IDS } from '../bench/workloads.js';
import { EXIT, UsageError } from './usage-error.js';

/** Options of the bench command as commander passes them. */
export interface BenchCommandOptions {
  workload: string;
  threads?: string;
  backend?: string;
  quick?: boolean;
  maxSeconds?: string;
  json?: boolean;
}

/** The workload names, for --help. */
export const BENCH_WORKLOADS = WORKLOAD_IDS.join(', ');

/** Runs the command; resolves to the exit code. Throws UsageError for bad arguments. */
export async function benchCommand(o: BenchCommandOptions): Promise<number> {
  let workload: ReturnType<typeof getWorkload>;
  try {
    workload = getWorkload(o.workload);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const backend = o.backend ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'reference') throw new UsageError(`--backend must be wasm or reference, got '${backend}'`);
  const threads = o.threads === undefined ? 1 : Number(o.threads);
  if (!Number.isInteger(threads) || threads < 1) throw new UsageError(`--threads must be an integer >= 1, got '${o.threads}'`);
  if (threads > 1 && (await threadsSupport()) === null)
    throw new UsageError(`--threads ${threads}: this build of wasmlp trains on one thread only (no 'threads' option yet)`);
  if (threads > 1 && backend !== 'wasm') throw new UsageError('--threads > 1 needs --backend wasm');
  const maxSeconds = o.maxSeconds === undefined ? 0 : Number(o.maxSeconds);
  if (!(maxSeconds >= 0)) throw new UsageError(`--max-seconds must be a number >= 0, got '${o.maxSeconds}'`);
  const record = await runWasmlp(workload, { backend, threads, quick: !!o.quick, maxSeconds });
  if (o.json) {
    process.stdout.write(`${toJSONLine(record)}\n`);
  } else {
    const k = (v: number) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} k` : v.toFixed(0));
    process.stdout.write(
      `${record.system} on ${record.workload} (${record.threads} thread${record.threads > 1 ? 's' : ''}): ` +
        `${k(record.samples_per_s)} samples/s (${record.seconds.toFixed(3)} s), final loss ${record.final_loss.toPrecision(4)}, ` +
        `accuracy ${(record.accuracy * 100).toFixed(1)} %\n  ${record.notes}\n`,
    );
    if (record.arena_bytes !== undefined) {
      process.stdout.write(
        `  arena during training ${record.arena_bytes} B (expected from the plan ${record.expected_arena_bytes} B), WebAssembly memory ${record.wasm_memory_bytes} B\n`,
      );
    }
  }
  return EXIT.ok;
}
