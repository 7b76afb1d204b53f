/** `wasmlp example ID`: runs one of the seed tutorials' examples from examples/. */
import { EXIT, UsageError } from './usage-error.js';
import { ownEntry } from '../own.js';

/** The examples by number, and their files (relative to the package root). */
export const EXAMPLES: Record<string, string> = {
  '000': 'examples/000-flower.js',
  '001': 'examples/001-moons.js',
  '002': 'examples/002-perceptron-mnist.js',
  '003': 'examples/003-forward.js',
  '004': 'examples/004-moons-deep.js',
};

/** Imports the example module and runs its `run({ quick, outDir })`. */
export async function exampleCommand(id: string, o: { quick?: boolean; outDir: string }): Promise<number> {
  const key = id.padStart(3, '0');
  const file = ownEntry(EXAMPLES, key);
  if (!file) throw new UsageError(`unknown example '${id}' (valid: ${Object.keys(EXAMPLES).join(', ')})`);
  // dist/cli/example.js -> the package root is two levels up.
  const module = await import(new URL(`../../${file}`, import.meta.url).href);
  await module.run({ quick: o.quick ?? false, outDir: o.outDir, log: console.log });
  return EXIT.ok;
}
