// pg_waldump of exactly the WAL's major version (it reads no other release's pages), and the record filters
// the moment finder gives it: the resource managers that write commits, new relation files and full-page
// images. Heap row changes, most of a busy server's WAL, are read by heapRecordReader.ts instead of printed.
// Before PostgreSQL 15, --rmgr could be given once only: those releases print everything.
import { existsSync } from 'node:fs';
import { listToolSets } from '../engines/postgres/pgTools';
import { LifeboatError } from '../lifeboatError';

export async function findPgWaldump(major: number, env: NodeJS.ProcessEnv): Promise<string> {
  const set = (await listToolSets(env)).find((s) => s.major === major && existsSync(s.path('pg_waldump')));
  if (set) return set.path('pg_waldump');
  throw new LifeboatError(
    'TOOL_MISSING',
    `Reading this service's WAL needs pg_waldump ${major} (it reads only WAL of its own version), and none was found.`,
    `Install the PostgreSQL ${major} server package, which carries pg_waldump (Debian/Ubuntu: apt install postgresql-${major}), or set LIFEBOAT_PG_BIN to its folder.`,
  );
}

export function momentFilters(major: number): string[] {
  return major >= 15 ? ['--rmgr=Transaction', '--rmgr=Storage', '--rmgr=XLOG'] : [];
}
