/**
 * Files written whole or not at all, and files read with a bound. Node only: every Node module
 * is imported on demand so browser bundles never load it.
 *
 * A write goes to a temporary file in the target's folder, is flushed to disk (fsync), then
 * renamed over the target, and the folder is flushed so the rename itself survives a power cut.
 * A process killed at any point leaves either the old file or the new one, never a mix or a
 * truncation. Writes to one path from this process run one after another, in call order
 * (write-file-atomic keeps a queue per absolute path), so overlapping saves cannot interleave.
 */
import { ValueError } from '../errors.js';

type NodeFs = typeof import('node:fs/promises');

async function nodeFs(): Promise<NodeFs> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises');
}

/** A ValueError for an I/O failure on `path`, keeping the system error as its cause. */
function ioError(what: string, path: string, error: unknown): ValueError {
  const reason = (error as Error).message;
  const wrapped = new ValueError(`${what}: cannot ${what === 'load' || what === 'read' ? 'read' : 'write'} ${JSON.stringify(path)}: ${reason}`);
  (wrapped as { cause?: unknown }).cause = error;
  return wrapped;
}

/**
 * Writes `data` to `path` atomically (temporary file, fsync, rename, fsync of the folder). The
 * folder must exist: a missing one is a ValueError naming the path, raised before anything is
 * written. With `overwrite: false` an existing file is refused (ValueError) and left untouched.
 * `what` names the operation in error messages ('save', 'export', ...). Mutates only the file.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string, options: { what?: string; overwrite?: boolean } = {}): Promise<void> {
  const what = options.what ?? 'write';
  if (typeof path !== 'string' || path === '') return Promise.reject(new ValueError(`${what}: expected a file path, got ${JSON.stringify(path)}`));
  // Queued here, synchronously, in call order: the awaits inside a write (stat, imports) finish
  // in no fixed order, so write-file-atomic's own queue alone would not keep saves in order.
  const previous = queue.get(path) ?? Promise.resolve();
  const run = previous.then(() => writeNow(path, data, options, what));
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queue.set(path, settled);
  void settled.then(() => {
    if (queue.get(path) === settled) queue.delete(path);
  });
  return run;
}

/** Writes to one path in flight or waiting, by the path as given: each entry settles when its write does. */
const queue = new Map<string, Promise<void>>();

/** writeFileAtomic's work, once the writes queued before it on the same path are done. */
async function writeNow(path: string, data: Uint8Array | string, options: { overwrite?: boolean }, what: string): Promise<void> {
  const fs = await nodeFs();
  const { dirname, resolve } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:path');
  const target = resolve(path);
  const folder = dirname(target);
  try {
    const info = await fs.stat(folder);
    if (!info.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch {
    throw new ValueError(`${what}: cannot write ${JSON.stringify(path)}: the folder ${JSON.stringify(folder)} does not exist`);
  }
  if (options.overwrite === false) {
    const exists = await fs.stat(target).then(
      () => true,
      () => false,
    );
    if (exists) throw new ValueError(`${what}: ${JSON.stringify(path)} exists; pass --force (or overwrite: true) to replace it`);
  }
  const { default: writeAtomic } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'write-file-atomic');
  try {
    await writeAtomic(target, typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength), { fsync: true });
  } catch (error) {
    throw ioError(what, path, error);
  }
  await syncFolder(fs, folder);
}

/** Flushes a folder's entries (the rename) to disk; platforms that cannot fsync a folder skip it. */
async function syncFolder(fs: NodeFs, folder: string): Promise<void> {
  let handle: Awaited<ReturnType<NodeFs['open']>> | undefined;
  try {
    handle = await fs.open(folder, 'r');
    await handle.sync();
  } catch {
    // Windows and some file systems refuse fsync on a folder (EISDIR, EPERM, EINVAL): the rename
    // is still atomic there, only its durability across a power cut is the OS's to give.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Reads a whole regular file of at most `maxBytes` bytes. Refuses, with a ValueError naming the
 * path, a missing file, anything that is not a regular file (a folder, /dev/zero, a FIFO) and a
 * file larger than the bound — before reading it, and again if it grows while being read.
 * `what` names the operation in messages. Mutates nothing.
 */
export async function readFileBounded(path: string, maxBytes: number, what = 'read'): Promise<Uint8Array> {
  const fs = await nodeFs();
  let handle: Awaited<ReturnType<NodeFs['open']>>;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    throw ioError(what, path, error);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ValueError(`${what}: ${JSON.stringify(path)} is not a regular file`);
    if (info.size > maxBytes) throw new ValueError(`${what}: ${JSON.stringify(path)} is ${info.size} bytes, more than the ${maxBytes}-byte limit`);
    // Read one byte past the bound so a file that grew since the stat is caught, not cut.
    const buffer = new Uint8Array(Math.min(maxBytes + 1, info.size + 1));
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > info.size) {
        const why = length > maxBytes ? `is more than the ${maxBytes}-byte limit` : 'grew while being read';
        throw new ValueError(`${what}: ${JSON.stringify(path)} ${why}`);
      }
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof ValueError) throw error;
    throw ioError(what, path, error);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
