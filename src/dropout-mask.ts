/**
 * Dropout masks, defined so that both backends draw the very same ones without sharing a
 * generator's state: whether element e (row-major index within the batch, row r · width + c)
 * of dropout stage k survives a training step is a pure function of that step's 32-bit noise
 * seed, k and e. The seed is drawn per step from the model's seeded stream (fit); the function
 * is a stateless hash, so any thread can compute any element and a run is the same on 1 or N
 * threads. assembly/dropout.ts implements the same hash with the same constants.
 *
 * hash(seed, k, e) = fmix32(fmix32(seed ^ (k + 1) · 0x9E3779B9) + e), fmix32 being MurmurHash3's
 * finaliser, all in uint32 arithmetic. An element is kept when hash >= threshold(rate).
 */

/** MurmurHash3's 32-bit finaliser (a bijection on uint32). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The per-stage key: mixes the step's seed with the dropout stage's position k in the plan. */
export function dropoutKey(seed: number, stage: number): number {
  return fmix32((seed ^ Math.imul(stage + 1, 0x9e3779b9)) >>> 0);
}

/** The uint32 hash of element e under `key` (from dropoutKey). */
export function dropoutHash(key: number, e: number): number {
  return fmix32((key + e) >>> 0);
}

/** The hash threshold of a rate in [0, 1): floor(rate · 2^32), so an element survives with probability 1 - rate. */
export function dropoutThreshold(rate: number): number {
  return Math.min(Math.floor(rate * 4294967296), 4294967295);
}

/** Fills `mask` (rows · width values) with 1/(1 - rate) for kept elements and 0 for dropped ones. Mutates mask only. */
export function dropoutMask(mask: Float64Array, seed: number, stage: number, rate: number): Float64Array {
  const key = dropoutKey(seed, stage);
  const threshold = dropoutThreshold(rate);
  const scale = 1 / (1 - rate);
  for (let e = 0; e < mask.length; e++) mask[e] = dropoutHash(key, e) >= threshold ? scale : 0;
  return mask;
}
