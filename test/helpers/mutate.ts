/**
 * Mutations of valid files for the parser fuzzers: bit flips, interesting bytes, truncations,
 * 32-bit length-field overwrites, deleted and duplicated ranges, and splices with another seed
 * file. Deterministic: every choice comes from the Random passed in, so a failing case can be
 * replayed from its seed and index.
 */
import type { Random } from '../../src/index.js';

/** 32-bit values that break length arithmetic: zero, off-by-one, sign bits, all ones. */
const INTERESTING_U32 = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
const INTERESTING_U8 = [0, 1, 0x7f, 0x80, 0xff, 0x7b, 0x22];

/** The mutation kinds, by name (reported with a failing case). */
export const MUTATIONS = ['flip', 'byte', 'truncate', 'u32', 'u32-near-start', 'delete', 'duplicate', 'splice'] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** Applies one mutation of kind `kind` to a copy of `seed`; `other` is a second valid file to splice from. */
export function mutateOnce(seed: Uint8Array, kind: Mutation, random: Random, other: Uint8Array): Uint8Array {
  const n = seed.length;
  const at = (limit = n) => (limit > 0 ? random.int(limit) : 0);
  switch (kind) {
    case 'flip': {
      const out = seed.slice();
      const flips = 1 + random.int(8);
      for (let i = 0; i < flips && n > 0; i++) out[at()] ^= 1 << random.int(8);
      return out;
    }
    case 'byte': {
      const out = seed.slice();
      if (n > 0) out[at()] = INTERESTING_U8[random.int(INTERESTING_U8.length)];
      return out;
    }
    case 'truncate':
      return seed.slice(0, at(n));
    case 'u32':
    case 'u32-near-start': {
      const out = seed.slice();
      if (n < 4) return out;
      const limit = kind === 'u32' ? n - 3 : Math.min(n - 3, 64);
      const offset = at(limit);
      const pick = INTERESTING_U32[random.int(INTERESTING_U32.length)];
      const value = pick === 1 ? n + 1 : pick; // 1 stands for "one past the file's length"
      new DataView(out.buffer).setUint32(offset, value >>> 0, random.int(2) === 0);
      return out;
    }
    case 'delete': {
      const start = at();
      const end = Math.min(n, start + 1 + random.int(16));
      return concat(seed.subarray(0, start), seed.subarray(end));
    }
    case 'duplicate': {
      const start = at();
      const end = Math.min(n, start + 1 + random.int(64));
      return concat(seed.subarray(0, end), seed.subarray(start));
    }
    case 'splice': {
      const cut = at();
      const from = at(other.length);
      return concat(seed.subarray(0, cut), other.subarray(from));
    }
  }
}

/** One to three stacked mutations of a random kind each. Returns the bytes and a label of what was done. */
export function mutate(seed: Uint8Array, random: Random, other: Uint8Array): { bytes: Uint8Array; label: string } {
  let bytes = seed;
  const kinds: Mutation[] = [];
  const count = 1 + random.int(3);
  for (let i = 0; i < count; i++) {
    const kind = MUTATIONS[random.int(MUTATIONS.length)];
    kinds.push(kind);
    bytes = mutateOnce(bytes, kind, random, other);
  }
  return { bytes, label: kinds.join('+') };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Milliseconds each fuzz target runs: FUZZ_MS from the environment (scripts/fuzz.js sets it), else `fallback`. */
export function fuzzBudgetMs(fallback: number): number {
  const v = Number(process.env.FUZZ_MS);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}
