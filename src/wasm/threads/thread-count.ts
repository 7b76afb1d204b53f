/**
 * How many threads a step gets. A step is split at 5 barriers (plus one per Dense layer, see
 * assembly/network.ts), each 1 µs when the waiting thread is still polling and 10-30 µs when
 * it has to be woken from the futex, so small steps run faster on one thread. 'auto' gives a
 * step more threads only when it has at least AUTO_MIN_FLOPS of work (≈ 50 µs on one core at
 * ~40 GFLOPS, so that the barriers cost a few per cent at worst), and then min(cores, 4).
 */
import type { ThreadsOption } from '../../engine-options.js';
import type { Plan } from '../../plan.js';

/** Most threads 'auto' takes. */
export const AUTO_MAX_THREADS = 4;
/** Least work per step, in floating-point operations, for which 'auto' uses threads. */
export const AUTO_MIN_FLOPS = 2e6;

/** Floating-point operations of a training step on `rows` rows: 3 products per Dense, less the first one's input gradient. */
export function trainFlops(plan: Plan, rows: number): number {
  let flops = 0;
  let first = true;
  for (const s of plan.stages) {
    if (s.kind !== 'dense') continue;
    flops += 2 * rows * s.inSize * s.outSize * (first ? 2 : 3);
    first = false;
  }
  return flops;
}

/** Floating-point operations of a forward pass on `rows` rows. */
export function forwardFlops(plan: Plan, rows: number): number {
  let flops = 0;
  for (const s of plan.stages) if (s.kind === 'dense') flops += 2 * rows * s.inSize * s.outSize;
  return flops;
}

/** Threads for a step of `flops` work: a count as given; 'auto' by the rule above. */
export function threadsFor(option: ThreadsOption, flops: number, cores: number): number {
  if (option !== 'auto') return option;
  return flops >= AUTO_MIN_FLOPS ? Math.max(1, Math.min(cores, AUTO_MAX_THREADS)) : 1;
}
