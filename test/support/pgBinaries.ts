// Finds the PostgreSQL programs the test clusters run: LIFEBOAT_PG_BIN if set, else the newest
// /usr/lib/postgresql/<major>/bin (Debian's layout), never the unversioned copies that may sit on PATH.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface PgBinaries {
  dir: string;
  /** Major version of the server programs, e.g. 15. */
  major: number;
  /** Absolute path of a program in dir, e.g. path('pg_basebackup'). */
  path(program: string): string;
}

const DEBIAN_ROOT = '/usr/lib/postgresql';
let cached: PgBinaries | undefined;

export function findPgBinaries(): PgBinaries {
  cached ??= locate();
  return cached;
}

function locate(): PgBinaries {
  const override = process.env.LIFEBOAT_PG_BIN;
  if (override) {
    if (!existsSync(join(override, 'postgres')))
      throw new Error(`LIFEBOAT_PG_BIN=${override} has no postgres program in it.`);
    return binariesIn(override, majorOf(override));
  }
  const majors = existsSync(DEBIAN_ROOT)
    ? readdirSync(DEBIAN_ROOT)
        .filter((name) => /^\d+$/.test(name) && existsSync(join(DEBIAN_ROOT, name, 'bin', 'postgres')))
        .map(Number)
        .sort((a, b) => b - a)
    : [];
  const newest = majors[0];
  if (newest === undefined)
    throw new Error(`No PostgreSQL server found under ${DEBIAN_ROOT}/<major>/bin; set LIFEBOAT_PG_BIN.`);
  return binariesIn(join(DEBIAN_ROOT, String(newest), 'bin'), newest);
}

export function binariesIn(dir: string, major: number): PgBinaries {
  return { dir, major, path: (program) => join(dir, program) };
}

/** "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)" -> 15; 9.6 style versions are not supported. */
function majorOf(dir: string): number {
  const banner = execFileSync(join(dir, 'postgres'), ['--version'], { encoding: 'utf8' });
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(banner);
  if (!match) throw new Error(`Cannot read the version of ${dir}/postgres from "${banner.trim()}".`);
  return Number(match[1]);
}
