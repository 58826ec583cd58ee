// Finds the PostgreSQL client tools that fit a server: the same major version, else a newer one (pg_dump and
// pg_basebackup support older servers); only older tools is a TOOL_VERSION error, none a TOOL_MISSING one.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { LifeboatError } from '../../lifeboatError';

const run = promisify(execFile);

export type PgTool = 'pg_dump' | 'pg_dumpall' | 'pg_restore' | 'pg_basebackup' | 'pg_verifybackup' | 'pg_receivewal' | 'psql' | 'pg_ctl' | 'postgres' | 'initdb' | 'pg_amcheck' | 'pg_waldump';

export interface PgToolSet {
  dir: string;
  major: number;
  version: string;
  path(tool: PgTool): string;
}

const exe = process.platform === 'win32' ? '.exe' : '';

/** Folders where PostgreSQL's installers put their binaries, newest layouts first. */
export function candidateDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  if (env.LIFEBOAT_PG_BIN) dirs.push(...env.LIFEBOAT_PG_BIN.split(delimiter));
  const globbed = (parent: string, inner: (name: string) => string) => {
    try {
      for (const name of readdirSync(parent)) dirs.push(inner(name));
    } catch {
      // Not this platform's layout.
    }
  };
  globbed('/usr/lib/postgresql', (n) => join('/usr/lib/postgresql', n, 'bin')); // Debian, Ubuntu
  globbed('/usr', (n) => (n.startsWith('pgsql-') ? join('/usr', n, 'bin') : '')); // RHEL (PGDG)
  globbed('/opt/homebrew/opt', (n) => (n.startsWith('postgresql') ? join('/opt/homebrew/opt', n, 'bin') : ''));
  globbed('/usr/local/opt', (n) => (n.startsWith('postgresql') ? join('/usr/local/opt', n, 'bin') : ''));
  globbed('/Applications/Postgres.app/Contents/Versions', (n) => join('/Applications/Postgres.app/Contents/Versions', n, 'bin'));
  globbed('C:\\Program Files\\PostgreSQL', (n) => join('C:\\Program Files\\PostgreSQL', n, 'bin'));
  dirs.push(...(env.PATH ?? '').split(delimiter));
  return [...new Set(dirs.filter((d) => d && existsSync(join(d, `pg_dump${exe}`))))];
}

/** Probes by folder, kept while pg_dump's file is unchanged: Debian's /usr/bin/pg_dump is a Perl wrapper,
 * and probing every folder cost ~160 ms at the start of every job. An upgrade changes the file, so the
 * next probe sees the new version. */
const probed = new Map<string, { stamp: string; set: Promise<PgToolSet | undefined> }>();

function probe(dir: string): Promise<PgToolSet | undefined> {
  let stamp: string;
  try {
    const info = statSync(join(dir, `pg_dump${exe}`));
    stamp = `${info.mtimeMs}:${info.size}:${info.ino}`;
  } catch {
    return Promise.resolve(undefined);
  }
  const known = probed.get(dir);
  if (known?.stamp === stamp) return known.set;
  const set = probeVersion(dir);
  probed.set(dir, { stamp, set });
  return set;
}

async function probeVersion(dir: string): Promise<PgToolSet | undefined> {
  try {
    const { stdout } = await run(join(dir, `pg_dump${exe}`), ['--version']);
    const match = stdout.match(/(\d+)(?:\.(\d+))?/);
    if (!match) return undefined;
    const major = Number(match[1]);
    return { dir, major, version: match[0], path: (tool) => join(dir, tool + exe) };
  } catch {
    return undefined;
  }
}

export async function listToolSets(env: NodeJS.ProcessEnv = process.env): Promise<PgToolSet[]> {
  const found = await Promise.all(candidateDirs(env).map(probe));
  return found.filter((t): t is PgToolSet => t !== undefined);
}

/** The tool set for a server of the given major version. */
export async function findPgTools(serverMajor: number, env: NodeJS.ProcessEnv = process.env): Promise<PgToolSet> {
  return chooseToolSet(await listToolSets(env), serverMajor);
}

export function chooseToolSet(sets: PgToolSet[], serverMajor: number): PgToolSet {
  if (!sets.length)
    throw new LifeboatError('TOOL_MISSING', 'No PostgreSQL client tools (pg_dump, pg_basebackup) were found.', `Install the PostgreSQL ${serverMajor} client tools (Debian: apt install postgresql-client-${serverMajor}), or set LIFEBOAT_PG_BIN to their folder.`);
  const exact = sets.find((s) => s.major === serverMajor);
  if (exact) return exact;
  const newer = sets.filter((s) => s.major > serverMajor).sort((a, b) => a.major - b.major)[0];
  if (newer) return newer;
  const have = [...new Set(sets.map((s) => s.major))].sort().join(', ');
  throw new LifeboatError('TOOL_VERSION', `The server runs PostgreSQL ${serverMajor}, but only older client tools were found (${have}).`, `pg_dump and pg_basebackup cannot back up a newer server. Install the PostgreSQL ${serverMajor} client tools (Debian/Ubuntu: apt install postgresql-client-${serverMajor}, from apt.postgresql.org), or set LIFEBOAT_PG_BIN to their folder.`);
}

export interface PgServerBinaries {
  dir: string;
  major: number;
  path(program: 'postgres' | 'pg_ctl' | 'initdb'): string;
}

/**
 * The server programs of exactly one major version, to run a backup of that version (a scratch restore,
 * a drill): unlike the client tools, a newer postgres cannot open an older data directory. Looked for in
 * LIFEBOAT_PG_SERVER_BIN (folders, the path delimiter between them), then where the client tools are found.
 */
export async function findPostgresServer(major: number, env: NodeJS.ProcessEnv = process.env): Promise<PgServerBinaries> {
  const dirs = [...(env.LIFEBOAT_PG_SERVER_BIN ?? '').split(delimiter), ...candidateDirs(env)].filter((d) => d && existsSync(join(d, `postgres${exe}`)));
  for (const dir of new Set(dirs)) {
    const banner = await run(join(dir, `postgres${exe}`), ['--version']).then((r) => r.stdout, () => '');
    if (Number(/\(PostgreSQL\)\s+(\d+)/.exec(banner)?.[1]) === major) return { dir, major, path: (program) => join(dir, program + exe) };
  }
  throw new LifeboatError(
    'TOOL_MISSING',
    `This backup is of PostgreSQL ${major}, and no PostgreSQL ${major} server programs (postgres, pg_ctl) were found to run it.`,
    `Install them (Debian/Ubuntu: apt install postgresql-${major}), or set LIFEBOAT_PG_SERVER_BIN to the folder that holds that version's postgres.`,
  );
}
