/**
 * The ABI of the core as the TypeScript side sees it: the check that an instance exports what
 * the TypeScript side expects, and the numbers (codes, flags, statuses, sizes) read once from it.
 *
 * The core is the one source of its numbers: it exports each as an immutable global, and
 * nothing on this side retypes them. `verifyExports` refuses a module whose exports differ from
 * the typed list (abi-exports.ts: a missing or extra export, or one of another kind), and
 * `readAbi` refuses one whose codes do not cover the names the plan uses (ACTIVATIONS, LOSSES,
 * the optimiser types) or disagree with the contract's own constants (StepStatus, MAX_THREADS).
 *
 * Why not asc's generated bindings: `--bindings esm` instantiates at import with no imports,
 * which fails for the threads builds (they import their shared memory); `--bindings raw` works
 * for all four targets but, for this ABI of numbers, only adds `>>> 0` on usize results and
 * wraps these same globals, as a generated JS file per target to ship beside the .wasm; the
 * pool's Node workers run from source text (threads/worker-main.ts) and could not import it anyway.
 */
import { StepStatus } from '../engine.js';
import { ACTIVATIONS, LOSSES, type ActivationName, type LossName, type OptimizerConfig } from '../plan.js';
import { MAX_THREADS } from '../engine-options.js';
import type { CoreExports } from './abi-exports.js';
import { exportKinds, kindsFingerprint } from './export-kinds.js';

export type { CoreExports, ExportKind } from './abi-exports.js';

/**
 * kindsFingerprint(CORE_EXPORTS) (abi-exports.ts): the one number a module's exports are
 * compared with at load, so that the table itself loads only when they differ.
 * test/wasm-abi.test.ts recomputes it from the table and prints the new value when it changes.
 */
export const CORE_EXPORTS_FINGERPRINT = 0x274cfb1a;

/**
 * Resolves when the instance exports exactly CORE_EXPORTS, each with its kind: its exports'
 * fingerprint is `expected` (the table's; another value only in tests). Otherwise loads the
 * table (abi-exports.ts) and rejects with its list of what differs, or, when the table finds
 * nothing, with the news that the constant is stale, a wasmlp bug. Reads only.
 */
export async function verifyExports(instance: WebAssembly.Instance, expected = CORE_EXPORTS_FINGERPRINT): Promise<void> {
  const found = kindsFingerprint(exportKinds(instance));
  if (found !== expected) (await import('./abi-exports.js')).refuseExports(instance, found, expected);
}

/** The core's numbers, read once from an instance by readAbi. */
export interface CoreAbi {
  /** Activation code by plan name (ACT_<NAME>). */
  readonly activation: Readonly<Record<ActivationName, number>>;
  /** Loss code by plan name (LOSS_<NAME>). */
  readonly loss: Readonly<Record<LossName, number>>;
  /** Optimiser kind by OptimizerConfig type (OPT_<TYPE>). */
  readonly optimizer: Readonly<Record<OptimizerConfig['type'], number>>;
  /** Optimiser flag bits. */
  readonly flags: { readonly nesterov: number; readonly amsgrad: number; readonly centered: number; readonly decayBiases: number };
  /** Optimiser state slots of netState (0 .. stateSlots - 1). */
  readonly stateSlots: number;
  /** Stage kinds of netSetStage. */
  readonly stage: { readonly dense: number; readonly activation: number; readonly batchnorm: number; readonly dropout: number };
  /** Most threads in a team. */
  readonly maxThreads: number;
  /** Byte sizes of the network, stage and optimiser descriptors netCreate allocates. */
  readonly descriptorBytes: { readonly net: number; readonly stage: number; readonly optimizer: number };
  /** The arena's block header (also its rounding), smallest block and largest request, in bytes. */
  readonly arena: { readonly headerBytes: number; readonly minBlockBytes: number; readonly maxAllocBytes: number };
}

/** The number an exported global holds. */
function value(e: CoreExports, name: keyof CoreExports): number {
  const g = e[name];
  if (!(g instanceof WebAssembly.Global)) throw new Error(`wasmlp core ABI: ${name} is not an exported global`);
  return Number(g.value);
}

/** name -> the value of `${prefix}${NAME}`, throwing when two names share a code. */
function codes<T extends string>(e: CoreExports, prefix: string, names: readonly T[]): Record<T, number> {
  const out = {} as Record<T, number>;
  const seen = new Map<number, T>();
  for (const n of names) {
    const code = value(e, `${prefix}${n.toUpperCase()}` as keyof CoreExports);
    const other = seen.get(code);
    if (other !== undefined) throw new Error(`wasmlp core ABI: ${prefix}${n.toUpperCase()} and ${prefix}${other.toUpperCase()} are both ${code}`);
    seen.set(code, n);
    out[n] = code;
  }
  return out;
}

/** The optimiser types of OptimizerConfig, in the core's OPT_* names. */
export const OPTIMIZER_TYPES: readonly OptimizerConfig['type'][] = ['sgd', 'adam', 'adamw', 'rmsprop'];

/** The stage kinds of netSetStage, in the core's STAGE_* names. */
const STAGE_KINDS = ['dense', 'activation', 'batchnorm', 'dropout'] as const;

/**
 * Reads the core's numbers from its exports, and throws when the core disagrees with a number
 * the TypeScript contract defines itself: StepStatus (the reference engine reports it without
 * a core) and MAX_THREADS (validated before any core is loaded). Reads only.
 */
export function readAbi(e: CoreExports): CoreAbi {
  const status: Record<keyof typeof StepStatus, keyof CoreExports> = {
    Ok: 'STATUS_OK',
    NonFiniteLoss: 'STATUS_NONFINITE_LOSS',
    NonFiniteGradient: 'STATUS_NONFINITE_GRADIENT',
    NonFiniteUpdate: 'STATUS_NONFINITE_UPDATE',
  };
  for (const [key, name] of Object.entries(status) as [keyof typeof StepStatus, keyof CoreExports][]) {
    if (value(e, name) !== StepStatus[key]) throw new Error(`wasmlp core ABI: ${name} is ${value(e, name)} but StepStatus.${key} is ${StepStatus[key]}`);
  }
  const maxThreads = value(e, 'MAX_THREADS');
  if (maxThreads !== MAX_THREADS)
    throw new Error(`wasmlp core ABI: the core's MAX_THREADS is ${maxThreads} but engine-options.ts validates up to ${MAX_THREADS}`);
  return {
    activation: codes(e, 'ACT_', ACTIVATIONS),
    loss: codes(e, 'LOSS_', LOSSES),
    optimizer: codes(e, 'OPT_', OPTIMIZER_TYPES),
    flags: {
      nesterov: value(e, 'OPT_NESTEROV'),
      amsgrad: value(e, 'OPT_AMSGRAD'),
      centered: value(e, 'OPT_CENTERED'),
      decayBiases: value(e, 'OPT_DECAY_BIASES'),
    },
    stateSlots: value(e, 'OPT_STATE_SLOTS'),
    stage: codes(e, 'STAGE_', STAGE_KINDS),
    maxThreads,
    descriptorBytes: { net: value(e, 'NET_BYTES'), stage: value(e, 'STAGE_BYTES'), optimizer: value(e, 'OPTIMIZER_BYTES') },
    arena: {
      headerBytes: value(e, 'ARENA_HEADER_BYTES'),
      minBlockBytes: value(e, 'ARENA_MIN_BLOCK_BYTES'),
      maxAllocBytes: value(e, 'ARENA_MAX_ALLOC_BYTES') >>> 0,
    },
  };
}
