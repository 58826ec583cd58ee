// Reads the two catalogs findings are named through. The nearest base backup's: the backup restored to its
// own end in a scratch cluster (the only faithful copy of pg_class as it was: a table dropped since still has
// its name there), read in every database, then removed; kept per backup under state/catalogs/, since a
// backup never changes. The live one: the service's server, in each database its login may connect to.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { Service } from '../../shared/domain';
import { withPgClient } from '../engines/postgres/pgClient';
import type { JobContext } from '../jobs/jobRunner';
import { toWireError } from '../lifeboatError';
import type { BackupManifest } from '../repository/backupManifest';
import type { BackupRepository } from '../repository/backupRepository';
import type { ScratchClusters } from '../scratch/scratchClusters';
import { writeFileAtomic } from '../storage/atomicWrite';
import { restoreToScratch } from '../wal/restoreToScratch';
import { DATABASES_SQL, readDatabaseRelations, type DatabaseCatalog, type RelationCatalog } from './relationCatalog';

export interface BackupCatalogDeps {
  service: Service;
  repo: BackupRepository;
  key: Buffer | undefined;
  scratch: ScratchClusters;
  env: NodeJS.ProcessEnv;
  dataDir: string;
}

export function backupCatalogSource(backup: BackupManifest): string {
  return `the catalog of backup ${backup.id} (ended ${backup.finishedAt})`;
}

function cacheFile(dataDir: string, serviceId: string, backupId: string): string {
  return join(dataDir, 'state', 'catalogs', serviceId, `${backupId}.json`);
}

/** A backup's catalog read before, if any: no restore needed. */
export async function cachedBackupCatalog(dataDir: string, serviceId: string, backupId: string): Promise<RelationCatalog | undefined> {
  try {
    return JSON.parse(await readFile(cacheFile(dataDir, serviceId, backupId), 'utf8')) as RelationCatalog;
  } catch {
    return undefined;
  }
}

export async function readBackupCatalog(ctx: JobContext, deps: BackupCatalogDeps, backup: BackupManifest): Promise<RelationCatalog> {
  const cached = await cachedBackupCatalog(deps.dataDir, deps.service.id, backup.id);
  if (cached) return cached;
  const { record } = await restoreToScratch(
    { ...ctx, progress: (p) => ctx.progress({ ...p, phase: `reading the catalog of backup ${backup.id}: ${p.phase}` }) },
    { service: deps.service, repo: deps.repo, key: deps.key, scratch: deps.scratch, purpose: 'restore', env: deps.env },
    { kind: 'immediate', backupId: backup.id },
  );
  try {
    const connect = async <T>(database: string, work: (c: pg.Client) => Promise<T>): Promise<T> => {
      const client = new pg.Client({ host: record.dir, port: record.port, user: record.superuser ?? deps.service.connection.user, database });
      client.on('error', () => {});
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.end().catch(() => {});
      }
    };
    const rows = await connect('postgres', async (c) => (await c.query(DATABASES_SQL)).rows as Array<{ oid: string; datname: string; datallowconn: boolean }>).catch(() =>
      connect('template1', async (c) => (await c.query(DATABASES_SQL)).rows as Array<{ oid: string; datname: string; datallowconn: boolean }>),
    );
    const databases: DatabaseCatalog[] = [];
    for (const d of rows) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (!d.datallowconn) {
        databases.push({ oid: Number(d.oid), name: d.datname, relations: [], error: 'the database does not allow connections' });
        continue;
      }
      databases.push(await connect(d.datname, async (c) => ({ oid: Number(d.oid), name: d.datname, relations: await readDatabaseRelations(c) })).catch((err: unknown) => ({ oid: Number(d.oid), name: d.datname, relations: [], error: toWireError(err).message })));
    }
    const catalog: RelationCatalog = { source: backupCatalogSource(backup), databases };
    await writeFileAtomic(cacheFile(deps.dataDir, deps.service.id, backup.id), JSON.stringify(catalog) + '\n', 0o600);
    return catalog;
  } finally {
    await deps.scratch.remove(record.id);
  }
}

/** The live catalog of the databases named (by OID), as far as the service's login may read it; all when none are named. */
export async function readLiveCatalog(service: Service, password: string | undefined, only?: Set<number>): Promise<RelationCatalog> {
  const rows = await withPgClient(service.connection, password, async (c) => (await c.query(DATABASES_SQL)).rows as Array<{ oid: string; datname: string; datallowconn: boolean }>);
  const databases: DatabaseCatalog[] = [];
  for (const d of rows) {
    const oid = Number(d.oid);
    if (only && !only.has(oid)) {
      databases.push({ oid, name: d.datname, relations: [] });
      continue;
    }
    if (!d.datallowconn) {
      databases.push({ oid, name: d.datname, relations: [], error: 'the database does not allow connections' });
      continue;
    }
    databases.push(
      await withPgClient(service.connection, password, async (c) => ({ oid, name: d.datname, relations: await readDatabaseRelations(c) }), { database: d.datname }).catch((err: unknown) => ({
        oid,
        name: d.datname,
        relations: [],
        error: `${service.connection.user} could not read it: ${toWireError(err).message}`,
      })),
    );
  }
  return { source: 'the live catalog', databases };
}
