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
