// Reading what a scratch cluster holds, as a DBA would after a restore: one query on one database over the
// scratch's own loopback connection (trust for its owner, so no password).
import pg from 'pg';
import type { ScratchView } from '../../src/shared/recovery';

export async function scratchQuery<R>(scratch: ScratchView, sql: string, database = 'shop'): Promise<R[]> {
  const client = new pg.Client({ host: scratch.connection.host, port: scratch.connection.port, user: scratch.connection.user, database });
  await client.connect();
  try {
    return (await client.query(sql)).rows as R[];
  } finally {
    await client.end();
  }
}

/** The ids of a table in order: what the tests compare against the commits made before and after a target. */
export async function idsIn(scratch: ScratchView, table = 'items', database = 'shop'): Promise<number[]> {
  return (await scratchQuery<{ id: number }>(scratch, `select id from ${table} order by id`, database)).map((r) => r.id);
}
