/**
 * The import direction inside src/, as .dependency-cruiser.cjs states it: no cycles, formats
 * (src/io/) never import the model layer, the model layer never imports a backend's code. The
 * rules are run on src/ and, to show they bite, on a scratch tree that breaks each one.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const config = join(root, '.dependency-cruiser.cjs');
const cli = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Cruise {
  summary: { violations: { rule: { name: string }; from: string; to: string }[]; totalCruised: number };
  modules: { source: string; dependencies: { module: string; couldNotResolve: boolean }[] }[];
}

/** Runs dependency-cruiser with the project's rules on `cwd`/src and returns its JSON report (exit status ignored: violations are in the report). */
async function cruise(cwd: string): Promise<Cruise> {
  const run = promisify(execFile);
  const args = [cli, '--config', config, '--output-type', 'json', 'src'];
  const out = await run(process.execPath, args, { cwd, maxBuffer: 64 << 20 }).catch((e: { stdout?: string }) => {
    if (!e.stdout) throw e;
    return { stdout: e.stdout };
  });
  return JSON.parse(out.stdout) as Cruise;
}

const rulesBroken = (c: Cruise) => c.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();

describe('architecture', () => {
  it('src/ has no import cycle, io/ does not import model/, model/ does not import wasm/ or reference/, lazy parts load dynamically', async () => {
    const c = await cruise(root);
    expect(c.summary.totalCruised).toBeGreaterThan(100);
    // An import the cruiser cannot resolve would escape every rule: all relative ones must resolve.
    const unresolved = c.modules.flatMap((m) =>
      m.dependencies.filter((d) => d.couldNotResolve && d.module.startsWith('.')).map((d) => `${m.source} -> ${d.module}`),
    );
    expect(unresolved).toEqual([]);
    expect(rulesBroken(c)).toEqual([]);
  }, 60_000);

  describe('the rules catch each kind of break', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'wasmlp-arch-'));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));
    const file = (path: string, text: string) => {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), text);
    };

    it('a type-only cycle, io/ -> model/, model/ -> wasm/ and reference/, and a lazy part imported statically', async () => {
      file('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['src/**/*.ts'] }));
      file('src/a.ts', "import type { B } from './b.js';\nexport type A = { b: B };\n");
      file('src/b.ts', "import type { A } from './a.js';\nexport type B = { a?: A };\n");
      file('src/model/m.ts', "import { w } from '../wasm/w.js';\nimport type { R } from '../reference/r.js';\nexport const m = (r: R) => w + r.x;\n");
      file('src/io/f.ts', "import type { m } from '../model/m.js';\nexport type F = typeof m;\n");
      file('src/wasm/w.ts', 'export const w = 1;\n');
      file('src/reference/r.ts', 'export interface R { x: number }\n');
      // A lazy part imported statically breaks the rule; by dynamic import or for its types only, it does not.
      file('src/model/persist.ts', 'export const p = 1;\nexport type P = number;\n');
      file('src/model/eager.ts', "import { p } from './persist.js';\nexport const e = p;\n");
      file('src/model/lazy.ts', "import type { P } from './persist.js';\nexport const l = (): Promise<P> => import('./persist.js').then((m) => m.p);\n");
      expect(rulesBroken(await cruise(scratch))).toEqual([
        'io-not-model: src/io/f.ts -> src/model/m.ts',
        'lazy-parts-dynamic-only: src/model/eager.ts -> src/model/persist.ts',
        'model-not-backends: src/model/m.ts -> src/reference/r.ts',
        'model-not-backends: src/model/m.ts -> src/wasm/w.ts',
        'no-circular: src/a.ts -> src/b.ts',
      ]);
    }, 60_000);
  });
});
