/**
 * Activation functions and their derivatives, one panel each. `activationPlots` takes wasmlp's
 * own definitions from the float64 reference ops, so the curves are exactly what training uses.
 */
import { ConfigError, ValueError } from '../errors.js';
import { ACTIVATIONS, type ActivationName } from '../plan.js';
import { referenceOps } from '../reference/ops.js';
import { drawTitle } from './axes.js';
import { PALETTE } from './color.js';
import { drawLinePanel, type Curve } from './line-chart.js';
import type { Chart } from './render.js';

/** One function to plot: f and its derivative df. */
export interface ActivationFunction {
  /** The panel's title. */
  name: string;
  /** The function. */
  f: (z: number) => number;
  /** Its derivative. */
  df: (z: number) => number;
}

/** Options of activationChart. */
export interface ActivationChartOptions {
  functions: ActivationFunction[];
  /** z range (default [-5, 5]). */
  range?: [number, number];
  /** Panels per row (default min(3, count)). */
  cols?: number;
  /** Samples per curve (default 401). */
  samples?: number;
  title?: string;
  /** Default 320 per panel column. */
  width?: number;
  /** Default 270 per panel row (plus the title). */
  height?: number;
}

/**
 * One panel per function with f (blue) and f' (orange) over `range`. Samples the functions now;
 * a non-finite value is a ValueError.
 */
export function activationChart(opts: ActivationChartOptions): Chart {
  const fns = opts.functions;
  if (!Array.isArray(fns) || fns.length === 0) throw new ValueError('activationChart: functions must be a non-empty array of { name, f, df }');
  const [lo, hi] = opts.range ?? [-5, 5];
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo))
    throw new ValueError(`activationChart: range must be [lo, hi] with finite lo < hi, got [${lo}, ${hi}]`);
  const n = opts.samples ?? 401;
  if (!Number.isInteger(n) || n < 2 || n > 100_000) throw new ValueError(`activationChart: samples must be an integer in [2, 100000], got ${n}`);
  const zs = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  const panels = fns.map((fn): Curve[] => {
    if (typeof fn?.f !== 'function' || typeof fn.df !== 'function')
      throw new ValueError(`activationChart: ${fn?.name ?? 'a function'} needs f and df functions`);
    const sample = (g: (z: number) => number, what: string) =>
      zs.map((z) => {
        const v = g(z);
        if (!Number.isFinite(v)) throw new ValueError(`activationChart: ${fn.name} ${what}(${z}) = ${v}, not finite`);
        return v;
      });
    return [
      { name: 'f(z)', color: PALETTE[0], xs: zs, ys: sample(fn.f, 'f') },
      { name: "f'(z)", color: PALETTE[1], xs: zs, ys: sample(fn.df, 'df') },
    ];
  });
  const cols = opts.cols ?? Math.min(3, fns.length),
    rows = Math.ceil(fns.length / cols);
  const top = opts.title ? 34 : 0;
  return {
    width: opts.width ?? cols * 320,
    height: opts.height ?? rows * 270 + top,
    draw(s) {
      if (opts.title) drawTitle(s, s.width / 2, 24, opts.title);
      const pw = s.width / cols,
        ph = (s.height - top) / rows;
      panels.forEach((curves, i) => {
        const outer = { x: (i % cols) * pw, y: top + Math.floor(i / cols) * ph, w: pw, h: ph };
        drawLinePanel(s, outer, curves, { title: fns[i].name, xLabel: 'z' });
      });
    },
  };
}

/**
 * wasmlp's activations as plottable functions, f and f' from the reference ops (softmax as the
 * first output of softmax([z, 0]), its derivative the diagonal Jacobian entry). Unknown names are a
 * ConfigError. `alpha` is leaky_relu's slope (default 0.1, steeper than the layer default 0.01 so
 * the slope shows).
 */
export function activationFunctions(
  names: ReadonlyArray<ActivationName> = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'identity', 'softmax'],
  alpha = 0.1,
): ActivationFunction[] {
  return names.map((act) => {
    if (!(ACTIVATIONS as readonly string[]).includes(act))
      throw new ConfigError(`activationFunctions: unknown activation ${JSON.stringify(act)}; expected one of ${ACTIVATIONS.join(', ')}`);
    const a = act === 'leaky_relu' ? alpha : 0;
    if (act === 'softmax') {
      const f = (z: number) => referenceOps.activationForward('softmax', 0, [z, 0], 1, 2)[0];
      const df = (z: number) => {
        const out = referenceOps.activationForward('softmax', 0, [z, 0], 1, 2);
        return referenceOps.activationBackward('softmax', 0, [z, 0], out, [1, 0], 1, 2)[0];
      };
      return { name: 'softmax([z, 0])[0]', f, df };
    }
    const f = (z: number) => referenceOps.activationForward(act, a, [z], 1, 1)[0];
    const df = (z: number) => referenceOps.activationBackward(act, a, [z], [f(z)], [1], 1, 1)[0];
    return { name: act === 'leaky_relu' ? `leaky_relu (alpha ${a})` : act, f, df };
  });
}

/** activationChart of wasmlp's own activations (see activationFunctions). */
export function activationPlots(names?: ReadonlyArray<ActivationName>, opts: Omit<ActivationChartOptions, 'functions'> = {}): Chart {
  return activationChart({ title: 'Activation functions and their derivatives', ...opts, functions: activationFunctions(names) });
}
