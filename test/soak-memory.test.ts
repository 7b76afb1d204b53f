/**
 * Soak: 10,000 models created, trained (two Adam steps), serialised (binary and JSON, every 10th
 * loaded back) and disposed in one process. Run in a child process with --expose-gc (vitest's
 * workers cannot call gc()), on the built dist/ (`npm test` builds it first). Measured after a
 * full GC at the end of a 1,000-model warm-up and at the end, in bytes:
 * - WebAssembly memory: exactly equal (the arena reuses its freed blocks), arena bytes in use 0;
 * - JS heap used: within HEAP_SLACK (2 MiB, ~200 bytes per model: a leaked array per model would
 *   exceed it);
 * - RSS: within RSS_SLACK (48 MiB): RSS also counts pages the allocator and V8 keep mapped after
 *   freeing, which move in steps of a few MiB without being a leak.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const HEAP_SLACK = 2 * 1024 * 1024;
const RSS_SLACK = 48 * 1024 * 1024;

describe('soak: 10,000 models in one process', () => {
  it('keeps wasm memory exactly flat and heap and RSS within their slack after warm-up', async () => {
    const script = new URL('./helpers/soak-models.mjs', import.meta.url).pathname;
    const { stdout } = await run(process.execPath, ['--expose-gc', script, '10000', '1000'], { maxBuffer: 1 << 20 });
    const r = JSON.parse(stdout.trim().split('\n').pop()!);
    console.log(`soak: ${JSON.stringify(r)}`);
    expect(r.arenaCheck).toBe(0);
    expect(r.end.arena).toBe(0);
    expect(r.end.wasm).toBe(r.warm.wasm);
    expect(r.end.heap - r.warm.heap).toBeLessThan(HEAP_SLACK);
    expect(r.end.rss - r.warm.rss).toBeLessThan(RSS_SLACK);
  });
});
