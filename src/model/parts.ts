/**
 * The parts of wasmlp a page does not download until it uses them, as ONNX (io/onnx/loader.ts):
 * saving and loading (persist.ts: the JSON and binary forms), the interchange formats (interop.ts:
 * PyTorch, safetensors, tfjs), the step trace (trace.ts, on the float64 reference engine), the
 * reference engine itself (backends.ts) and ONNX. Nothing imports these modules statically but
 * the `wasmlp/onnx` entry: preload() fetches them with dynamic imports (separate chunks for
 * bundlers), and Node preloads every part when `wasmlp` is imported, so the synchronous methods
 * (toJSON, save, fromJSON, trace, toPyTorch, ...) work there as they always have. In a browser
 * the async ones (Sequential.load, exportONNX, importONNX) load what they need themselves; the
 * synchronous ones throw a StateError naming the preload call until their part is loaded.
 */
import { loadReference, referenceLoaded } from '../backends.js';
import { ConfigError, StateError, describe } from '../errors.js';
import { loadONNX, onnxLoaded } from '../io/onnx/loader.js';

/** The parts preload() can load. */
export const PARTS = ['formats', 'interop', 'trace', 'reference', 'onnx'] as const;
/** A part of wasmlp loaded on first use: see PARTS and preload(). */
export type PartName = (typeof PARTS)[number];

/** The modules behind the parts that have one (reference and onnx install themselves elsewhere). */
interface PartModules {
  formats: typeof import('./persist.js');
  interop: typeof import('./interop.js');
  trace: typeof import('./trace.js');
}

const modules: { [K in keyof PartModules]?: PartModules[K] } = {};
const loading: Partial<Record<keyof PartModules, Promise<unknown>>> = {};

/** What each part holds, for the StateError of a synchronous call made before it is loaded. */
const WHAT: Record<PartName, string> = {
  formats: 'JSON / binary save and load',
  interop: 'PyTorch / safetensors / tfjs',
  trace: 'step trace',
  reference: 'reference backend',
  onnx: 'ONNX',
};

/** The parts a part needs loaded with it (interop builds models through persist; trace runs on a reference engine). */
const NEEDS: Partial<Record<PartName, PartName[]>> = { interop: ['formats'], trace: ['reference'] };

/** Makes `module` the code of part `name` (the `wasmlp/onnx` entry installs persist this way). Mutates this module's state only. */
export function installPart<K extends keyof PartModules>(name: K, module: PartModules[K]): void {
  modules[name] ??= module;
}

/** Whether part `name` is loaded, so the synchronous calls that need it can run. */
export function partLoaded(name: PartName): boolean {
  if (name === 'reference') return referenceLoaded();
  if (name === 'onnx') return onnxLoaded();
  return modules[name] !== undefined && (NEEDS[name] ?? []).every(partLoaded);
}

/**
 * The loaded code of part `name`, for synchronous callers. Throws StateError naming `where` and
 * the preload call when it is not loaded (only possible outside Node); reads only.
 */
export function part<K extends keyof PartModules>(name: K, where: string): PartModules[K] {
  const m = modules[name];
  const missing = m === undefined ? name : (NEEDS[name] ?? []).find((n) => !partLoaded(n));
  if (m === undefined || missing !== undefined) {
    throw new StateError(`${where}: the ${WHAT[missing ?? name]} code is not loaded yet: \`await preload('${missing ?? name}')\` once first (import { preload } from 'wasmlp'); Node loads it on import`);
  }
  return m;
}

/** Dynamic imports, one per part with a module: the only way the main entry reaches them. */
function importPart<K extends keyof PartModules>(name: K): Promise<PartModules[K]> {
  const load = { formats: () => import('./persist.js'), interop: () => import('./interop.js'), trace: () => import('./trace.js') }[name];
  return load() as Promise<PartModules[K]>;
}

/** Loads part `name` and the parts it needs (once; concurrent calls share the promise); resolves with its module. */
export async function loadPart<K extends keyof PartModules>(name: K): Promise<PartModules[K]> {
  await Promise.all((NEEDS[name] ?? []).map((n) => preload(n)));
  const have = modules[name];
  if (have !== undefined) return have;
  loading[name] ??= importPart(name).then((m) => installPart(name, m));
  try {
    await loading[name];
    return modules[name]!;
  } catch (e) {
    delete loading[name];
    throw e;
  }
}

/**
 * Loads the code of the named parts ahead of use (all of them without arguments), so their
 * synchronous methods work: 'formats' (toJSON, fromJSON, save, fromBytes), 'interop' (toPyTorch,
 * fromSafetensors, toTFJS, fromTFJS), 'trace' (model.trace), 'reference' (`backend:
 * 'reference'`), 'onnx' (toONNX, fromONNX). Node does this when `wasmlp` is imported; in a
 * browser each part is a separate chunk, fetched once. Throws ConfigError for an unknown name.
 */
export async function preload(...names: PartName[]): Promise<void> {
  const bad = names.find((n) => !(PARTS as readonly string[]).includes(n));
  if (bad !== undefined) throw new ConfigError(`preload: unknown part ${describe(bad)} (valid: ${PARTS.join(', ')})`);
  const wanted = names.length === 0 ? PARTS : names;
  await Promise.all(wanted.map((n): Promise<unknown> => (n === 'reference' ? loadReference() : n === 'onnx' ? loadONNX() : loadPart(n))));
}
