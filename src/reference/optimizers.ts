/**
 * Optimisers in float64 with PyTorch 1.13 semantics (torch.optim.SGD, Adam, AdamW, RMSprop).
 *
 * Every parameter of the model is one flat array here (Keras order, concatenated), and so is
 * every state buffer: the updates are elementwise, so the tensor boundaries do not matter
 * except for which elements weight decay applies to (`decays`, 1 or 0 per element).
 *
 * `optimizerStep` is pure: it returns new parameter and state arrays and mutates nothing, so
 * the engine can check them for non-finite values before committing anything.
 */
import type { AdamConfig, OptimizerConfig, RMSpropConfig, SGDConfig } from '../plan.js';
import { optimizerStateBuffers, type OptimizerState } from '../engine.js';

/** A fresh state: step 0 and every buffer zero, each of `size` elements. */
export function initialState(config: OptimizerConfig, size: number): OptimizerState {
  const buffers: Record<string, Float64Array> = {};
  for (const name of optimizerStateBuffers(config)) buffers[name] = new Float64Array(size);
  return { step: 0, buffers };
}

/** A deep copy of a state. */
export function cloneState(state: OptimizerState): OptimizerState {
  const buffers: Record<string, Float64Array> = {};
  for (const [name, b] of Object.entries(state.buffers)) buffers[name] = Float64Array.from(b);
  return { step: state.step, buffers };
}

/**
 * One update. p: parameters, g: dL/dp (before weight decay), decays[i] = 1 where weight decay
 * applies to p[i]. Returns new parameters and a new state (step + 1); mutates nothing.
 */
export function optimizerStep(
  config: OptimizerConfig,
  p: Float64Array,
  g: Float64Array,
  decays: Uint8Array,
  state: OptimizerState,
): { params: Float64Array; state: OptimizerState } {
  const next = cloneState(state);
  next.step = state.step + 1;
  const params = Float64Array.from(p);
  switch (config.type) {
    case 'sgd':
      sgd(config, params, g, decays, next);
      break;
    case 'adam':
    case 'adamw':
      adam(config, params, g, decays, next);
      break;
    case 'rmsprop':
      rmsprop(config, params, g, decays, next);
      break;
    default:
      throw new Error(`reference: unknown optimizer type '${(config as { type: string }).type}'`);
  }
  return { params, state: next };
}

/** L2 weight decay folded into the gradient (not AdamW's decoupled form). */
function decayedGradient(g: number, p: number, wd: number, decays: number): number {
  return wd !== 0 && decays ? g + wd * p : g;
}

/**
 * SGD: d = g + wd p; with momentum, buf = d on the first step, else m buf + (1 - dampening) d;
 * the step is d + m buf with Nesterov, else buf; p -= lr step. Mutates p and s.
 */
function sgd(c: SGDConfig, p: Float64Array, g: Float64Array, decays: Uint8Array, s: OptimizerState): void {
  const buf = s.buffers.momentum;
  for (let i = 0; i < p.length; i++) {
    let d = decayedGradient(g[i], p[i], c.weightDecay, decays[i]);
    if (c.momentum !== 0) {
      buf[i] = s.step === 1 ? d : c.momentum * buf[i] + (1 - c.dampening) * d;
      d = c.nesterov ? d + c.momentum * buf[i] : buf[i];
    }
    p[i] = p[i] - c.lr * d;
  }
}

/**
 * Adam / AdamW at step t: AdamW first shrinks p by (1 - lr wd), Adam adds wd p to g instead;
 * m = b1 m + (1-b1) g; v = b2 v + (1-b2) g²; with amsgrad the running max of v replaces v;
 * p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps), as PyTorch computes it.
 * Mutates p and s.
 */
function adam(c: AdamConfig, p: Float64Array, g: Float64Array, decays: Uint8Array, s: OptimizerState): void {
  const { m, v, vMax } = s.buffers;
  const t = s.step;
  const stepSize = c.lr / (1 - c.beta1 ** t);
  const bias2Sqrt = Math.sqrt(1 - c.beta2 ** t);
  for (let i = 0; i < p.length; i++) {
    let gi = g[i];
    if (c.type === 'adamw') {
      if (decays[i]) p[i] = p[i] * (1 - c.lr * c.weightDecay);
    } else {
      gi = decayedGradient(gi, p[i], c.weightDecay, decays[i]);
    }
    m[i] = c.beta1 * m[i] + (1 - c.beta1) * gi;
    v[i] = c.beta2 * v[i] + (1 - c.beta2) * gi * gi;
    let second = v[i];
    if (c.amsgrad) {
      vMax[i] = Math.max(vMax[i], v[i]);
      second = vMax[i];
    }
    const denom = Math.sqrt(second) / bias2Sqrt + c.eps;
    p[i] = p[i] - stepSize * (m[i] / denom);
  }
}

/**
 * RMSprop: g += wd p; sq = alpha sq + (1-alpha) g²; centred: ga = alpha ga + (1-alpha) g and
 * avg = sqrt(sq - ga²) + eps, else sqrt(sq) + eps; with momentum buf = mom buf + g/avg and
 * p -= lr buf, else p -= lr g/avg. Mutates p and s.
 */
function rmsprop(c: RMSpropConfig, p: Float64Array, g: Float64Array, decays: Uint8Array, s: OptimizerState): void {
  const { squareAvg, gradAvg, momentum } = s.buffers;
  for (let i = 0; i < p.length; i++) {
    const gi = decayedGradient(g[i], p[i], c.weightDecay, decays[i]);
    squareAvg[i] = c.alpha * squareAvg[i] + (1 - c.alpha) * gi * gi;
    let avg: number;
    if (c.centered) {
      gradAvg[i] = c.alpha * gradAvg[i] + (1 - c.alpha) * gi;
      avg = Math.sqrt(squareAvg[i] - gradAvg[i] * gradAvg[i]) + c.eps;
    } else {
      avg = Math.sqrt(squareAvg[i]) + c.eps;
    }
    if (c.momentum > 0) {
      momentum[i] = c.momentum * momentum[i] + gi / avg;
      p[i] = p[i] - c.lr * momentum[i];
    } else {
      p[i] = p[i] - c.lr * (gi / avg);
    }
  }
}
