/** Yielding to the event loop during training, so timers, abort signals and UI keep running. */

const schedule: (fn: () => void) => void =
  typeof setImmediate === 'function'
    ? (fn) => setImmediate(fn)
    : typeof MessageChannel === 'function'
      ? (() => {
          // setTimeout(0) is clamped to >= 4 ms in browsers; a MessageChannel message is not.
          const channel = new MessageChannel();
          const queue: (() => void)[] = [];
          channel.port1.onmessage = () => queue.shift()?.();
          return (fn: () => void) => {
            queue.push(fn);
            channel.port2.postMessage(null);
          };
        })()
      : (fn) => setTimeout(fn, 0);

/** Resolves on the next turn of the event loop. */
export function nextTick(): Promise<void> {
  return new Promise((resolve) => schedule(resolve));
}

/** Most calls a YieldClock lets pass between two clock reads unless told fewer. */
export const MAX_CLOCK_SKIP = 1024;

/**
 * Milliseconds since training last yielded, read from the clock only about once a millisecond:
 * Date.now() costs ~0.1 µs, a sizeable part of a tiny network's whole step (XOR: ~0.7 µs), so
 * the clock is read every `every` calls, that count doubling while reads come less than 1 ms
 * apart and back to 1 when they come more than 2 ms apart, never above `maxSkip`. A sudden
 * slowdown is noticed within the calls already skipped, so fit allows skips only when nothing
 * but its own steps runs between calls (no callbacks). Mutates only itself.
 */
export class YieldClock {
  constructor(private readonly maxSkip = MAX_CLOCK_SKIP) {}

  #last = Date.now();
  #now = this.#last;
  #every = 1;
  #skip = 1;

  /** Time since the last yield (ms), as of the latest clock read. */
  sinceYield(): number {
    if (--this.#skip > 0) return this.#now - this.#last;
    const t = Date.now();
    const dt = t - this.#now;
    if (dt < 1) this.#every = Math.min(this.#every * 2, this.maxSkip);
    else if (dt > 2) this.#every = 1;
    this.#skip = this.#every;
    this.#now = t;
    return t - this.#last;
  }

  /** Marks a yield now (reads the clock). */
  yielded(): void {
    this.#last = this.#now = Date.now();
    this.#every = 1;
    this.#skip = 1;
  }
}
