/**
 * The kind of each export of an instance, and a fingerprint of such a list: what the load-time
 * check (abi.ts verifyExports) compares with one constant, so that the full table of the core's
 * exports (abi-exports.ts) and its diagnostics load only when a module differs.
 */

/** The kind of an exported value as WebAssembly.Module.exports names it; anything else, its typeof. Pure. */
export function exportKind(v: unknown): string {
  return v instanceof WebAssembly.Memory ? 'memory' : v instanceof WebAssembly.Global ? 'global' : typeof v === 'function' ? 'function' : typeof v;
}

/** name -> kind of every export of the instance. Reads only. */
export function exportKinds(instance: WebAssembly.Instance): Record<string, string> {
  const exports = instance.exports as Record<string, unknown>;
  const kinds: Record<string, string> = {};
  for (const name of Object.keys(exports)) kinds[name] = exportKind(exports[name]);
  return kinds;
}

/**
 * FNV-1a (32 bits) over the `name:kind;` pairs sorted by name: equal for equal lists, whatever
 * their order, and (but for a 1 in 2^32 collision) different for any other. Pure.
 */
export function kindsFingerprint(kinds: Readonly<Record<string, string>>): number {
  let h = 0x811c9dc5;
  for (const name of Object.keys(kinds).sort()) {
    const pair = `${name}:${kinds[name]};`;
    for (let i = 0; i < pair.length; i++) h = Math.imul(h ^ pair.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}
