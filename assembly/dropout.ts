/**
 * Inverted dropout's masks, the same function as src/dropout-mask.ts (see there): element e of
 * the batch (row-major) in dropout stage k is kept when
 * fmix32(fmix32(seed ^ (k + 1) · 0x9E3779B9) + e) >= threshold, a pure function of the step's
 * noise seed, so any thread computes any element and both backends draw the same masks.
 */

/** MurmurHash3's 32-bit finaliser. */
// @ts-ignore: decorator
@inline function fmix32(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

/** The key of dropout stage k (its position among the plan's dropout stages) for a step's seed. */
export function dropoutKey(seed: u32, k: i32): u32 {
  return fmix32(seed ^ (<u32>(k + 1) * 0x9e3779b9));
}

/** floor(rate · 2^32), clamped to uint32: an element survives with probability 1 - rate. */
export function dropoutThreshold(rate: f64): u32 {
  return <u32>min(Math.floor(rate * 4294967296.0), 4294967295.0);
}

/**
 * Elements [e0, e1): mask[e] = scale when kept else 0, and out[e] = x[e] · mask[e]. x and out
 * may be the same buffer.
 */
export function dropoutForward(x: usize, out: usize, mask: usize, key: u32, threshold: u32, scale: f32, e0: i32, e1: i32): void {
  for (let e = e0; e < e1; e++) {
    const m: f32 = fmix32(key + <u32>e) >= threshold ? scale : 0;
    const o = <usize>e << 2;
    store<f32>(mask + o, m);
    store<f32>(out + o, load<f32>(x + o) * m);
  }
}

/** Elements [e0, e1) of g, in place: g[e] · mask[e]. */
export function dropoutBackward(g: usize, mask: usize, e0: i32, e1: i32): void {
  for (let e = e0; e < e1; e++) {
    const o = <usize>e << 2;
    store<f32>(g + o, load<f32>(g + o) * load<f32>(mask + o));
  }
}
