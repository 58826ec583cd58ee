// A logical backup: pg_dump of one database in custom format (uncompressed, so Lifeboat's own layer does the
// compressing and restore reads it as a stream), and the cluster's globals (roles, tablespaces) beside it,
// without role password hashes.
import type { Readable } from 'node:stream';
import type { Connection } from '../../../shared/domain';
import type { PgToolSet } from './pgTools';
import { libpqEnv, runPgTool } from './pgToolProcess';

export interface LogicalBackupOptions {
  tools: PgToolSet;
  connection: Connection;
  password: string | undefined;
  signal?: AbortSignal;
}

export interface ToolStream {
  stream: Readable;
  done: Promise<void>;
}

export function startDump(o: LogicalBackupOptions): ToolStream {
  const run = runPgTool(o.tools.path('pg_dump'), ['-Fc', '-Z', '0', '-w', '--no-sync'], { env: libpqEnv(o.connection, o.password), signal: o.signal });
  return { stream: run.child.stdout, done: run.done };
}

export function startGlobalsDump(o: LogicalBackupOptions): ToolStream {
  // pg_dumpall connects to the maintenance database; --no-role-passwords keeps password hashes out of
  // backups and lets a non-superuser dump globals.
  const run = runPgTool(o.tools.path('pg_dumpall'), ['--globals-only', '--no-role-passwords', '-w', '-l', o.connection.database], {
    env: libpqEnv(o.connection, o.password),
    signal: o.signal,
  });
  return { stream: run.child.stdout, done: run.done };
}
