/**
 * The core's ABI (src/wasm/abi.ts, abi-exports.ts) against every build that loads on this Node: the module
 * exports exactly the typed list CORE_EXPORTS (and the load-time fingerprint is that list's), every code the TypeScript side passes routes to
 * the kernel of that name (checked by running it against the float64 reference), the numbers
 * the contract defines itself agree with the core, and a module that drifts is refused.
 */
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORE_EXPORTS_FINGERPRINT, OPTIMIZER_TYPES, readAbi, verifyExports, type CoreAbi, type CoreExports } from '../src/wasm/abi.js';
import { CORE_EXPORTS, checkExports } from '../src/wasm/abi-exports.js';
import { exportKinds } from '../src/wasm/export-kinds.js';
import { hasRelaxedSimd, instantiate, ready } from '../src/wasm/core.js';
import { importedMemoryLimits } from '../src/wasm/threads/memory-import.js';
import { MAX_THREADS } from '../src/engine-options.js';
import { referenceOps } from '../src/reference/ops.js';
import { StepStatus } from '../src/engine.js';
import { ACTIVATIONS, LOSSES } from '../src/plan.js';

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const relaxed = hasRelaxedSimd();
const threads = typeof SharedArrayBuffer === 'function';

const asconfig = JSON.parse(readFileSync(new URL('../asconfig.json', import.meta.url), 'utf8')) as {
  targets: Record<string, { outFile: string; maximumMemory?: number; importMemory?: boolean }>;
};

/** The four builds, and whether each can run here. */
const BUILDS = [
  { target: 'release', runs: true },
  { target: 'relaxed', runs: relaxed },
  { target: 'threads', runs: threads },
  { target: 'threads-relaxed', runs: threads && relaxed },
];

interface Loaded {
  module: WebAssembly.Module;
  instance: WebAssembly.Instance;
  e: CoreExports;
  abi: CoreAbi;
}

async function load(target: string): Promise<Loaded> {
  const bytes = readFileSync(new URL(`../${asconfig.targets[target].outFile}`, import.meta.url));
  const module = await WebAssembly.compile(bytes);
  const limits = importedMemoryLimits(bytes);
  const memory = limits
    ? new WebAssembly.Memory({ initial: Math.max(16, limits.initial), maximum: limits.maximum ?? undefined, shared: limits.shared })
    : undefined;
  const instance = await instantiate(module, memory);
  const e = instance.exports as unknown as CoreExports;
  return { module, instance, e, abi: readAbi(e) };
}

/** Runs f on arena blocks holding the arrays (f32) plus `out` empty blocks; frees them all. */
function withBlocks<R>(e: CoreExports, arrays: number[][], out: number[], f: (ptrs: number[], outs: number[]) => R): R {
  const taken: number[] = [];
  const put = (a: number[]) => {
    const p = e.alloc(Math.max(1, a.length) * 4) >>> 0;
    taken.push(p);
    new Float32Array(e.memory.buffer, p, a.length).set(a);
    return p;
  };
  try {
    const ptrs = arrays.map(put);
    const outs = out.map((n) => put(new Array(n).fill(0)));
    return f(ptrs, outs);
  } finally {
    for (const p of taken) e.free(p);
  }
}

const read = (e: CoreExports, p: number, n: number) => Array.from(new Float32Array(e.memory.buffer, p, n));

beforeAll(async () => {
  await ready();
});

