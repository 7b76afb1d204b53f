/**
 * Text files written a line at a time (training logs). Node only, imported on demand so
 * browser bundles never load node:fs. Each append is one write of whole lines to a file
 * opened for appending: earlier lines are never rewritten, and a crash can cost at most the
 * line being written. No fsync: a log line is not worth a disk flush per epoch.
 */
import { ValueError } from '../errors.js';

async function fs(): Promise<typeof import('node:fs/promises')> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises');
}

function failed(path: string, error: unknown): ValueError {
  const e = new ValueError(`log: cannot write ${JSON.stringify(path)}: ${(error as Error).message}`);
  (e as { cause?: unknown }).cause = error;
  return e;
}

/** Appends `text` to `path` (creating it); throws ValueError naming the path on failure. Mutates only the file. */
export async function appendText(path: string, text: string): Promise<void> {
  try {
    await (await fs()).appendFile(path, text, 'utf8');
  } catch (error) {
    throw failed(path, error);
  }
}

/** Replaces `path`'s contents with `text` (creating it); throws ValueError naming the path on failure. */
export async function writeText(path: string, text: string): Promise<void> {
  try {
    await (await fs()).writeFile(path, text, 'utf8');
  } catch (error) {
    throw failed(path, error);
  }
}

/** True when `path` exists and holds at least one byte. */
export async function hasContent(path: string): Promise<boolean> {
  return (await fs()).stat(path).then(
    (s) => s.size > 0,
    () => false,
  );
}
