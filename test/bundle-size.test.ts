/**
 * The bundle budget: a page that trains two moons with the default backend (test/bundlers/moons,
 * the README's browser example), built by Vite with its defaults from the package as installed,
 * ships at most BUDGET_GZIP_BYTES of gzipped JavaScript: the entry chunk and every chunk it
 * imports statically, i.e. what the page loads before it runs. Chunks reached only by a dynamic
 * import (ONNX, Node-only code) load when used and are not counted. The .wasm comes on top.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { build as viteBuild } from 'vite';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeAppDir, type AppDir } from './bundlers/workdir.js';

/**
 * gzip bytes of JS the moons page may load. The issue's target is 25 kB; measured 28.7 kB once
 * ONNX left the page (66.2 kB before). What remains over it is code Sequential's synchronous
 * methods reach (the float64 reference engine, JSON / binary save and load), which cannot load
 * lazily without making those methods async, and since the interchange formats landed, the
 * PyTorch / safetensors / tfjs code that Sequential's toPyTorch / toTFJS / fromSafetensors /
 * fromTFJS reach statically, and the trace and metadata code (52.4 kB measured): the next step is to
 * load those as ONNX loads. The budget held the line at 54 kB meanwhile; streamed training (data
 * larger than memory) added 1.6 kB (52.57 -> 54.16 kB: the engines' createStaging / loadBatch and
 * their checks, which every page's engines carry, and fit's glue; the feeds themselves load
 * lazily), so it holds at 55 kB now; the 25 kB target is not met.
 */
const BUDGET_GZIP_BYTES = 55_000;

interface ManifestChunk { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[]; assets?: string[] }

let app: AppDir | undefined;
afterAll(() => app?.remove());

/** The entry's chunk files and those it imports statically, transitively. */
function staticClosure(manifest: Record<string, ManifestChunk>): string[] {
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
  if (entry === undefined) throw new Error('the Vite manifest has no entry chunk');
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const k of manifest[key].imports ?? []) visit(k);
  };
  visit(entry);
  return [...seen].map((k) => manifest[k].file);
}

describe('bundle size', () => {
  it(`a page training moons loads at most ${BUDGET_GZIP_BYTES / 1000} kB of gzipped JavaScript`, async () => {
    app = makeAppDir('moons-size', 'index.html', 'moons');
    await viteBuild({ root: app.dir, configFile: false, logLevel: 'error', build: { manifest: true } });
    const dist = join(app.dir, 'dist');
    const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
    const files = staticClosure(manifest);
    const sizes = files.map((f) => {
      const bytes = readFileSync(join(dist, f));
      return { file: f, minified: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
    const gzip = sizes.reduce((a, s) => a + s.gzip, 0);
    const minified = sizes.reduce((a, s) => a + s.minified, 0);
    const wasm = Object.values(manifest).flatMap((c) => c.assets ?? []).filter((f) => f.endsWith('.wasm'));
    const wasmBytes = [...new Set(wasm)].map((f) => ({ file: f, bytes: statSync(join(dist, f)).size, gzip: gzipSync(readFileSync(join(dist, f)), { level: 9 }).length }));
    console.log(`moons page: ${files.length} JS chunk(s), ${minified} B minified, ${gzip} B gzip; wasm: ${JSON.stringify(wasmBytes)}`);
    expect(wasmBytes.length, 'the core must be an emitted asset').toBeGreaterThanOrEqual(1);
    // The protobuf code (ONNX) must not be in what the page loads.
    for (const f of files) expect(/AttributeProto|protobuf/.test(readFileSync(join(dist, f), 'utf8')), `${f} holds protobuf code`).toBe(false);
    expect(gzip, JSON.stringify(sizes)).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });
});
