// Runs the built CLI (bin/wasmlp.js -> dist/) in a child process and collects its exit code and output.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Path of the CLI entry. */
export const bin = new URL('../../bin/wasmlp.js', import.meta.url).pathname;

/** `wasmlp ...args`: resolves with the exit code and both streams (never rejects on a non-zero exit). */
export async function wasmlp(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
