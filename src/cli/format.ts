/** How the CLI prints numbers: model outputs at float32 precision (the core's), no float tails. */

/**
 * The shortest decimal that reads back as the same float32 as `v` (0.30000001192092896 prints
 * as 0.3): the core computes in float32, so more digits only show rounding noise.
 */
export function formatF32(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const f = Math.fround(v);
  for (let digits = 1; digits <= 9; digits++) {
    const d = Number(f.toPrecision(digits));
    if (Math.fround(d) === f) return String(d);
  }
  return String(f);
}

/** A CSV line of cells; text cells with a separator or quote are quoted. */
export function csvLine(cells: readonly (string | number)[]): string {
  return cells.map((c) => (typeof c === 'number' ? String(c) : /[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
}
