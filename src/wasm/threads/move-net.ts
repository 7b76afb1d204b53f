/**
 * Moving a WasmEngine's network to another core (the threads build, when a thread team starts:
 * team.ts): the engine builds the same network there (WasmEngine.moveTo), and this copies every
 * number the old one holds into it. Loaded with the threads code, never by a model that trains
 * on one thread.
 */
import type { Core } from '../core.js';

/**
 * Copies the `size` parameter values, the gradients, the optimiser state buffers `slots` and
 * the step count of network `net` in core `from` into network `moved` (built from the same
 * plan) in core `to`, then destroys `net` in `from`. Mutates both networks.
 */
export function moveNet(from: Core, to: Core, net: number, moved: number, size: number, slots: readonly (readonly [string, number])[]): void {
  const fe = from.exports,
    te = to.exports;
  const copy = (src: number, dst: number) => {
    const a = src >>> 2;
    to.f32().set(from.f32().subarray(a, a + size), dst >>> 2);
  };
  copy(fe.netParams(net), te.netParams(moved));
  copy(fe.netGrads(net), te.netGrads(moved));
  // Slot numbers are the core's own (state-slots.ts), the same in every build of it.
  for (const [, slot] of slots) copy(fe.netState(net, slot), te.netState(moved, slot));
  te.netSetStep(moved, fe.netStep(net));
  fe.netDestroy(net);
}

/** The signature of moveNet, for the engine that lets a team call it (WasmEngine.moveTo). */
export type MoveNet = typeof moveNet;
