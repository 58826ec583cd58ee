// The "find the moment" slice of the contract: a job that scans a service's archived WAL (PostgreSQL) or log
// backups (SQL Server) of a time range for the transactions that dropped, truncated or mass-changed a table,
// and the tables a DBA can pick from.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Handlers } from '../../shared/contract';
import type { MomentTableView } from '../../shared/findMoment';
import { findMomentByEngineError } from '../../shared/findMomentByEngine';
import { backupEngineOf } from '../../shared/domain';
import type { CoreDeps } from '../coreDeps';
import { LifeboatError } from '../lifeboatError';
import { resolvePassword } from '../secrets/resolvePassword';
import { cachedBackupCatalog, readLiveCatalog } from './catalogReaders';
import { findPostgresMoments, planPostgresScan } from './postgresMoments';
import { isSystemRelation, type RelationCatalog } from './relationCatalog';
import { findSqlServerMoments } from './sqlServerMoments';

export type FindMomentDeps = Pick<CoreDeps, 'access' | 'secrets' | 'jobs' | 'scratch' | 'log' | 'env' | 'dataDir'>;

const TABLE_KINDS = new Set(['r', 'p', 'm']);

function tablesOf(catalog: RelationCatalog): Array<{ database: string; name: string }> {
  return catalog.databases.flatMap((d) => d.relations.filter((r) => TABLE_KINDS.has(r.kind) && !isSystemRelation(r)).map((r) => ({ database: d.name, name: `${r.schema}.${r.name}` })));
}

export function findMomentHandlers(deps: FindMomentDeps): Pick<Handlers, 'findMoment.start' | 'findMoment.tables'> {
  const { access, jobs, log } = deps;
  return {
    'findMoment.start': async ({ serviceId, table, from, to, minRows }) => {
      const service = access.requireService(serviceId);
      const title = `Find the moment: ${table ?? 'any table'} in ${serviceId}`;
      if (service.engine === 'sqlserver') {
        return jobs.start({
          kind: 'find.moment',
          title,
          serviceId,
          run: async (ctx) => {
            const view = await findSqlServerMoments(ctx, { service, secrets: deps.secrets, env: deps.env }, { table, from, to, minRows });
            await log.write({ level: 'info', event: 'find.moment', serviceId, detail: `${view.findings.length} finding(s) in ${view.scanned.segments} logs, ${view.from} .. ${view.to}` });
            return view;
          },
        });
      }
      const engine = backupEngineOf(service);
      if (engine !== 'lifeboat') {
        const e = findMomentByEngineError(serviceId, engine, engine === 'pgbackrest' ? service.policy.pgbackrest!.stanza : service.policy.barman!.server);
        throw new LifeboatError(e.code, e.message, e.hint);
      }
      const repo = await access.repositoryFor(service);
      await planPostgresScan(repo, serviceId, { table, from, to, minRows }); // refuse now, not in a job
      const key = await access.keyOf(repo);
      return jobs.start({
        kind: 'find.moment',
        title,
        serviceId,
        run: async (ctx) => {
          const password = await resolvePassword(service, deps.secrets, deps.env);
          const view = await findPostgresMoments(ctx, { service, repo, key, scratch: deps.scratch, password, env: deps.env, dataDir: deps.dataDir }, { table, from, to, minRows });
          await log.write({ level: 'info', event: 'find.moment', serviceId, detail: `${view.findings.length} finding(s) in ${view.scanned.segments} segments, ${view.from} .. ${view.to}` });
          return view;
        },
      });
    },

    'findMoment.tables': async ({ serviceId }) => {
      const service = access.requirePostgres(serviceId);
      const seen = new Map<string, MomentTableView>();
      const live = await readLiveCatalog(service, await resolvePassword(service, deps.secrets, deps.env)).catch(() => undefined);
      if (live) for (const t of tablesOf(live)) seen.set(`${t.database}/${t.name}`, { ...t, live: true, source: 'the live catalog' });
      // Backups whose catalog a search has read: their tables that are gone now are the dropped ones.
      const dir = join(deps.dataDir, 'state', 'catalogs', serviceId);
      for (const file of (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort().reverse()) {
        const catalog = await cachedBackupCatalog(deps.dataDir, serviceId, file.slice(0, -5));
        if (!catalog) continue;
        for (const t of tablesOf(catalog)) if (!seen.has(`${t.database}/${t.name}`)) seen.set(`${t.database}/${t.name}`, { ...t, live: false, source: catalog.source });
      }
      return [...seen.values()].sort((a, b) => a.database.localeCompare(b.database) || a.name.localeCompare(b.name));
    },
  };
}