describe.each(BUILDS)('the $target build', ({ target, runs }) => {
  it.skipIf(!runs)('exports exactly CORE_EXPORTS, each with its kind', async () => {
    const { module, instance } = await load(target);
    const actual = Object.fromEntries(WebAssembly.Module.exports(module).map((x) => [x.name, x.kind]));
    expect(actual).toEqual({ ...CORE_EXPORTS });
    expect(() => checkExports(instance)).not.toThrow();
    expect(exportKinds(instance)).toEqual(actual);
    await expect(verifyExports(instance)).resolves.toBeUndefined();
  });

  it.skipIf(!runs)('has a code for every activation, loss and optimiser the plan names, all distinct', async () => {
    const { abi } = await load(target);
    expect(Object.keys(abi.activation)).toEqual([...ACTIVATIONS]);
    expect(Object.keys(abi.loss)).toEqual([...LOSSES]);
    expect(Object.keys(abi.optimizer)).toEqual([...OPTIMIZER_TYPES]);
    for (const group of [abi.activation, abi.loss, abi.optimizer, abi.stage]) {
      const codes = Object.values(group);
      expect(new Set(codes).size).toBe(codes.length);
    }
    const flags = Object.values(abi.flags);
    flags.forEach((f, i) => {
      expect(f > 0 && (f & (f - 1)) === 0).toBe(true); // one bit each
      flags.slice(i + 1).forEach((g) => expect(g & f).toBe(0));
    });
    expect(abi.stateSlots).toBeGreaterThanOrEqual(3); // RMSprop centred with momentum keeps three buffers
  });

  it.skipIf(!runs)('agrees with the numbers the contract defines itself (StepStatus, MAX_THREADS)', async () => {
    const { e, abi } = await load(target);
    expect(e.STATUS_OK.value).toBe(StepStatus.Ok);
    expect(e.STATUS_NONFINITE_LOSS.value).toBe(StepStatus.NonFiniteLoss);
    expect(e.STATUS_NONFINITE_GRADIENT.value).toBe(StepStatus.NonFiniteGradient);
    expect(e.STATUS_NONFINITE_UPDATE.value).toBe(StepStatus.NonFiniteUpdate);
    expect(abi.maxThreads).toBe(MAX_THREADS);
  });

  it.skipIf(!runs || target === 'release')('reads the same numbers as the baseline build', async () => {
    expect((await load(target)).abi).toEqual((await load('release')).abi);
  });

  it.skipIf(!runs)('routes every activation code to the activation of that name', async () => {
    const { e, abi } = await load(target);
    const z = [-2, -0.5, 0, 0.25, 1.5, 3];
    for (const act of ACTIVATIONS) {
      const got = withBlocks(e, [z], [z.length], ([pz], [pa]) => {
        e.activationForward(abi.activation[act], 0.1, pz, pa, 1, z.length);
        return read(e, pa, z.length);
      });
      const want = referenceOps.activationForward(act, 0.1, z, 1, z.length);
      got.forEach((v, i) => expect(v, act).toBeCloseTo(want[i], 5));
    }
  });

  it.skipIf(!runs)('routes every loss code to the loss of that name', async () => {
    const { e, abi } = await load(target);
    const y = [0.2, 0.7, 0.1, 0.6, 0.3, 0.1],
      t = [0, 1, 0, 1, 0, 0];
    for (const loss of LOSSES) {
      const got = withBlocks(e, [y, t], [y.length], ([py, pt], [pg]) => e.lossEval(abi.loss[loss], py, pt, pg, 2, 3, 0, 1));
      expect(got, loss).toBeCloseTo(referenceOps.loss(loss, y, t, 2, 3, false).value, 5);
    }
  });

  it.skipIf(!runs)('declares the imported memory the loader creates: shared, with asconfig.json maximumMemory', () => {
    const cfg = asconfig.targets[target];
    const limits = importedMemoryLimits(readFileSync(new URL(`../${cfg.outFile}`, import.meta.url)));
    if (cfg.importMemory) expect(limits).toMatchObject({ shared: true, maximum: cfg.maximumMemory });
    else expect(limits).toBeNull();
  });
});

describe('the exports fingerprint at load', () => {
  it('a stale constant is reported as a wasmlp bug once the table finds no difference', async () => {
    const { instance } = await load('release');
    await expect(verifyExports(instance, CORE_EXPORTS_FINGERPRINT ^ 1)).rejects.toThrow(
      /the module's exports are CoreExports, but their fingerprint 0x[0-9a-f]{8} is not 0x[0-9a-f]{8}, CORE_EXPORTS_FINGERPRINT .*stale, a wasmlp bug/,
    );
  });
});

describe('a core that drifts from the ABI', () => {
  const fake = async (change: (x: Record<string, unknown>) => void) => {
    const { instance } = await load('release');
    const exports: Record<string, unknown> = { ...instance.exports };
    change(exports);
    return exports;
  };
  const global = (v: number) => new WebAssembly.Global({ value: 'i32', mutable: false }, v);

  it('is refused when an export is missing, extra or of another kind', async () => {
    const missing = await fake((x) => {
      delete x.OPT_ADAM;
    });
    expect(() => checkExports({ exports: missing } as unknown as WebAssembly.Instance)).toThrow(/OPT_ADAM is missing/);
    const extra = await fake((x) => {
      x.OPT_LION = global(4);
    });
    expect(() => checkExports({ exports: extra } as unknown as WebAssembly.Instance)).toThrow(/OPT_LION is not declared/);
    const kind = await fake((x) => {
      x.MAX_THREADS = () => 64;
    });
    expect(() => checkExports({ exports: kind } as unknown as WebAssembly.Instance)).toThrow(/MAX_THREADS is a function, expected a global/);
  });

  it('is refused at load (verifyExports, which instantiate awaits) with every difference named', async () => {
    const both = await fake((x) => {
      delete x.OPT_ADAM;
      x.OPT_LION = global(4);
    });
    const load = verifyExports({ exports: both } as unknown as WebAssembly.Instance);
    await expect(load).rejects.toThrow(
      "wasmlp core ABI: the module's exports differ from CoreExports: OPT_ADAM is missing; OPT_LION is not declared in src/wasm/abi-exports.ts",
    );
    const kind = await fake((x) => {
      x.teamExit = global(0);
    });
    await expect(verifyExports({ exports: kind } as unknown as WebAssembly.Instance)).rejects.toThrow(/: teamExit is a global, expected a function$/);
  });

  it('is refused when two names share a code or a contract number differs', async () => {
    const shared = await fake((x) => {
      x.ACT_TANH = global(Number((x.ACT_SIGMOID as WebAssembly.Global).value));
    });
    expect(() => readAbi(shared as unknown as CoreExports)).toThrow(/ACT_TANH and ACT_SIGMOID are both/);
    const status = await fake((x) => {
      x.STATUS_NONFINITE_LOSS = global(7);
    });
    expect(() => readAbi(status as unknown as CoreExports)).toThrow(/STATUS_NONFINITE_LOSS is 7 but StepStatus.NonFiniteLoss is 1/);
    const threadsLimit = await fake((x) => {
      x.MAX_THREADS = global(MAX_THREADS + 1);
    });
    expect(() => readAbi(threadsLimit as unknown as CoreExports)).toThrow(/MAX_THREADS/);
  });
});
