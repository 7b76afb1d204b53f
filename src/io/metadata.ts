/**
 * A model's metadata: a plain JSON object that travels with the model through every format (the
 * JSON document's `metadata` field, the binary form's header, an ONNX metadata_props entry). The
 * CLI keeps its class labels, feature scaling and task there; users can keep anything JSON-safe.
 * One key is read by wasmlp itself: `logits: 'sigmoid' | 'softmax'` says that an uncompiled
 * model (an ONNX import) outputs logits and which function gives their probabilities.
 */
import { ValueError, describe } from '../errors.js';

/** A JSON value (what metadata may hold). */
export type JSONValue = string | number | boolean | null | JSONValue[] | { [key: string]: JSONValue };

/** A model's metadata: string keys to JSON values. */
export type ModelMetadata = { [key: string]: JSONValue };

/** The deepest nesting metadata may have (a guard against hostile files). */
const MAX_DEPTH = 32;
/** The most values (of any kind, nested ones included) metadata may hold. */
const MAX_VALUES = 1_000_000;

/**
 * A checked deep copy of `value` as metadata: a plain object whose values are strings, finite
 * numbers, booleans, null, arrays and plain objects. Throws ValueError naming the path of the
 * first bad value (`where: metadata.labels[2] is NaN`); mutates nothing.
 */
export function copyMetadata(value: unknown, where: string): ModelMetadata {
  let count = 0;
  const copy = (v: unknown, path: string, depth: number): JSONValue => {
    if (++count > MAX_VALUES) throw new ValueError(`${where}: ${path}: metadata holds more than ${MAX_VALUES} values`);
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new ValueError(`${where}: ${path} is ${describe(v)}; metadata numbers must be finite`);
      return v;
    }
    if (depth >= MAX_DEPTH) throw new ValueError(`${where}: ${path} is nested deeper than ${MAX_DEPTH} levels`);
    if (Array.isArray(v)) return v.map((e, i) => copy(e, `${path}[${i}]`, depth + 1));
    const proto = typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
    if (proto === Object.prototype || proto === null) {
      const out: ModelMetadata = {};
      for (const [k, e] of Object.entries(v as object)) out[k] = copy(e, `${path}.${k}`, depth + 1);
      return out;
    }
    throw new ValueError(`${where}: ${path} is ${describe(v)}; metadata holds only JSON values (strings, numbers, booleans, null, arrays, plain objects)`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ValueError(`${where}: metadata must be a plain object, got ${describe(value)}`);
  return copy(value, 'metadata', 0) as ModelMetadata;
}
