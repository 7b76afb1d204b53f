/**
 * `wasmlp playground [--port N]`: serves the built playground (web/dist, built by
 * `npm run build:web` and shipped in the package) on 127.0.0.1 with the COOP/COEP headers that
 * make the page cross-origin isolated (SharedArrayBuffer, so the core can use threads), prints
 * its URL, and runs until interrupted. Reads files only; serves nothing outside its folder.
 */
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, UsageError } from './usage-error.js';

/** The built page in an installed package: dist/cli/ → ../../web/dist. */
export const PLAYGROUND_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** The headers of cross-origin isolation, on every response. */
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/** Parses --port: an integer in [0, 65535] (0: any free port). Throws UsageError otherwise. */
function portOf(value: unknown): number {
  const port = value === undefined ? 8080 : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer in [0, 65535], got ${String(value)}`);
  return port;
}

/**
 * Serves `root` (default PLAYGROUND_DIR) until SIGINT / SIGTERM; resolves to the exit code.
 * Throws UsageError for a bad port or a folder without index.html (the page was not built).
 */
export async function playgroundCommand(o: { port?: string; root?: string }): Promise<number> {
  const port = portOf(o.port);
  const root = resolve(o.root ?? PLAYGROUND_DIR);
  if (!existsSync(join(root, 'index.html'))) {
    throw new UsageError(`no built playground in ${root} (run \`npm run build:web\` in a checkout of wasmlp)`);
  }
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    // Nothing outside root, whatever the path says.
    if ((file !== root && !file.startsWith(root + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { ...ISOLATION, 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { ...ISOLATION, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) => fail(e.code === 'EADDRINUSE' ? new UsageError(`port ${port} is in use (try --port 0)`) : e));
    server.listen(port, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address !== null ? address.port : port;
  process.stdout.write(`wasmlp playground: http://127.0.0.1:${actual}/\n`);
  return new Promise<number>((done) => {
    const stop = () => server.close(() => done(EXIT.ok));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
