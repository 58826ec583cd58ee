// Runs a PostgreSQL client tool for one service: connection settings and the password go through libpq's
// environment (never the command line, which other users can read), stderr is kept for progress and for the
// error, and a failure becomes a LifeboatError with the code a DBA expects.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { Connection } from '../../../shared/domain';
import { LifeboatError } from '../../lifeboatError';

export interface PgToolRun {
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  /** Resolves when the tool exits 0; rejects with a classified error otherwise. */
  done: Promise<void>;
  /** All stderr so far (last 64 KiB). */
  stderr(): string;
}

export function libpqEnv(connection: Connection, password: string | undefined, database = connection.database): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: connection.host,
    PGPORT: String(connection.port),
    PGUSER: connection.user,
    PGDATABASE: database,
    PGSSLMODE: connection.tls,
    PGCONNECT_TIMEOUT: '10',
    PGAPPNAME: 'lifeboat',
    // Never prompt: a missing password is an error, not a hang.
    PGPASSWORD: password ?? '',
  };
  if (password === undefined) delete env.PGPASSWORD;
  if (connection.password.kind === 'passfile' && connection.password.path) env.PGPASSFILE = connection.password.path;
  return env;
}

export function runPgTool(
  binary: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; signal?: AbortSignal; onStderrLine?: (line: string) => void; stdin?: 'pipe' | 'ignore' },
): PgToolRun {
  const child = spawn(binary, args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
  if (options.stdin !== 'pipe') child.stdin.end();
  let stderr = '';
  let partial = '';
  child.stderr.on('data', (d: Buffer) => {
    const text = d.toString();
    stderr = (stderr + text).slice(-65536);
    // Progress lines end in \r when stderr is a terminal and in \n otherwise.
    const lines = (partial + text).split(/\r|\n/);
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) options.onStderrLine?.(line);
  });
  const onAbort = () => child.kill('SIGTERM');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const tool = binary.split(/[\\/]/).pop()!;
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new LifeboatError('TOOL_MISSING', `${binary} was not found.`, 'Install the PostgreSQL client tools, or set LIFEBOAT_PG_BIN.') : err),
    );
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) return reject(new LifeboatError('CANCELLED', `${tool} was cancelled.`, 'Nothing was kept from this run.'));
      if (code === 0) return resolve();
      reject(classifyToolFailure(tool, stderr, signal ? `signal ${signal}` : `exit code ${code}`));
    });
  });
  return { child, done, stderr: () => stderr };
}

/** Reads the tool's stderr the way a DBA would and names the cause. */
export function classifyToolFailure(tool: string, stderr: string, exit: string): LifeboatError {
  const lines = stderr.split(/\r|\n/).map((l) => l.trim()).filter(Boolean);
  const errorLine = lines.find((l) => /error:|FATAL:|fatal:/.test(l)) ?? lines[lines.length - 1] ?? exit;
  const message = `${tool} failed: ${errorLine}`;
  const has = (re: RegExp) => re.test(stderr);
  if (has(/password authentication failed|no password supplied|fe_sendauth/))
    return new LifeboatError('AUTH_FAILED', message, 'Check the password stored for this service (Test connection shows the same error).');
  if (has(/no pg_hba\.conf entry for replication/))
    return new LifeboatError('PERMISSION_DENIED', message, 'Add a "replication" line for this user to pg_hba.conf on the server and reload it.');
  if (has(/must be superuser or replication role|permission denied to start WAL sender|must have (the )?REPLICATION|permission denied/i))
    return new LifeboatError('PERMISSION_DENIED', message, 'Physical backups need a role with REPLICATION (ALTER ROLE ... REPLICATION); logical ones need read access to every table (pg_read_all_data).');
  if (has(/Connection refused|could not connect|could not translate host name|No route to host|timeout expired/i))
    return new LifeboatError('UNREACHABLE', message, 'Check that the server is up and reachable from this computer (host, port, firewall).');
  if (has(/No space left on device|could not write.*No space/i))
    return new LifeboatError('NO_SPACE', message, 'Free space on the repository disk, or apply retention; the incomplete backup was removed.');
  if (has(/server version mismatch|incompatible server version|unsupported version/i))
    return new LifeboatError('TOOL_VERSION', message, 'Install client tools of the server\'s major version or newer, or set LIFEBOAT_PG_BIN.');
  if (has(/database ".*" does not exist/))
    return new LifeboatError('NOT_FOUND', message, 'Check the database name of this service.');
  return new LifeboatError('INTERNAL', message, `See ${tool}'s message; nothing incomplete was kept.`);
}
