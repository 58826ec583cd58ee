// What a catalog says of each relation's files: relfilenode → schema.table (an index or TOAST table under the
// table it belongs to), read from every database of a server with one query each, and looked up by the
// tablespace/database/relfilenode triple that WAL records carry.
import type pg from 'pg';
import { relFileKey, type RelFile } from './waldumpLine';

/** PostgreSQL's first OID for user objects: below it, the system catalogs (FirstNormalObjectId). */
export const FIRST_USER_OID = 16384;

export interface CatalogRelation {
  oid: number;
  filenode: number;
  /** The tablespace of its files, the database's default one resolved (reltablespace 0). */
  spc: number;
  schema: string;
  name: string;
  /** relkind: r table, p partitioned, m matview, t TOAST, i/I index, S sequence... */
  kind: string;
  /** For an index or a TOAST table: the table it belongs to. */
  owner?: { oid: number; schema: string; name: string };
}

export interface DatabaseCatalog {
  oid: number;
  name: string;
  relations: CatalogRelation[];
  /** Why this database's relations could not be read (no access, not connectable...). */
  error?: string;
}

export interface RelationCatalog {
  /** Where it was read, for the evidence: "the catalog of backup X (ended ...)", "the live catalog". */
  source: string;
  databases: DatabaseCatalog[];
}

/**
 * pg_relation_filenode() also answers for mapped catalogs (relfilenode 0 in pg_class). The owner of an index is
 * its table; of a TOAST table (and of a TOAST table's index) the table whose reltoastrelid it is.
 */
const RELATIONS_SQL = `
with rel as (
  select c.oid, c.relname, c.relnamespace, c.relkind, c.reltablespace, coalesce(i.indrelid, c.oid) as heap
    from pg_class c
    left join pg_index i on i.indexrelid = c.oid
   where pg_relation_filenode(c.oid) is not null
)
select r.oid::int8 as oid, pg_relation_filenode(r.oid)::int8 as filenode,
       case when r.reltablespace = 0 then d.dattablespace else r.reltablespace end::int8 as spc,
       n.nspname as schema, r.relname as name, r.relkind::text as kind,
       o.oid::int8 as owner_oid, onsp.nspname as owner_schema, o.relname as owner_name
  from rel r
  join pg_namespace n on n.oid = r.relnamespace
  join pg_database d on d.datname = current_database()
  left join pg_class o on o.oid = coalesce((select t.oid from pg_class t where t.reltoastrelid = r.heap limit 1), r.heap) and o.oid <> r.oid
  left join pg_namespace onsp on onsp.oid = o.relnamespace`;

export async function readDatabaseRelations(client: pg.Client): Promise<CatalogRelation[]> {
  const rows = (await client.query(RELATIONS_SQL)).rows as Array<Record<string, string | null>>;
  return rows.map((r) => ({
    oid: Number(r.oid),
    filenode: Number(r.filenode),
    spc: Number(r.spc),
    schema: r.schema!,
    name: r.name!,
    kind: r.kind!,
    owner: r.owner_oid ? { oid: Number(r.owner_oid), schema: r.owner_schema!, name: r.owner_name! } : undefined,
  }));
}

export const DATABASES_SQL = `select oid::int8 as oid, datname, datallowconn from pg_database where not datistemplate or datname = 'template1' order by oid`;

export interface ResolvedRelation {
  relation: CatalogRelation;
  database: DatabaseCatalog;
  catalog: RelationCatalog;
}

/** Looks files up in catalogs, in the order given (the backup's first: a dropped table still has its name there). */
export class CatalogIndex {
  private readonly byFile = new Map<string, ResolvedRelation[]>();
  private readonly byOid = new Map<string, ResolvedRelation[]>();

  constructor(readonly catalogs: RelationCatalog[]) {
    for (const catalog of catalogs)
      for (const database of catalog.databases)
        for (const relation of database.relations) {
          const entry = { relation, database, catalog };
          push(this.byFile, relFileKey({ spc: relation.spc, db: database.oid, rel: relation.filenode }), entry);
          push(this.byOid, `${database.oid}/${relation.oid}`, entry);
        }
  }

  resolve(file: RelFile): ResolvedRelation | undefined {
    return this.byFile.get(relFileKey(file))?.[0];
  }

  /** The relation with this OID in one catalog (e.g. is the table still there in the live catalog?). */
  byOidIn(catalog: RelationCatalog | undefined, db: number, oid: number): ResolvedRelation | undefined {
    return this.byOid.get(`${db}/${oid}`)?.find((e) => e.catalog === catalog);
  }

  anyByOid(db: number, oid: number): ResolvedRelation | undefined {
    return this.byOid.get(`${db}/${oid}`)?.[0];
  }

  databaseName(db: number): string | undefined {
    for (const c of this.catalogs) {
      const d = c.databases.find((x) => x.oid === db);
      if (d) return d.name;
    }
    return undefined;
  }

  /** Why a database's relations are not known, when a catalog could not read them. */
  databaseErrors(db: number): string[] {
    return this.catalogs.flatMap((c) => c.databases.filter((d) => d.oid === db && d.error).map((d) => `${c.source}: ${d.error}`));
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The table a relation's rows belong to: itself, or the table of an index or TOAST table. */
export function owningTable(r: CatalogRelation): { oid: number; schema: string; name: string } {
  return r.owner ?? { oid: r.oid, schema: r.schema, name: r.name };
}

export function isSystemRelation(r: CatalogRelation): boolean {
  const table = owningTable(r);
  return table.oid < FIRST_USER_OID || table.schema === 'pg_catalog' || table.schema === 'information_schema';
}
