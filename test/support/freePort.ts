// Asks the kernel for a TCP port that is free on 127.0.0.1 right now. Another process may take it before
// the cluster binds it, so callers retry with a new port when the postmaster cannot bind.
import { createServer } from 'node:net';

/** Ports this process has handed out, so two clusters started close together never get the same one. */
const handedOut = new Set<number>();

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.unref();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const chosen = typeof address === 'object' && address ? address.port : 0;
        server.close(() => resolve(chosen));
      });
    });
    if (port > 0 && !handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
