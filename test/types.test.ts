// The published declarations: test/types/consumer.ts compiles against dist/index.d.ts with
// lib es2022 and Node's types only (no DOM) and skipLibCheck off, and every misspelt loss,
// optimiser, metric, activation and initialiser in it is a compile error (@ts-expect-error).
// And the tests themselves type-check (tsconfig.test.json: src/ and test/), so a stale import
// or a wrong field in a test fails here rather than as a puzzling run-time failure.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const tsc = join(root, 'node_modules/typescript/bin/tsc');

async function compile(project: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [tsc, '-p', project], { cwd: root });
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, out: err.stdout };
  }
}

describe('the test tree', () => {
  it('src/ and test/ compile together under tsconfig.test.json', async () => {
    const r = await compile(join(root, 'tsconfig.test.json'));
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  }, 180_000);
});

describe('published types', () => {
  it('dist/index.d.ts compiles without DOM and with skipLibCheck off; typos are compile errors', async () => {
    const r = await compile(join(root, 'test/types/tsconfig.json'));
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  }, 60_000);

  it('a misspelt loss without @ts-expect-error fails to compile, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmlp-types-'));
    const dist = join(root, 'dist/index.js');
    writeFileSync(join(dir, 'typo.ts'), `import { mlp } from ${JSON.stringify(dist)};\nmlp([2, 1]).compile({ loss: 'msee' });\n`);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['es2022'],
          types: ['node'],
          typeRoots: [join(root, 'node_modules/@types')],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        files: ['typo.ts'],
      }),
    );
    const r = await compile(join(dir, 'tsconfig.json'));
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/typo\.ts\(2,[0-9]+\): error TS\d+: .*'"msee"'/);
  }, 60_000);
});
