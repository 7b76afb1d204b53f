/**
 * A model's saved state as plain values, between a live model and a file format: the JSON and
 * binary forms encode and decode this record, ONNX carries its network part. Nothing here knows
 * the model class; src/model/persist.ts turns a record into a model and back, and checks that a
 * record read from a file describes a sound model before building anything.
 */
import type { BackendName, DType } from '../engine-options.js';
import { WasmlpError } from '../errors.js';
import type { OptimizerConfig } from '../plan.js';
import type { RandomState } from '../random.js';
import type { ModelMetadata } from './metadata.js';

/** A layer as a plain description `{ className, config }` (what Layer.toConfig returns). */
export interface LayerConfig {
  className: string;
  config: Record<string, unknown>;
}

/** One named tensor with its values (float64 copies; exact for float32 sources). */
export interface TensorRecord {
  /** W0, b0, ... for weights; the buffer name for optimiser state; absent in version-1 files. */
  name?: string;
  shape: number[];
  values: Float64Array;
}

/**
 * An epoch that fit left unfinished (aborted or stopped after a batch): its row order, the next
 * batch to run and the loss summed so far. The next fit with the same row count, batch size and
 * shuffle setting finishes that epoch first, so an interrupted and resumed run is bit-identical
 * to an uninterrupted one.
 */
export interface PendingEpochRecord {
  /** Training rows of the interrupted fit (after any validationSplit). */
  rows: number;
  /** Its batch size (capped at rows). */
  batchSize: number;
  /** Whether it shuffled; `order` is null when it did not. */
  shuffle: boolean;
  /** The epoch's row order (a permutation of 0 .. rows-1), or null for the identity. */
  order: Int32Array | null;
  /** Index of the first batch not yet run (may equal the batch count: only the epoch's end is left). */
  nextBatch: number;
  /** Sum of the losses of the batches already run (weighted by batch size, as fit sums them). */
  lossSum: number;
}

/** Everything needed to resume training exactly: optimiser step and buffers, the shuffle RNG, an unfinished epoch. */
export interface TrainingRecord {
  optimizerStep: number;
  optimizerState: TensorRecord[];
  shuffleRandom: RandomState;
  /** The epoch an interrupted fit left unfinished, or null. */
  pending: PendingEpochRecord | null;
  /** Steps the lr schedule has taken (epochs or batches; 0 without a schedule or in older files). */
  scheduleStep: number;
}

/**
 * Compile settings as saved: what compile() takes back. `loss` is a name or `{ name, delta }`
 * (huber with another delta); schedule and clipping are present only when set. Checked by
 * compile itself when a model is built from the record.
 */
export interface CompileRecord {
  loss: string | { name: string; delta?: number };
  optimizer: OptimizerConfig;
  metrics: string[];
  schedule?: Record<string, unknown>;
  clipGradNorm?: number;
  clipValue?: number;
}

/** The network alone: layers in order and the weights in Keras order [W0, b0, W1, ...] (what ONNX holds). */
export interface NetworkRecord {
  layers: LayerConfig[];
  weights: TensorRecord[];
  /** The model's metadata (see metadata.ts); absent or empty when it has none. */
  metadata?: ModelMetadata;
}

/**
 * What a network's output is, as export records it: logits (with the function that gives their
 * probabilities), probabilities, plain values (a regression), or unknown (undefined).
 */
export type NetworkOutput = { kind: 'logits'; link: 'sigmoid' | 'softmax' } | { kind: 'probabilities' } | { kind: 'values' };

/**
 * A whole model as values. `dtype` is the precision the weights are stored in (the engine's).
 * Records read from a file are checked for form only; whether the parts fit together (layers
 * chain, tensor sizes, optimiser buffers, a pending epoch's permutation) is checked when a model
 * is built from them.
 */
export interface ModelRecord extends NetworkRecord {
  seed: number;
  backend: BackendName;
  compile: CompileRecord | null;
  dtype: DType;
  training: TrainingRecord | null;
}

/** Runs `fn`; a wasmlp error it throws is rethrown as the same class with `prefix` in front. */
export function inContext<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WasmlpError && !e.message.startsWith(prefix)) {
      const Ctor = e.constructor as new (m: string) => WasmlpError;
      throw new Ctor(`${prefix}: ${e.message}`);
    }
    throw e;
  }
}
