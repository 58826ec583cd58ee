// How big a backup may get, asked before it starts: object stores size their upload parts from it
// (PutOptions.expectedBytes). Every database's size, all tablespaces included (a physical backup), or one
// database's (a dump). A role that may not measure every database gets undefined, not an undercount: the
// stores then use parts that hold a large object.
import type { Connection } from '../../../shared/domain';
import { withPgClient } from './pgClient';

export async function clusterSize(connection: Connection, password: string | undefined, scope: 'cluster' | 'database'): Promise<number | undefined> {
  const sql = scope === 'cluster' ? 'select sum(pg_database_size(oid))::text as size from pg_database' : 'select pg_database_size(current_database())::text as size';
  try {
    const size = Number(await withPgClient(connection, password, async (c) => (await c.query<{ size: string }>(sql)).rows[0]?.size));
    return Number.isFinite(size) && size > 0 ? size : undefined;
  } catch {
    // Measuring is a courtesy to the upload (pg_database_size needs CONNECT on each database): never a failure.
    return undefined;
  }
}
