// Helpers the examples share: the seeds' exact data when ../shared/fixtures is beside the
// checkout (else the same generator seeded by wasmlp), an output folder, and "run when executed".
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { datasets } from 'wasmlp';

const fixtures = new URL('../../shared/fixtures/', import.meta.url);

/**
 * The tutorial's very points from ../shared/fixtures/FILE when present; otherwise `fallback()`
 * (wasmlp's seeded generator: the same distribution, other points).
 */
export async function seedData(file, fallback) {
  const path = fileURLToPath(new URL(file, fixtures));
  if (existsSync(path)) return { ...(await datasets.loadDataset(path)), source: `the tutorial's exact data (${file})` };
  return { ...fallback(), source: "wasmlp's seeded generator (the tutorial's exact data is not beside this checkout)" };
}

/** Makes the output folder and returns a path maker inside it. */
export async function outputs(dir) {
  await mkdir(dir, { recursive: true });
  return (name) => `${dir}/${name}`;
}

/** Runs `run` with command-line flags when the example file is executed directly. */
export function runIfMain(url, run) {
  if (process.argv[1] && fileURLToPath(url) === process.argv[1]) {
    const quick = process.argv.includes('--quick');
    const at = process.argv.indexOf('--out-dir');
    const outDir = at > 0 ? process.argv[at + 1] : 'wasmlp-examples';
    run({ quick, outDir, log: console.log }).catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
  }
}

/** Percent with one decimal. */
export const pct = (v) => `${(v * 100).toFixed(1)}%`;
