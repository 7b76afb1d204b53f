#!/usr/bin/env node
// The CLI entry: the compiled TypeScript lives in dist/ (built by `npm run build`, run on install via `prepare`).
import { ready } from '../dist/index.js';
import { main } from '../dist/cli/main.js';

await ready();
process.exitCode = await main(process.argv.slice(2));
