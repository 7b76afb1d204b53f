/** A free TCP port on 127.0.0.1, for servers (Vite's) that want a number up front. */
import { createServer } from 'node:net';

/** Asks the OS for a free port by binding port 0, then releases it. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? ok(port) : fail(new Error('no free port'))));
    });
  });
}
