// A tiny seeded generator (mulberry32) for test inputs: uniform values in [-1, 1).
// Separate from the library's Random so the tests' data does not depend on the code under test.

/** A function returning the next uniform value in [-1, 1) of the stream for `seed`. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}
