/**
 * The Ops contract (src/ops.ts) on the WebAssembly core: each op copies its inputs into the
 * arena as f32, runs the core's kernel, copies the result out as float64 and frees every
 * block it took. For tests that compare single kernels with the float64 reference.
 */
import { ConfigError } from '../errors.js';
import { DEFAULT_HUBER_DELTA, type ActivationName, type LossName } from '../plan.js';
import type { GemmKind, Ops } from '../ops.js';
import { core } from './core.js';
import { allocOrThrow } from './memory.js';

/** The core's code of an activation (abi.ts). */
function actCode(act: ActivationName): number {
  const codes = core().abi.activation;
  if (!Object.hasOwn(codes, act)) throw new ConfigError(`wasmOps: unknown activation '${act}'`);
  return codes[act];
}

/** The core's code of a loss (abi.ts). */
function lossCode(name: LossName): number {
  const codes = core().abi.loss;
  if (!Object.hasOwn(codes, name)) throw new ConfigError(`wasmOps: unknown loss '${name}'`);
  return codes[name];
}

function need(a: ArrayLike<number>, n: number, what: string): void {
  if (a.length !== n) throw new Error(`wasmOps: ${what} has ${a.length} values, expected ${n}`);
}

/**
 * Runs `body` with arena blocks holding the given arrays (as f32) and blocks of the requested
 * sizes, then frees them all, even when body throws.
 */
function withBlocks<R>(inputs: (ArrayLike<number> | null)[], outputs: number[], body: (ptrs: number[], outs: number[]) => R): R {
  const c = core();
  const e = c.exports;
  const taken: number[] = [];
  try {
    const ptrs = inputs.map((a) => {
      if (a === null) return 0;
      const p = allocOrThrow(c, a.length * 4, "an op's input");
      taken.push(p);
      c.f32().set(a, p >>> 2);
      return p;
    });
    const outs = outputs.map((n) => {
      const p = allocOrThrow(c, n * 4, "an op's output");
      taken.push(p);
      return p;
    });
    return body(ptrs, outs);
  } finally {
    for (const p of taken) e.free(p);
  }
}

/** Copies n f32 values at byte offset ptr into a new Float64Array. */
function read(ptr: number, n: number): Float64Array {
  const i = ptr >>> 2;
  return Float64Array.from(
    core()
      .f32()
      .subarray(i, i + n),
  );
}

/** The WebAssembly core's ops; every call returns new arrays and mutates nothing it is given. */
export const wasmOps: Ops = {
  gemm(kind: GemmKind, a, b, m, n, k) {
    need(a, m * k, 'A');
    need(b, k * n, 'B');
    return withBlocks([a, b], [m * n], ([pa, pb], [pc]) => {
      const e = core().exports;
      if (kind === 'nn') e.gemmNN(pa, pb, pc, m, n, k, 0, 0);
      else if (kind === 'tn') e.gemmTN(pa, pb, pc, m, n, k, 0, 0);
      else if (kind === 'nt') e.gemmNT(pa, pb, pc, m, n, k, 0, 0);
      else throw new Error(`wasmOps: unknown gemm kind '${kind as string}'`);
      return read(pc, m * n);
    });
  },

  denseForward(x, w, b, rows, inSize, outSize, act, alpha) {
    need(x, rows * inSize, 'x');
    need(w, inSize * outSize, 'W');
    if (b !== null) need(b, outSize, 'b');
    return withBlocks([x, w, b], [rows * outSize], ([px, pw, pb], [py]) => {
      const e = core().exports;
      e.gemmNN(px, pw, py, rows, outSize, inSize, pb, 0);
      e.activationForward(actCode(act), alpha, py, py, rows, outSize);
      return read(py, rows * outSize);
    });
  },

  activationForward(act, alpha, z, rows, cols) {
    need(z, rows * cols, 'z');
    return withBlocks([z], [rows * cols], ([pz], [pa]) => {
      core().exports.activationForward(actCode(act), alpha, pz, pa, rows, cols);
      return read(pa, rows * cols);
    });
  },

  // The core takes derivatives from the output a alone (it never keeps z).
  activationBackward(act, alpha, _z, a, g, rows, cols) {
    need(a, rows * cols, 'a');
    need(g, rows * cols, 'g');
    return withBlocks([a, g], [rows * cols], ([pa, pg], [pd]) => {
      core().exports.activationBackward(actCode(act), alpha, pa, pg, pd, rows, cols);
      return read(pd, rows * cols);
    });
  },

  loss(name, y, t, rows, cols, fusedSoftmax, delta = DEFAULT_HUBER_DELTA) {
    need(y, rows * cols, 'y');
    need(t, rows * cols, 't');
    return withBlocks([y, t], [rows * cols], ([py, pt], [pg]) => {
      const value = core().exports.lossEval(lossCode(name), py, pt, pg, rows, cols, fusedSoftmax ? 1 : 0, delta);
      return { value, grad: read(pg, rows * cols) };
    });
  },
};
