/**
 * The parts of wasmlp a page does not download until it uses them, as ONNX (io/onnx/loader.ts):
 * saving and loading (persist.ts: the JSON and binary forms), the interchange formats (interop.ts:
 * PyTorch, safetensors, tfjs), inspection (trace, layerOutputs, summary) and the float64
 * reference engine, all in src/extras.ts (one chunk for bundlers; see there why one), and ONNX
 * (wasmlp/onnx). Fit loads its metric functions beyond accuracy the same way. Nothing imports them
 * statically but the `wasmlp/onnx` entry: preload() fetches them with dynamic imports, and Node
 * preloads them when `wasmlp` is imported, so the synchronous methods (toJSON, save, fromJSON,
 * trace, summary, toPyTorch, ...) work there as they always have. In a browser the async ones
 * (Sequential.load, exportONNX, importONNX, exportPyTorch) load what they need themselves; the
 * synchronous ones throw a StateError naming the preload call until their part is loaded.
 */
import { installBackendParts, referenceLoaded } from '../backends.js';
import { ConfigError, StateError, describe } from '../errors.js';
import { loadONNX, onnxLoaded } from '../io/onnx/loader.js';

/** The parts preload() can load. */
export const PARTS = ['formats', 'interop', 'inspect', 'reference', 'onnx'] as const;
/** A part of wasmlp loaded on first use: see PARTS and preload(). */
export type PartName = (typeof PARTS)[number];

/** The modules behind the parts that the model layer calls into ('metrics': fit's metric functions beyond accuracy, which fit loads itself). */
interface PartModules {
  formats: typeof import('./persist.js');
  interop: typeof import('./interop.js');
  trace: typeof import('./trace.js');
  outputs: typeof import('./layer-outputs.js');
  summary: typeof import('./summary.js');
  metrics: typeof import('./metrics/epoch-values.js');
  stream: typeof import('./stream-setup.js');
}

/** The modules synchronous methods call (fit awaits 'metrics' itself). */
type SyncModule = Exclude<keyof PartModules, 'metrics' | 'stream'>;

/** The public part (preload's name) each module belongs to, and what it holds, for the StateError of a call made before it is loaded. */
const PART_OF: Record<SyncModule, [PartName, string]> = {
  formats: ['formats', 'JSON / binary save and load'],
  interop: ['interop', 'PyTorch / safetensors / tfjs'],
  trace: ['inspect', 'step trace'],
  outputs: ['inspect', 'layer outputs'],
  summary: ['inspect', 'summary'],
};

const modules: { [K in keyof PartModules]?: PartModules[K] } = {};
let loading: Promise<void> | null = null;

/** Makes `module` the code of part `name` (the `wasmlp/onnx` entry installs persist this way). Mutates this module's state only. */
export function installPart<K extends keyof PartModules>(name: K, module: PartModules[K]): void {
  modules[name] ??= module;
}

/** Whether part `name` is loaded, so the synchronous calls that need it can run. */
export function partLoaded(name: PartName): boolean {
  if (name === 'reference') return referenceLoaded();
  if (name === 'onnx') return onnxLoaded();
  return (Object.keys(PART_OF) as SyncModule[]).every((k) => PART_OF[k][0] !== name || modules[k] !== undefined);
}

/**
 * The loaded code of part `name`, for synchronous callers. Throws StateError naming `where` and
 * the preload call when it is not loaded (only possible outside Node); reads only.
 */
export function part<K extends SyncModule>(name: K, where: string): PartModules[K] {
  const m = modules[name];
  if (m === undefined) {
    const [p, what] = PART_OF[name];
    throw new StateError(
      `${where}: the ${what} code is not loaded yet: \`await preload('${p}')\` once first (import { preload } from 'wasmlp'); Node loads it on import`,
    );
  }
  return m;
}

/** Loads src/extras.ts (once; concurrent calls share the promise) and installs every part it holds. */
async function loadExtras(): Promise<void> {
  loading ??= import('../extras.js').then((m) => {
    installPart('formats', m.persist);
    installPart('interop', m.interop);
    installPart('trace', m.trace);
    installPart('outputs', m.outputs);
    installPart('summary', m.summary);
    installPart('metrics', m.metrics);
    installPart('stream', m.stream);
    installBackendParts(m);
  });
  try {
    await loading;
  } catch (e) {
    loading = null;
    throw e;
  }
}

/** Loads part `name` if needed and resolves with its module. */
export async function loadPart<K extends keyof PartModules>(name: K): Promise<PartModules[K]> {
  if (modules[name] === undefined) await loadExtras();
  return modules[name]!;
}

/**
 * Loads the code of the named parts ahead of use (all of them without arguments), so their
 * synchronous methods work: 'formats' (toJSON, fromJSON, save, fromBytes), 'interop' (toPyTorch,
 * fromSafetensors, toTFJS, fromTFJS), 'inspect' (trace, layerOutputs, summary), 'reference' (`backend:
 * 'reference'`), 'onnx' (toONNX, fromONNX; also needs 'formats'). Node does this when `wasmlp`
 * is imported; in a browser the first four come in one chunk, ONNX in another, each fetched
 * once. Throws ConfigError for an unknown name before loading anything.
 */
export async function preload(...names: PartName[]): Promise<void> {
  const bad = names.find((n) => !(PARTS as readonly string[]).includes(n));
  if (bad !== undefined) throw new ConfigError(`preload: unknown part ${describe(bad)} (valid: ${PARTS.join(', ')})`);
  const wanted = names.length === 0 ? PARTS : names;
  const extras = wanted.some((n) => n !== 'onnx' && !partLoaded(n));
  await Promise.all([extras ? loadExtras() : undefined, wanted.includes('onnx') ? loadONNX() : undefined]);
}
