/**
 * The CLI's files. Inputs are read only when they are regular files of a bounded size. Outputs
 * are checked before any work (an existing file is kept unless --force, a missing folder is
 * named), then written whole or not at all, and never cut by a Ctrl-C.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { readFileBounded, writeFileAtomic } from '../io/atomic-file.js';
import { UsageError } from './usage-error.js';

/** The largest CSV read (1 GiB), checked before reading. */
export const MAX_CSV_FILE_BYTES = 2 ** 30;

/** Reads a whole input file of at most `maxBytes` (regular files only); a UsageError naming it otherwise. */
export async function readInput(file: string, maxBytes: number, what: string): Promise<Uint8Array> {
  try {
    return await readFileBounded(file, maxBytes, what);
  } catch (e) {
    // readFileBounded's messages start with "what: "; the CLI says "cannot read <what> <file>: why".
    const why = (e as Error).message.replace(/^[^:]*: (cannot read "[^"]*": )?/, '');
    throw new UsageError(`cannot read ${what} ${file}: ${why}`);
  }
}

/**
 * Refuses, before any training or reading, an output path whose folder does not exist and (without
 * `force`) one that already exists. Paths may repeat; undefined entries are skipped. Mutates nothing.
 */
export async function checkOutputs(paths: readonly (string | undefined)[], force: boolean): Promise<void> {
  const seen = new Set<string>();
  for (const path of paths) {
    if (path === undefined) continue;
    const full = resolve(path);
    if (seen.has(full)) throw new UsageError(`${path} is named as two outputs`);
    seen.add(full);
    const folder = await stat(dirname(full)).catch(() => null);
    if (folder === null || !folder.isDirectory()) throw new UsageError(`cannot write ${path}: the folder ${dirname(full)} does not exist`);
    const existing = await stat(full).catch(() => null);
    if (existing !== null && !force) throw new UsageError(`${path} exists; pass --force to replace it`);
    if (existing !== null && !existing.isFile()) throw new UsageError(`cannot write ${path}: it is not a regular file`);
  }
}

let writesInFlight = 0;

/** The SIGINT handler while a write runs: says to wait instead of letting the process die mid-write. */
function holdInterrupt(): void {
  process.stderr.write('\nwasmlp: still writing the output; it will be complete in a moment (the file is replaced whole or not at all)\n');
}

/**
 * Writes one output file atomically (temporary file, fsync, rename). A Ctrl-C during the write is
 * held until it ends, with a message saying so. Throws a UsageError naming the path on failure.
 */
export async function writeOutput(path: string, data: Uint8Array | string): Promise<void> {
  if (writesInFlight++ === 0) process.on('SIGINT', holdInterrupt);
  try {
    await writeFileAtomic(path, data, { what: 'write' });
  } catch (e) {
    throw new UsageError((e as Error).message);
  } finally {
    if (--writesInFlight === 0) process.removeListener('SIGINT', holdInterrupt);
  }
}
