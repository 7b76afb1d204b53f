/**
 * A small seeded random generator: xoshiro128** (Blackman & Vigna, 2018).
 *
 * Why this one: it is well known, fast with 32-bit integer arithmetic only (no BigInt in the
 * hot path), and every JS engine computes `Math.imul`, shifts and xors bit-identically, so the
 * same seed gives the same integer stream everywhere.
 *
 * Seeding: the integer seed is fed to SplitMix64 (Vigna's standard seeder for the xoshiro
 * family); its first two 64-bit outputs, each split low word first, become the four state words
 * s0 = lo(o1), s1 = hi(o1), s2 = lo(o2), s3 = hi(o2). Negative seeds are taken modulo 2^64.
 *
 * Floating point: `next()` uses 53 random bits from two draws, exact in float64. `normal()` uses
 * the Marsaglia polar method, which needs only +, -, *, /, Math.sqrt and Math.log, and keeps the
 * second value of each pair for the next call. Math.sqrt is correctly rounded everywhere; Math.log
 * is not required by ECMAScript to be bit-identical across engines (V8 and SpiderMonkey both use
 * fdlibm's log and agree in practice), so normals are bit-reproducible on the same engine family
 * and within an ulp elsewhere. Uniforms, integers and shuffles are exact everywhere.
 */
import { ValueError } from './errors.js';

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** Rotates a 32-bit word left by k bits. */
function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Two SplitMix64 outputs from a 64-bit seed, as four 32-bit words, low word first. */
function splitMix64Words(seed: number): [number, number, number, number] {
  const mask = (1n << 64n) - 1n;
  let state = BigInt.asUintN(64, BigInt(seed));
  const words: number[] = [];
  for (let i = 0; i < 2; i++) {
    state = (state + 0x9e3779b97f4a7c15n) & mask;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
    z = z ^ (z >> 31n);
    words.push(Number(z & 0xffffffffn), Number(z >> 32n));
  }
  return words as [number, number, number, number];
}

/** The full state of a Random: the four xoshiro words (unsigned) and the cached normal, if any. */
export interface RandomState {
  s: [number, number, number, number];
  spare: number | null;
}

/** A seeded xoshiro128** generator. Every method advances the generator's state. */
export class Random {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;
  /** The second value of the last polar-method pair, waiting to be returned by normal(). */
  #spare: number | null = null;

  /**
   * Creates a generator from an integer seed (any safe integer, negative allowed).
   * Throws an Error if the seed is not a finite safe integer.
   */
  constructor(seed: number) {
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
      throw new ValueError(`Random: seed must be a finite safe integer, got ${String(seed)}`);
    }
    [this.#s0, this.#s1, this.#s2, this.#s3] = splitMix64Words(seed);
    // The all-zero state is the one state xoshiro cannot leave; SplitMix64 never yields it
    // for two consecutive outputs, but guard anyway.
    if ((this.#s0 | this.#s1 | this.#s2 | this.#s3) === 0) this.#s0 = 1;
  }

  /** A copy of the generator's whole state (for saving a model mid-training). Changes nothing. */
  getState(): RandomState {
    return { s: [this.#s0 >>> 0, this.#s1 >>> 0, this.#s2 >>> 0, this.#s3 >>> 0], spare: this.#spare };
  }

  /**
   * Replaces the state with one from getState(), so the stream continues exactly where that
   * generator was. Throws ValueError (changing nothing) for words outside [0, 2^32), the all-zero
   * state, or a non-finite spare.
   */
  setState(state: RandomState): void {
    const s = (state as { s?: unknown } | null)?.s;
    if (!Array.isArray(s) || s.length !== 4 || !s.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_POW_32)) {
      throw new ValueError('Random.setState: s must be four integers in [0, 2^32)');
    }
    if (s.every((w) => w === 0)) throw new ValueError('Random.setState: the all-zero state is invalid for xoshiro128**');
    const spare = state.spare ?? null;
    if (spare !== null && (typeof spare !== 'number' || !Number.isFinite(spare)))
      throw new ValueError(`Random.setState: spare must be null or a finite number, got ${String(spare)}`);
    // Stored as signed 32-bit words like the arithmetic in nextUint32 produces them.
    [this.#s0, this.#s1, this.#s2, this.#s3] = s.map((w: number) => w | 0);
    this.#spare = spare;
  }

  /** The next 32-bit unsigned integer in [0, 2^32). Advances the state by one step. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#s1, 5), 7), 9) >>> 0;
    const t = this.#s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= this.#s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  /** A uniform float in [0, 1) with 53 random bits: the top 27 bits of one draw and 26 of the next. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  /** A uniform float in [a, b). Throws if a or b is not finite or a > b. */
  uniform(a: number, b: number): number {
    if (!Number.isFinite(a) || !Number.isFinite(b) || a > b) {
      throw new ValueError(`Random.uniform: need finite a <= b, got a=${a}, b=${b}`);
    }
    return a + (b - a) * this.next();
  }

  /**
   * A normal draw with the given mean and standard deviation (Marsaglia polar method).
   * Each accepted pair yields two independent standard normals; the second is cached and
   * returned by the next call, so the sequence depends only on the seed and the call order.
   */
  normal(mean = 0, std = 1): number {
    if (!Number.isFinite(mean) || !Number.isFinite(std) || std < 0) {
      throw new ValueError(`Random.normal: need finite mean and std >= 0, got mean=${mean}, std=${std}`);
    }
    if (this.#spare !== null) {
      const z = this.#spare;
      this.#spare = null;
      return mean + std * z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.#spare = v * m;
    return mean + std * (u * m);
  }

  /**
   * An unbiased integer in [0, n) for an integer 1 <= n <= 2^32. Rejection sampling: draws
   * that fall in the incomplete last block of size 2^32 mod n are redrawn, so no value is
   * favoured (a plain `x % n` would be).
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new ValueError(`Random.int: n must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** Shuffles `a` in place (Fisher–Yates, from the end, one int() draw per position). Returns `a`. */
  shuffle(a: Int32Array): Int32Array {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return a;
  }

  /** A uniformly random permutation of 0 .. n-1 (identity, then shuffle()). */
  permutation(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
      throw new ValueError(`Random.permutation: n must be a non-negative integer, got ${n}`);
    }
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = i;
    return this.shuffle(a);
  }
}
