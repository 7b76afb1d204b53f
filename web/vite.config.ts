/**
 * The playground's Vite config (`npm run web`, `npm run build:web`). The page imports `wasmlp`
 * as any app would, aliased here to the package's TypeScript browser entry (src/browser.ts, its public
 * API and nothing deeper); the core's .wasm is found through its `new URL(...,
 * import.meta.url)` and emitted as an asset. The dev and preview servers send COOP/COEP, so the
 * page is cross-origin isolated (SharedArrayBuffer, for threads when the core has them).
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs: the built site works from any directory of any static host.
  base: './',
  resolve: { alias: [{ find: /^wasmlp$/, replacement: fileURLToPath(new URL('../src/browser.ts', import.meta.url)) }] },
  server: { headers: isolation, fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  preview: { headers: isolation },
  // Scan the Worker's imports up front too: a dependency found late makes the dev server reload the page.
  optimizeDeps: { entries: ['index.html', 'src/worker.ts'] },
  // The library and the Worker use top-level await, so modules all the way.
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
