/**
 * Which of the core's optimiser state slots hold the buffers the contract names: read from the
 * built network (netState is 0 for an unused slot), so no slot number is written down here.
 */
import type { Core } from './core.js';

/**
 * Pairs each contract buffer name (optimizerStateBuffers' order) with the core slot holding it,
 * for the network `net` of core `c`. Throws when the counts disagree (a core / contract drift).
 */
export function stateSlots(c: Core, net: number, names: string[], optimizer: string): [string, number][] {
  const e = c.exports;
  const used: number[] = [];
  for (let slot = 0; slot < c.abi.stateSlots; slot++) if (e.netState(net, slot) !== 0) used.push(slot);
  if (used.length !== names.length) {
    throw new Error(`wasm engine: the core keeps ${used.length} state buffers for ${optimizer}, the contract names [${names.join(', ')}]`);
  }
  return names.map((n, i) => [n, used[i]]);
}
