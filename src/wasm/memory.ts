/**
 * The WebAssembly engine's allocation path: every size the core is asked to allocate is
 * computed and checked here, in float64, before the core is called, and every refusal becomes
 * an OutOfMemoryError naming the bytes asked, the bytes available and what to lower.
 *
 * Why in TypeScript: the core computes sizes in u32 (wasm32), so batch × width × 4 ≥ 2^32
 * would wrap there into a small, wrong buffer. Checking the sum against the memory's limit
 * first also refuses most impossible requests without growing memory at all; the core's own
 * allocations are transactional besides (assembly/network.ts), for the requests that pass this
 * check but meet a fragmented or already grown memory.
 */
import { OutOfMemoryError } from '../errors.js';
import { optimizerStateBuffers } from '../engine.js';
import { stageWidth, type Plan, type Stage } from '../plan.js';
import type { Core } from './core.js';

/** What to lower, for the messages. */
export const LOWER_BATCH = 'lower the batch size (or predict in smaller chunks) or the layer widths';
export const LOWER_MODEL = 'lower the layer widths or the number of layers, or dispose models no longer needed';
export const LOWER_DATA = 'stream (fit({ stream: true })), load fewer rows at once or dispose models no longer needed';

/**
 * One arena block for a payload of `bytes`: the payload rounded up to the header size, plus the
 * header, and at least the smallest block (sizes read from core c, assembly/arena.ts).
 */
export function blockBytes(c: Core, bytes: number): number {
  const { headerBytes, minBlockBytes } = c.abi.arena;
  return Math.max(minBlockBytes, Math.ceil(bytes / headerBytes) * headerBytes + headerBytes);
}

/** The most bytes core c could still hand out: its memory's limit less what live blocks hold. Reads only. */
export function availableBytes(c: Core): number {
  return Math.max(0, c.maxBytes - (c.exports.bytesInUse() >>> 0));
}

/** The OutOfMemoryError for a request of `requested` bytes (arena blocks) for `what` in core c. */
export function outOfMemory(c: Core, requested: number, what: string, lower: string): OutOfMemoryError {
  const available = availableBytes(c);
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  return new OutOfMemoryError(
    `out of WebAssembly memory: ${what} needs ${requested} bytes (${mib(requested)}) but at most ${available} ` +
      `(${mib(available)}) are available of the ${mib(c.maxBytes)} this memory can hold, the largest free block ` +
      `${mib(Math.max(c.exports.largestFreeBlock() >>> 0, c.maxBytes - c.exports.memory.buffer.byteLength))}: ${lower}`,
    requested,
    available,
  );
}

/**
 * Throws OutOfMemoryError unless core c could hold blocks for every payload size in `sizes`
 * at once: each under the arena's largest request (so that no u32 size can wrap) and their sum
 * within availableBytes. Reads only.
 */
export function checkFits(c: Core, sizes: readonly number[], what: string, lower: string): void {
  let total = 0;
  let tooLarge = false;
  for (const s of sizes) {
    total += blockBytes(c, s);
    if (!(s <= c.abi.arena.maxAllocBytes)) tooLarge = true;
  }
  if (tooLarge || total > availableBytes(c)) throw outOfMemory(c, total, what, lower);
}

/** Allocates `bytes` in core c after checkFits; throws OutOfMemoryError (allocating nothing) when it cannot. */
export function allocOrThrow(c: Core, bytes: number, what: string, lower = LOWER_DATA): number {
  const size = Math.max(bytes, 1);
  checkFits(c, [size], what, lower);
  const p = c.exports.tryAlloc(size) >>> 0;
  if (p === 0) throw outOfMemory(c, blockBytes(c, size), what, lower);
  return p;
}

/**
 * Values per row of each batch buffer of the core's network, in assembly/network.ts
 * netSetCapacity's order: stage outputs, the second buffer of BatchNorm and Dropout stages,
 * the input and target staging, two gradient buffers of the widest layer.
 */
function batchWidths(plan: Plan, stages: readonly Stage[]): number[] {
  const outs = stages.map(stageWidth);
  const second = stages.filter((s) => s.kind === 'batchnorm' || s.kind === 'dropout').map(stageWidth);
  const maxWidth = Math.max(plan.inputSize, ...outs);
  return [...outs, ...second, plan.inputSize, plan.outputSize, maxWidth, maxWidth];
}

/** Payload bytes of every batch buffer of a network for `capacity` rows (netSetCapacity allocates these). */
export function batchBufferBytes(plan: Plan, stages: readonly Stage[], capacity: number): number[] {
  return batchWidths(plan, stages).map((w) => Math.max(capacity, 1) * w * 4);
}

/**
 * Payload bytes of the buffers netBuild allocates besides the batch: parameters, two
 * gradients, the optimiser state, and three statistics rows per BatchNorm stage.
 */
export function parameterBufferBytes(plan: Plan, stages: readonly Stage[], parameterCount: number): number[] {
  const count = 3 + optimizerStateBuffers(plan.optimizer).length;
  const stats = stages.filter((s) => s.kind === 'batchnorm').map((s) => 3 * stageWidth(s) * 4);
  return [...new Array<number>(count).fill(parameterCount * 4), ...stats];
}

/** Most rows the batch buffers may hold: the core keeps the capacity in an i32. */
export const MAX_CAPACITY = 0x7fffffff;

/**
 * Grows the batch buffers of the network at `net` in core c to at least `rows` (never
 * shrinks): to twice the capacity when that fits, else to `rows`. Allocates, so may grow
 * memory; throws OutOfMemoryError, with the buffers and capacity unchanged, when not even
 * `rows` fit (checked here first, then refused and rolled back by the core).
 */
export function growCapacity(c: Core, net: number, plan: Plan, stages: readonly Stage[], rows: number): void {
  const e = c.exports;
  const cap = e.netCapacity(net);
  if (rows <= cap) return;
  const what = (n: number) => `batch buffers for ${n} rows of ${stages.length} stages`;
  for (const want of new Set([Math.min(Math.max(rows, cap * 2), MAX_CAPACITY), rows])) {
    const sizes = batchBufferBytes(plan, stages, want);
    try {
      checkFits(c, sizes, what(want), LOWER_BATCH);
    } catch (err) {
      if (want === rows) throw err;
      continue;
    }
    if (e.netSetCapacity(net, want) === 1) return;
    if (want === rows)
      throw outOfMemory(
        c,
        sizes.reduce((a, b) => a + b, 0),
        what(want),
        LOWER_BATCH,
      );
  }
}
