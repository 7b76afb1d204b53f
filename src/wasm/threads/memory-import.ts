/**
 * The limits of the memory a WebAssembly module imports, read from its binary. The threads
 * builds import a shared memory that the caller must create with exactly the maximum the
 * module declares (asconfig.json's maximumMemory); reading it from the module keeps that number
 * in one place. The JS API has no reflection of import limits, hence this small reader of the
 * import section (https://webassembly.github.io/spec/core/binary/modules.html#import-section).
 */

/** Limits of an imported memory, in 64 KiB pages. */
export interface MemoryLimits {
  initial: number;
  /** null when the module declares no maximum. */
  maximum: number | null;
  shared: boolean;
}

/** A cursor over the bytes that reads LEB128 numbers and names, throwing past the end. */
class Reader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.bytes.length) throw new Error('wasm module: truncated');
    return this.bytes[this.pos++];
  }

  /** An unsigned LEB128 of up to 32 bits. */
  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new Error('wasm module: bad LEB128 number');
  }

  skip(n: number): void {
    this.pos += n;
    if (this.pos > this.bytes.length) throw new Error('wasm module: truncated');
  }

  limits(): MemoryLimits {
    const flags = this.byte();
    const initial = this.u32();
    const maximum = flags & 1 ? this.u32() : null;
    return { initial, maximum, shared: (flags & 2) !== 0 };
  }
}

/**
 * The limits of the first memory the module imports, or null when it imports none. Reads the
 * bytes only; throws on a malformed module.
 */
export function importedMemoryLimits(bytes: Uint8Array): MemoryLimits | null {
  const r = new Reader(bytes);
  r.skip(8); // magic and version
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    if (id !== 2) {
      r.skip(size);
      continue;
    }
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      r.skip(r.u32()); // module name
      r.skip(r.u32()); // field name
      const kind = r.byte();
      if (kind === 0)
        r.u32(); // function: type index
      else if (kind === 1) {
        r.byte();
        r.limits();
      } // table: element type, limits
      else if (kind === 2) return r.limits();
      else if (kind === 3)
        r.skip(2); // global: value type, mutability
      else throw new Error(`wasm module: unknown import kind ${kind}`);
    }
    return null;
  }
  return null;
}
