// The catalog queries a PostgreSQL connection test sends, and the facts read from their rows.
import type pg from 'pg';

/** One row about the server and the connected role. Works on PostgreSQL 10 and later. */
export const SERVER_FACTS_SQL = `select version() as version_string,
       current_setting('server_version') as server_version,
       current_setting('server_version_num')::int as server_version_num,
       current_user as role_name,
       current_database() as database_name,
       r.rolsuper as is_superuser,
       r.rolreplication as has_replication,
       r.rolbypassrls as bypasses_rls,
       has_database_privilege(current_database(), 'CONNECT') as can_connect,
       coalesce((select pg_has_role(current_user, g.oid, 'USAGE')
                   from pg_roles g where g.rolname = 'pg_read_all_data'), false) as reads_all_data,
       pg_is_in_recovery() as in_recovery,
       current_setting('wal_level') as wal_level,
       current_setting('max_wal_senders')::int as max_wal_senders
  from pg_roles r
 where r.rolname = current_user`;

/**
 * What pg_dump would have to read in this database: tables, partitions, materialized views and sequences
 * outside the system schemas (and other sessions' temporary schemas). A relation counts as unreadable
 * without SELECT on it or USAGE on its schema; pg_dump runs with row_security off, so a table with row-level
 * security makes it fail for a role that neither owns the table nor has BYPASSRLS.
 */
export const TABLE_ACCESS_SQL = `select count(*)::int as relations,
       count(*) filter (where not (has_schema_privilege(n.oid, 'USAGE')
                                   and has_table_privilege(c.oid, 'SELECT')))::int as unreadable,
       count(*) filter (where c.relrowsecurity and not pg_has_role(c.relowner, 'USAGE'))::int as row_security
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
 where c.relkind in ('r', 'p', 'm', 'S')
   and n.nspname not in ('pg_catalog', 'information_schema')
   and n.nspname !~ '^pg_(toast_)?temp_'`;

export interface ServerFacts {
  versionString: string;
  /** server_version as the server reports it, e.g. "15.18 (Debian 15.18-0+deb12u1)". */
  serverVersion: string;
  serverVersionNum: number;
  role: string;
  database: string;
  isSuperuser: boolean;
  hasReplication: boolean;
  bypassesRls: boolean;
  canConnect: boolean;
  readsAllData: boolean;
  inRecovery: boolean;
  walLevel: string;
  maxWalSenders: number;
}

export interface TableAccess {
  relations: number;
  unreadable: number;
  rowSecurity: number;
}

interface ServerFactsRow {
  version_string: string;
  server_version: string;
  server_version_num: number;
  role_name: string;
  database_name: string;
  is_superuser: boolean;
  has_replication: boolean;
  bypasses_rls: boolean;
  can_connect: boolean;
  reads_all_data: boolean;
  in_recovery: boolean;
  wal_level: string;
  max_wal_senders: number;
}

export async function readServerFacts(client: pg.Client): Promise<ServerFacts> {
  const { rows } = await client.query<ServerFactsRow>(SERVER_FACTS_SQL);
  const row = rows[0];
  // pg_roles always lists current_user; an empty answer means something between us and the server lies.
  if (!row) throw new Error('The server returned no row for the connected role in pg_roles.');
  return {
    versionString: row.version_string,
    serverVersion: row.server_version,
    serverVersionNum: row.server_version_num,
    role: row.role_name,
    database: row.database_name,
    isSuperuser: row.is_superuser,
    hasReplication: row.has_replication,
    bypassesRls: row.bypasses_rls,
    canConnect: row.can_connect,
    readsAllData: row.reads_all_data,
    inRecovery: row.in_recovery,
    walLevel: row.wal_level,
    maxWalSenders: row.max_wal_senders,
  };
}

export async function readTableAccess(client: pg.Client): Promise<TableAccess> {
  const { rows } = await client.query<{ relations: number; unreadable: number; row_security: number }>(TABLE_ACCESS_SQL);
  const row = rows[0] ?? { relations: 0, unreadable: 0, row_security: 0 };
  return { relations: row.relations, unreadable: row.unreadable, rowSecurity: row.row_security };
}
