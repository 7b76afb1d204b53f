/**
 * Assembles a scratch app for the bundler checks: the app template plus node_modules/wasmlp
 * holding exactly what `npm publish` ships (package.json, dist/, build/*.wasm), so each bundler
 * sees the package as a user's install would. wasmlp's own dependencies resolve from the
 * repository's node_modules (the scratch dirs live inside the checkout, under a gitignored .work/).
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** The repository root. */
export const ROOT = resolve(HERE, '../..');
/** Dependencies a browser build of wasmlp pulls in (fast-png and its own; protobufjs for ONNX). */
const BROWSER_DEPENDENCIES = ['fast-png', 'iobuffer', 'fflate', 'protobufjs', 'crc-32'];

/** Throws a clear message when `npm run build` has not produced what the package ships. */
export function assertBuilt(): void {
  for (const f of ['dist/index.js', 'build/wasmlp.wasm']) {
    if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: run 'npm run build' before the browser tests`);
  }
}

/** A scratch app directory; `remove()` deletes it. */
export interface AppDir {
  dir: string;
  remove(): void;
}

/**
 * Creates `.work/<name>-XXXX` with an app's src/ (`app` names the template folder beside this
 * file, default 'app'), the given html of that folder as index.html and the package installed.
 */
export function makeAppDir(name: string, html: string, app = 'app'): AppDir {
  assertBuilt();
  const work = join(HERE, '.work');
  mkdirSync(work, { recursive: true });
  const dir = mkdtempSync(join(work, `${name}-`));
  cpSync(join(HERE, app, 'src'), join(dir, 'src'), { recursive: true });
  cpSync(join(HERE, app, html), join(dir, 'index.html'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `wasmlp-check-${name}`, private: true, type: 'module' }, null, 2));
  const pkg = join(dir, 'node_modules/wasmlp');
  mkdirSync(join(pkg, 'build'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(ROOT, 'dist'), join(pkg, 'dist'), { recursive: true });
  for (const f of readdirSync(join(ROOT, 'build'))) {
    if (f.endsWith('.wasm')) cpSync(join(ROOT, 'build', f), join(pkg, 'build', f));
  }
  for (const dep of BROWSER_DEPENDENCIES) symlinkSync(join(ROOT, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
