/**
 * The load-time check's one number (src/wasm/abi.ts CORE_EXPORTS_FINGERPRINT) against the table
 * it stands for (abi-exports.ts CORE_EXPORTS), without loading a core: when the table changes,
 * this names the new value. test/wasm-abi.test.ts checks every build against both.
 */
import { describe, expect, it } from 'vitest';
import { CORE_EXPORTS_FINGERPRINT } from '../src/wasm/abi.js';
import { CORE_EXPORTS } from '../src/wasm/abi-exports.js';
import { kindsFingerprint } from '../src/wasm/export-kinds.js';

describe('the exports fingerprint', () => {
  const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

  it('CORE_EXPORTS_FINGERPRINT is the fingerprint of CORE_EXPORTS', () => {
    const table = kindsFingerprint(CORE_EXPORTS);
    expect(hex(CORE_EXPORTS_FINGERPRINT), `CORE_EXPORTS changed: set CORE_EXPORTS_FINGERPRINT in src/wasm/abi.ts to ${hex(table)}`).toBe(hex(table));
  });

  it('depends on every name and kind, not on their order', () => {
    const table: Record<string, string> = { ...CORE_EXPORTS };
    const reversed = Object.fromEntries(Object.entries(table).reverse());
    expect(kindsFingerprint(reversed)).toBe(kindsFingerprint(table));
    const fingerprints = new Set([kindsFingerprint(table)]);
    fingerprints.add(kindsFingerprint({ ...table, MAX_THREADS: 'function' }));
    fingerprints.add(kindsFingerprint({ ...table, OPT_LION: 'global' }));
    const { OPT_ADAM: _, ...missing } = table;
    fingerprints.add(kindsFingerprint(missing));
    const { bnEval, ...renamed } = table;
    fingerprints.add(kindsFingerprint({ ...renamed, bnEvaI: bnEval }));
    expect(fingerprints.size).toBe(5);
  });
});
