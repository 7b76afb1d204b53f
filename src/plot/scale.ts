/**
 * Axis scales and tick choice: 'nice' steps of 1, 2 or 5 × 10^k, as matplotlib's default locator.
 */

/** Maps data values onto pixels; `log` scales map log10 of the value. */
export interface Scale {
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  readonly log: boolean;
  (v: number): number;
}

/** A linear (or log10) scale from domain onto range. Does not validate; callers pass finite, ordered domains. */
export function makeScale(domain: [number, number], range: [number, number], log = false): Scale {
  const f = log ? Math.log10 : (v: number) => v;
  const d0 = f(domain[0]),
    d1 = f(domain[1]);
  const k = d1 === d0 ? 0 : (range[1] - range[0]) / (d1 - d0);
  const s = ((v: number) => range[0] + (f(v) - d0) * k) as Scale;
  return Object.assign(s, { domain, range, log });
}

/** The nice step for about `count` intervals over a span. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
}

/** Nice tick values inside [lo, hi] (about `count` of them). */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const step = niceStep(hi - lo, count);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
    out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  }
  return out;
}

/** Log ticks: powers of ten in [lo, hi], with 2 and 5 multiples when the span is short. */
export function logTicks(lo: number, hi: number): number[] {
  const a = Math.floor(Math.log10(lo)),
    b = Math.ceil(Math.log10(hi));
  const mults = b - a <= 2 ? [1, 2, 5] : [1];
  const out: number[] = [];
  for (let e = a; e <= b; e++)
    for (const m of mults) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  return out.length >= 2 ? out : niceTicks(lo, hi, 4).filter((v) => v > 0);
}

/** Log tick labels: each value in its shortest form ('0.01', '100', '1e-5'). */
export function formatLogTicks(ticks: number[]): string[] {
  return ticks.map((v) => {
    const r = Number(v.toPrecision(6));
    return r !== 0 && (r < 1e-3 || r >= 1e6) ? r.toExponential().replace('e+', 'e') : String(r);
  });
}

/** Tick label text: as few decimals as the ticks need, exponent form for very large or small. */
export function formatTicks(ticks: number[]): string[] {
  const nonzero = ticks.filter((v) => v !== 0).map(Math.abs);
  if (nonzero.length && (Math.max(...nonzero) >= 1e6 || Math.max(...nonzero) < 1e-3)) {
    return ticks.map((v) => (v === 0 ? '0' : Number(v.toPrecision(3)).toExponential().replace('e+', 'e')));
  }
  const d = decimalsNeeded(ticks);
  return ticks.map((v) => v.toFixed(d));
}

/** The fewest decimals (up to 6) that print every value exactly enough to tell ticks apart. */
function decimalsNeeded(values: number[]): number {
  for (let d = 0; d < 6; d++) if (values.every((v) => Math.abs(Number(v.toFixed(d)) - v) < 1e-9 * Math.max(1, Math.abs(v)))) return d;
  return 6;
}
