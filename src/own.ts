/**
 * Looking names up in tables made of plain objects. `name in table` and `table[name]` also see
 * Object.prototype's members, so 'constructor', '__proto__' or 'toString' would pass a name
 * check and hand back a function; every table lookup of a user-given name goes through here.
 */

/** `table[key]` when `key` is the table's own property, else undefined. Reads only. */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
