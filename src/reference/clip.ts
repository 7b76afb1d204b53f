/**
 * Gradient clipping in float64, as PyTorch does it between backward and the optimiser step:
 * clip_grad_value_ (each value to [-clipValue, clipValue]) then clip_grad_norm_ (all values,
 * every W and b as one vector, scaled by clipGradNorm / (norm + 1e-6) when that is below 1).
 */

/** torch.nn.utils.clip_grad_norm_'s guard against a zero norm. */
export const CLIP_NORM_EPS = 1e-6;

/**
 * The clipped gradients as a new array (or `grads` itself when neither limit is set, > 0).
 * Mutates nothing.
 */
export function clipGradients(grads: Float64Array, clipGradNorm: number | undefined, clipValue: number | undefined): Float64Array {
  const byValue = clipValue !== undefined && clipValue > 0;
  const byNorm = clipGradNorm !== undefined && clipGradNorm > 0;
  if (!byValue && !byNorm) return grads;
  const out = byValue ? grads.map((g) => Math.max(-clipValue, Math.min(clipValue, g))) : Float64Array.from(grads);
  if (byNorm) {
    let sq = 0;
    for (const g of out) sq += g * g;
    const coef = clipGradNorm / (Math.sqrt(sq) + CLIP_NORM_EPS);
    if (coef < 1) for (let i = 0; i < out.length; i++) out[i] *= coef;
  }
  return out;
}
