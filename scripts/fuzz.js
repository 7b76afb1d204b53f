#!/usr/bin/env node
/**
 * The long fuzz run: `npm run fuzz` (10 minutes in all by default), or `npm run fuzz -- 60` for
 * 60 seconds, or FUZZ_SEED=7 npm run fuzz for another mutation stream. Runs the parser fuzzers
 * (test/fuzz-parsers.test.ts) and the API properties (test/fuzz-api.test.ts) with the budget
 * split between their targets, and prints how many cases each ran.
 */
import { spawnSync } from 'node:child_process';

const TARGETS = 5 + 2; // parser targets + API properties (see those files)
const seconds = Number(process.argv[2] ?? process.env.FUZZ_SECONDS ?? 600);
if (!(seconds > 0)) {
  console.error(`fuzz: the budget must be a number of seconds > 0, got ${process.argv[2]}`);
  process.exit(2);
}
const env = { ...process.env, FUZZ_MS: String(Math.round((seconds * 1000) / TARGETS)), FUZZ_LONG: '1' };
const vitest = new URL('../node_modules/vitest/vitest.mjs', import.meta.url).pathname;
const result = spawnSync(
  process.execPath,
  [vitest, 'run', 'test/fuzz-parsers.test.ts', 'test/fuzz-api.test.ts', '--testTimeout', String((seconds + 120) * 1000)],
  { env, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
