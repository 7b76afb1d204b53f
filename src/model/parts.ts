/**
 * The parts of wasmlp a page does not download until it uses them, as ONNX (io/onnx/loader.ts):
 * saving and loading (persist.ts: the JSON and binary forms), the interchange formats (interop.ts:
 * PyTorch, safetensors, tfjs), the step trace (trace.ts) and the float64 reference engine, all in
 * src/extras.ts (one chunk for bundlers; see there why one), and ONNX. Nothing imports them
 * statically but the `wasmlp/onnx` entry: preload() fetches them with dynamic imports, and Node
 * preloads them when `wasmlp` is imported, so the synchronous methods (toJSON, save, fromJSON,
 * trace, toPyTorch, ...) work there as they always have. In a browser the async ones
 * (Sequential.load, exportONNX, importONNX, exportPyTorch) load what they need themselves; the
 * synchronous ones throw a StateError naming the preload call until their part is loaded.
 */
import { installReference, referenceLoaded } from '../backends.js';
import { ConfigError, StateError, describe } from '../errors.js';
import { loadONNX, onnxLoaded } from '../io/onnx/loader.js';

/** The parts preload() can load. */
export const PARTS = ['formats', 'interop', 'trace', 'reference', 'onnx'] as const;
/** A part of wasmlp loaded on first use: see PARTS and preload(). */
export type PartName = (typeof PARTS)[number];

/** The modules behind the parts the model layer calls into ('metrics': fit's metric functions beyond accuracy, loaded by fit itself). */
interface PartModules {
  formats: typeof import('./persist.js');
  interop: typeof import('./interop.js');
  trace: typeof import('./trace.js');
  metrics: typeof import('./metrics/epoch-values.js');
}

const modules: { [K in keyof PartModules]?: PartModules[K] } = {};
let loading: Promise<void> | null = null;

/** What each part holds, for the StateError of a synchronous call made before it is loaded. */
const WHAT: Record<PartName | keyof PartModules, string> = {
  formats: 'JSON / binary save and load',
  interop: 'PyTorch / safetensors / tfjs',
  trace: 'step trace',
  metrics: 'metric',
  reference: 'reference backend',
  onnx: 'ONNX',
};

/** Makes `module` the code of part `name` (the `wasmlp/onnx` entry installs persist this way). Mutates this module's state only. */
export function installPart<K extends keyof PartModules>(name: K, module: PartModules[K]): void {
  modules[name] ??= module;
}

/** Whether part `name` is loaded, so the synchronous calls that need it can run. */
export function partLoaded(name: PartName): boolean {
  if (name === 'reference') return referenceLoaded();
  return name === 'onnx' ? onnxLoaded() : modules[name] !== undefined;
}

/**
 * The loaded code of part `name`, for synchronous callers. Throws StateError naming `where` and
 * the preload call when it is not loaded (only possible outside Node); reads only.
 */
export function part<K extends keyof PartModules>(name: K, where: string): PartModules[K] {
  const m = modules[name];
  if (m === undefined) {
    throw new StateError(`${where}: the ${WHAT[name]} code is not loaded yet: \`await preload('${name}')\` once first (import { preload } from 'wasmlp'); Node loads it on import`);
  }
  return m;
}

/** Loads src/extras.ts (once; concurrent calls share the promise) and installs every part it holds. */
async function loadExtras(): Promise<void> {
  loading ??= import('../extras.js').then((m) => {
    installPart('formats', m.persist);
    installPart('interop', m.interop);
    installPart('trace', m.trace);
    installPart('metrics', m.metrics);
    installReference(m.ReferenceEngine);
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
 * fromSafetensors, toTFJS, fromTFJS), 'trace' (model.trace), 'reference' (`backend:
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
