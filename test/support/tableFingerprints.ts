// Row count and a hash of each user table's ordered contents: two databases hold the same data exactly when
// their fingerprints are equal.
import type { PgCluster } from './pgCluster';

export type Fingerprints = Record<string, { rows: number; md5: string }>;

export async function tableFingerprints(cluster: PgCluster, database: string): Promise<Fingerprints> {
  const tables = await cluster.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') order by 1`,
    [],
    database,
  );
  const out: Fingerprints = {};
  for (const { name } of tables) {
    const [row] = await cluster.query<{ rows: string; md5: string }>(
      `select count(*) as rows, coalesce(md5(string_agg(t::text, E'\\n' order by t::text)), '') as md5 from ${name} t`,
      [],
      database,
    );
    out[name] = { rows: Number(row!.rows), md5: row!.md5 };
  }
  return out;
}
