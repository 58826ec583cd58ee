// Waits until a postmaster accepts connections, with pg_isready's rule: any answer from the server other
// than "the database system is starting up" means it is up. Polls; never sleeps a fixed time.
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';

export interface ReadinessProbe {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface WaitOptions {
  timeoutMs: number;
  /** Called between attempts: returns why waiting is pointless (the postmaster exited), or undefined. */
  gaveUp?: () => string | undefined;
}

const POLL_INTERVAL_MS = 50;
const CANNOT_CONNECT_NOW = '57P03';

export async function waitUntilAcceptingConnections(probe: ReadinessProbe, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no attempt yet';
  for (;;) {
    const answer = await ping(probe);
    if (answer === 'up') return;
    last = answer;
    const reason = options.gaveUp?.();
    if (reason) throw new Error(`PostgreSQL on ${probe.host}:${probe.port} did not start: ${reason}`);
    if (Date.now() > deadline)
      throw new Error(`PostgreSQL on ${probe.host}:${probe.port} was not ready after ${options.timeoutMs} ms (last: ${last}).`);
    await delay(POLL_INTERVAL_MS);
  }
}

async function ping(probe: ReadinessProbe): Promise<'up' | string> {
  const client = new pg.Client({ ...probe, connectionTimeoutMillis: 2_000 });
  // A server that dies mid-handshake makes the client emit 'error' after connect() rejected.
  client.on('error', () => {});
  try {
    await client.connect();
    return 'up';
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const isSqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
    if (isSqlState && code !== CANNOT_CONNECT_NOW) return 'up';
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}
