// Lifeboat's own log: one JSON line per call or job change. It records what happened and its outcome, never
// the inputs, so no password or connection secret can reach it.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  event: string;
  serviceId?: string;
  code?: string;
  ms?: number;
  detail?: string;
}

export class ActivityLog {
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  write(entry: LogEntry): Promise<void> {
    // Appends are serialised so lines never interleave.
    this.chain = this.chain.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      await appendFile(this.path, JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n', { mode: 0o600 });
    }).catch(() => undefined);
    return this.chain;
  }
}
