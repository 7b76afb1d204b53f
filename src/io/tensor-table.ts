/**
 * The tensor table of a binary model file: every tensor entry of the header document (weights,
 * optimiser state, a pending epoch's row order) with its byte range in the data section. Checked
 * as a whole before any tensor is decoded, so a small file cannot make the reader decode far
 * more than its own size (100 entries aliasing one range, a byteLength that disagrees with the
 * shape, a range past the end).
 */
import { ConfigError, ValueError, describe } from '../errors.js';
import { itemSize, type DType } from './tensor-codec.js';

/** A checked entry of the table. */
export interface TableEntry {
  shape: number[];
  dtype: DType;
  offset: number;
  byteLength: number;
}

/** The tensor entries of a document in the order the writer lays their bytes out, with the names messages use. */
function entriesOf(doc: Record<string, unknown>, where: string): [unknown, string][] {
  const out: [unknown, string][] = [];
  // Version-1 documents hold their weights inline as number arrays.
  if (doc.version !== 1 && Array.isArray(doc.weights)) doc.weights.forEach((t, i) => out.push([t, `${where}: weights[${i}]`]));
  const training = doc.training;
  if (typeof training === 'object' && training !== null) {
    const t = training as Record<string, unknown>;
    if (Array.isArray(t.optimizerState)) t.optimizerState.forEach((b, i) => out.push([b, `${where}: training.optimizerState[${i}]`]));
    const pending = t.pending as Record<string, unknown> | null | undefined;
    if (typeof pending === 'object' && pending !== null && pending.order !== null && pending.order !== undefined)
      out.push([pending.order, `${where}: training.pending.order`]);
  }
  return out;
}

/** Checks one entry's fields and that its byteLength is exactly its shape's values of its dtype. */
function checkEntry(t: unknown, w: string): TableEntry {
  if (typeof t !== 'object' || t === null || Array.isArray(t)) throw new ValueError(`${w} must be an object, got ${describe(t)}`);
  const e = t as Record<string, unknown>;
  for (const k of ['offset', 'byteLength'] as const) {
    const v = e[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new ValueError(`${w}.${k} must be a non-negative integer, got ${describe(v)}`);
  }
  if (e.dtype !== 'float32' && e.dtype !== 'float64') throw new ConfigError(`${w}.dtype is ${describe(e.dtype)} (valid: float32, float64)`);
  const shape = e.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw new ValueError(`${w}.shape must be an array of non-negative integers, got ${describe(shape)}`);
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  const needed = count * itemSize(e.dtype);
  if (needed !== e.byteLength)
    throw new ValueError(`${w}: byteLength ${e.byteLength as number} does not match shape [${shape.join(', ')}] of ${e.dtype} (${needed} bytes)`);
  return { shape: shape as number[], dtype: e.dtype, offset: e.offset as number, byteLength: e.byteLength as number };
}

/**
 * Checks every tensor entry of the parsed header `doc` and that their ranges tile the data
 * section in table order (each starts where the one before ends: no overlap, no gap). Returns
 * the data section's length. Throws ValueError / ConfigError naming the entry; reads only. A
 * document that is not an object is left to the document checks.
 */
export function checkTensorTable(doc: unknown, where: string): number {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 0;
  let end = 0;
  for (const [t, w] of entriesOf(doc as Record<string, unknown>, where)) {
    const e = checkEntry(t, w);
    if (e.offset !== end) {
      throw new ValueError(
        `${w}: bytes ${e.offset}..${e.offset + e.byteLength} ${e.offset < end ? 'overlap the tensor before' : 'leave a gap after the tensor before'} (expected offset ${end}): corrupt`,
      );
    }
    end += e.byteLength;
  }
  return end;
}
