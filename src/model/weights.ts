/**
 * Weights between their user-facing form (getWeights / setWeights: W as [in][out] rows, b flat,
 * in Keras order) and the engine's flat float64 arrays, with the checks a weight list must pass.
 */
import { ShapeError, ValueError, describe } from '../errors.js';
import { parameterLayout, type Plan } from '../plan.js';
import type { Engine } from '../engine.js';
import { MAX_MAGNITUDE, toRows, type Matrix } from './input.js';

/** Weights in Keras order: W as [in][out] rows, b as a flat list. */
export type Weights = (number[][] | number[])[];

/** Names of the parameter tensors in Keras order, W0, b0, W1, ... (bn0_gamma, ... for a BatchNorm), from the layout. */
export function parameterNames(layout: readonly { name: string }[]): string[] {
  return layout.map((e) => e.name);
}

/** Parameter arrays in the getWeights() form: W as [in][out] rows, b flat. Returns new arrays. */
export function nest(plan: Plan, params: Float64Array[]): Weights {
  const layout = parameterLayout(plan);
  return params.map((p, i) => {
    const shape = layout[i].shape;
    return shape.length === 1 ? Array.from(p) : toRows({ data: p, rows: shape[0], cols: shape[1] });
  });
}

/** Checks a weight list against the plan and flattens it; throws ShapeError / ValueError naming the tensor. */
export function checkWeights(plan: Plan, weights: unknown): Float64Array[] {
  const layout = parameterLayout(plan);
  if (!Array.isArray(weights)) throw new ShapeError(`weights must be an array of ${layout.length} tensors, got ${describe(weights)}`);
  if (weights.length !== layout.length) {
    throw new ShapeError(
      `expected ${layout.length} weight tensors ([W0, b0, W1, b1, ...]) but got ${weights.length} (this model: ${parameterNames(layout).join(', ')})`,
    );
  }
  const names = parameterNames(layout);
  return layout.map((entry, i) => {
    const name = names[i];
    const w = weights[i];
    let flat: ArrayLike<unknown>;
    if (Array.isArray(w) && w.length > 0 && Array.isArray(w[0])) {
      if (entry.shape.length !== 2 || w.length !== entry.shape[0]) {
        throw new ShapeError(`${name} must have shape [${entry.shape.join(', ')}] but has ${w.length} rows`);
      }
      const rows = w as unknown[][];
      flat = rows.flatMap((row, r) => {
        if (!Array.isArray(row) || row.length !== entry.shape[1]) throw new ShapeError(`${name} row ${r} must have ${entry.shape[1]} values`);
        return row;
      });
    } else if (Array.isArray(w) || (ArrayBuffer.isView(w) && !(w instanceof DataView))) {
      flat = w as ArrayLike<unknown>;
    } else {
      throw new ShapeError(`${name} must be an array, got ${describe(w)}`);
    }
    if (flat.length !== entry.length)
      throw new ShapeError(`${name} must have ${entry.length} values (shape [${entry.shape.join(', ')}]) but has ${flat.length}`);
    const out = new Float64Array(entry.length);
    for (let j = 0; j < entry.length; j++) {
      const v = flat[j];
      if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > MAX_MAGNITUDE) {
        throw new ValueError(`${name}[${j}] is ${describe(v)}; weights must be finite numbers within the float32 range (|w| <= 3.4028234663852886e38)`);
      }
      out[j] = v;
    }
    return out;
  });
}

/**
 * The loss of one batch (x and its targets t, checked matrices) and its gradient in getWeights's
 * layout, computed by `engine` without updating; only the engine's gradient buffers change.
 */
export function batchGradients(engine: Engine, x: Matrix, t: Matrix): { loss: number; gradients: Weights } {
  const data = engine.loadData(x.data, t.data, x.rows);
  try {
    const loss = engine.computeGradients(data, 0, x.rows);
    return { loss, gradients: nest(engine.plan, engine.getGradients()) };
  } finally {
    data.dispose();
  }
}
