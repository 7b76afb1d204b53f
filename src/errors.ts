/**
 * The error families wasmlp throws. Every check runs before any work starts, so a thrown error
 * means nothing was changed; each message names the offending layer, field or value.
 */

/** Base class of every error wasmlp throws on purpose. */
export class WasmlpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Sizes that do not fit together: a layer's input width, a batch's columns, ragged rows. */
export class ShapeError extends WasmlpError {}

/** A value that is not acceptable: NaN or Infinity in data, a label out of range, a negative rate. */
export class ValueError extends WasmlpError {}

/** An unknown or malformed name or option: loss, optimiser, activation, initialiser, fit option. */
export class ConfigError extends WasmlpError {}

/** A model or engine used after dispose(). */
export class DisposedError extends WasmlpError {}

/** A call that cannot run now: fit while another fit runs, predict before the core is loaded. */
export class StateError extends WasmlpError {}

/** Training turned non-finite; the weights are those from before the failing step. */
export class NonFiniteError extends WasmlpError {
  constructor(
    message: string,
    /** 0-based epoch of the failing step. */
    readonly epoch: number,
    /** 0-based batch within that epoch. */
    readonly batch: number,
  ) {
    super(message);
  }
}

/**
 * The WebAssembly memory cannot hold a requested allocation (wasm32 memory ends at 4 GiB, the
 * threads build's at its declared maximum). Thrown before the core is touched or after the core
 * refused and rolled back: the model and every other model are as before.
 */
export class OutOfMemoryError extends WasmlpError {
  constructor(
    message: string,
    /** Bytes the failed request needed. */
    readonly requestedBytes: number,
    /** Bytes the memory could still provide at most when it was refused. */
    readonly availableBytes: number,
  ) {
    super(message);
  }
}

/** A worker thread of a model's thread pool died or failed: the step was abandoned, the model now runs on one thread. */
export class ThreadError extends WasmlpError {}

/** Describes a value for an error message without dumping huge arrays. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'bigint') return `${value}n (a BigInt)`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as { length: number }).length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (Object.is(value, -0)) return '-0';
  return String(value);
}
