/**
 * A team of threads working on one step in shared memory: how work is split, and the barrier
 * that separates the phases of a step. All of a team's shared state is one control block
 * (CTL_BYTES, allocated by the instance that owns memory): instance globals are per thread,
 * so nothing shared may live in them.
 *
 * Splits never cut a reduction: each thread computes whole output elements (rows of a batch,
 * rows of a weight gradient, columns of a bias gradient) with the same code and summation
 * order as one thread would, so results do not depend on the number of threads.
 *
 * In builds without threads (ASC_FEATURE_THREADS false) a team is always one thread, the
 * barrier compiles to nothing and no atomic instruction is emitted.
 */

/** Control block layout, byte offsets. Hot counters sit on their own 64-byte lines. */
export const CTL_GEN = 0;        // i32: job generation, bumped to start a job
export const CTL_CMD = 4;        // i32: the job (JOB_*)
export const CTL_THREADS = 8;    // i32: threads taking part in the job (tid < this)
export const CTL_FAILED = 12;    // i32: set by JS when a worker died: everyone waiting aborts
export const CTL_ARGS = 16;      // 6 × i32: net, x, y, order, start, count
export const CTL_SPIN = 40;      // i32: polls before a waiting thread sleeps
export const CTL_NO_WAIT = 44;   // i32: 1 when thread 0 must not block (a browser's main thread)
export const CTL_GEN_SLEEPERS = 48;
export const CTL_BAR_COUNT = 64;
export const CTL_BAR_EPOCH = 128;
export const CTL_BAR_SLEEPERS = 132;
export const CTL_FLAGS = 192;    // i32 per thread: status bits of its share (MAX_THREADS)
export const MAX_THREADS = 64;
export const CTL_BYTES: usize = 448;

/**
 * Start of thread t's share of n items split over nt threads in chunks that are multiples of
 * `align` (so that register tiles are not cut); thread t gets [start(t), start(t + 1)),
 * possibly empty. With nt = 1 the one share is [0, n).
 */
// @ts-ignore: decorator
@inline export function shareStart(n: i32, nt: i32, t: i32, align: i32): i32 {
  const per = (n + nt - 1) / nt;
  const chunk = (per + align - 1) / align * align;
  return min(n, t * chunk);
}

/**
 * Waits until the i32 at ctl + off differs from `old`: polls CTL_SPIN times (a wake-up from
 * the futex costs 10-30 µs, a poll well under one), then sleeps on it unless `mayWait` is false.
 * Sleeps in slices of 100 ms to notice a failed worker (CTL_FAILED), and aborts then.
 */
function awaitChange(ctl: usize, off: usize, sleepers: usize, old: i32, mayWait: bool): void {
  const spins = load<i32>(ctl + CTL_SPIN);
  for (let i = 0; i < spins; i++) {
    if (atomic.load<i32>(ctl + off) != old) return;
  }
  while (atomic.load<i32>(ctl + off) == old) {
    if (atomic.load<i32>(ctl + CTL_FAILED) != 0) abort("wasmlp: a worker thread failed; the thread pool is unusable");
    if (!mayWait) continue;
    // Counted, so that the last thread in only pays for a notify when someone sleeps.
    atomic.add<i32>(ctl + sleepers, 1);
    memory.atomic.wait32(ctl + off, old, 100_000_000);
    atomic.sub<i32>(ctl + sleepers, 1);
  }
}

/** Bumps the i32 at ctl + off and wakes whoever sleeps on it. */
export function bump(ctl: usize, off: usize, sleepers: usize): void {
  if (ASC_FEATURE_THREADS) {
    atomic.add<i32>(ctl + off, 1);
    if (atomic.load<i32>(ctl + sleepers) != 0) atomic.notify(ctl + off, -1);
  }
}

/** Sense-reversing barrier of the nt threads of the team at ctl. */
function arrive(ctl: usize, tid: i32, nt: i32): void {
  const epoch = atomic.load<i32>(ctl + CTL_BAR_EPOCH);
  if (atomic.add<i32>(ctl + CTL_BAR_COUNT, 1) == nt - 1) {
    // Last in: reset the count before releasing, so that nobody can arrive at the next one early.
    atomic.store<i32>(ctl + CTL_BAR_COUNT, 0);
    bump(ctl, CTL_BAR_EPOCH, CTL_BAR_SLEEPERS);
    return;
  }
  awaitChange(ctl, CTL_BAR_EPOCH, CTL_BAR_SLEEPERS, epoch, tid != 0 || load<i32>(ctl + CTL_NO_WAIT) == 0);
}

/** Returns once all nt threads of the team have called it. Free for a team of one. */
// @ts-ignore: decorator
@inline export function barrier(ctl: usize, tid: i32, nt: i32): void {
  if (ASC_FEATURE_THREADS) {
    if (nt > 1) arrive(ctl, tid, nt);
  }
}

/** Waits (spin, then sleep) until the job generation differs from `seen`; returns the new one. */
export function awaitJob(ctl: usize, seen: i32): i32 {
  if (ASC_FEATURE_THREADS) {
    awaitChange(ctl, CTL_GEN, CTL_GEN_SLEEPERS, seen, true);
    return atomic.load<i32>(ctl + CTL_GEN);
  }
  return seen;
}
