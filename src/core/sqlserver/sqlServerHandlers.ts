// The SQL Server slice of the contract (see src/shared/sqlServerContract.ts): BACKUP jobs run by the server,
// history from msdb or a folder of backup files, recoverable windows, restore plans and scripts, restore,
// verify and drill jobs (each verification's outcome recorded). Every statement runs on the service's own
// server, connected to master.
import type { Handlers } from '../../shared/contract';
import type { Service } from '../../shared/domain';
import type { sqlServerMethodInputs } from '../../shared/sqlServerContract';
import type { WireError } from '../../shared/errors';
import type { SqlPlanView, SqlVerifiedSet } from '../../shared/sqlServerViews';
import type { CoreDeps } from '../coreDeps';
import { LifeboatError, toWireError } from '../lifeboatError';
import { resolvePassword } from '../secrets/resolvePassword';
import { folderHistory } from './folderHistory';
import { msdbHistory, prepareRestore, requireReplaceConfirmation } from './restorePreparation';
import { runRestoreStatements } from './runRestoreStatements';
import { runSqlBackup, serverFacts } from './runSqlBackup';
import { runSqlDrill } from './runSqlDrill';
import { runSqlVerify } from './runSqlVerify';
import { listSqlDrills } from './sqlDrillRecords';
import { listSqlVerifications, recordSqlVerification } from './sqlVerificationRecords';
import { sqlRecoverableWindow } from './sqlRecoverableWindow';
import { withSqlSession } from './sqlServerSession';
import { sameDatabaseName } from './databaseNameMatch';
import { commandLogEntries, commandLogQuery, type CommandLogRow } from './olaCommandLog';
import { loadMssql } from '../engines/sqlserver/mssqlDriver';

type SqlServerHandlers = Pick<Handlers, keyof typeof sqlServerMethodInputs>;

const KIND_WORD = { full: 'FULL', diff: 'DIFFERENTIAL', log: 'LOG' } as const;

export function sqlServerHandlers(deps: CoreDeps): SqlServerHandlers {
  const { jobs, log } = deps;

  function requireSqlServer(serviceId: string): Service {
    const service = deps.access.requireService(serviceId);
    if (service.engine !== 'sqlserver') {
      throw new LifeboatError('INVALID_INPUT', `${serviceId} is a PostgreSQL service.`, 'These actions are for SQL Server services; PostgreSQL has its own backup and recovery pages.');
    }
    return service;
  }
  const password = (service: Service) => resolvePassword(service, deps.secrets, deps.env);
  const session = async <T>(service: Service, operation: string, work: Parameters<typeof withSqlSession<T>>[2]) =>
    withSqlSession(service.connection, { password: await password(service), operation, database: 'master' }, work);

  async function plan(input: { serviceId: string; database?: string; target: SqlPlanView['plan']['target']; asDatabase: string }): Promise<SqlPlanView> {
    const service = requireSqlServer(input.serviceId);
    const database = input.database ?? service.connection.database;
    return session(service, `Restore plan of ${database}`, (s) => prepareRestore(s, { serviceId: service.id, database, target: input.target, asDatabase: input.asDatabase }));
  }

  return {
    'sqlserver.backup': async ({ serviceId, kind, database, copyOnly }) => {
      const service = requireSqlServer(serviceId);
      const db = database ?? service.connection.database;
      if (!service.policy.sqlServer?.backupDirectory) {
        throw new LifeboatError(
          'CONFIG_INVALID',
          `Service ${serviceId} has no SQL Server backup folder (policy.sqlServer.backupDirectory).`,
          'Set a folder on the database server, or a share the SQL Server service account can write: SQL Server writes the backup file itself, not this workstation.',
        );
      }
      if (kind === 'diff' && copyOnly) throw new LifeboatError('INVALID_INPUT', 'COPY_ONLY applies to FULL and LOG backups; SQL Server ignores it on a DIFFERENTIAL.', 'Take a copy-only FULL backup instead, or a normal DIFFERENTIAL.');
      return jobs.start({
        kind: 'sqlserver.backup',
        title: `${KIND_WORD[kind]}${copyOnly ? ' copy-only' : ''} backup of ${db} on ${serviceId}`,
        serviceId,
        run: async (ctx) => {
          const result = await runSqlBackup(ctx, { service, password: await password(service), database: db, kind, copyOnly });
          await log.write({ level: 'info', event: 'sqlserver.backup', serviceId, detail: result.device });
          return result;
        },
      });
    },

    'sqlserver.commandLog': async ({ serviceId, database, logDatabase, limit }) => {
      const service = requireSqlServer(serviceId);
      const mssql = await loadMssql();
      const rows = await session(service, `Reading ${logDatabase}.dbo.CommandLog`, (s) =>
        s.run<CommandLogRow>(commandLogQuery(logDatabase), { bind: (r) => r.input('database', mssql.NVarChar(128), database ?? null).input('limit', mssql.Int, limit) }),
      ).catch((err: unknown) => {
        // Error 208: no such table, i.e. the Maintenance Solution is not in that database (or logs nowhere).
        if (/Invalid object name|error 208\b/i.test(toWireError(err).message))
          throw new LifeboatError('NOT_FOUND', `There is no dbo.CommandLog in ${logDatabase} on ${serviceId}'s server.`, "Ola Hallengren's Maintenance Solution logs there when installed with CommandLog.sql and run with @LogToTable = 'Y'; name the database it is installed in (--log-database).", { cause: err });
        throw err;
      });
      const entries = commandLogEntries(rows);
      return { serviceId, source: `[${logDatabase}].dbo.CommandLog`, entries: database ? entries.filter((e) => sameDatabaseName(e.databaseName, database)) : entries };
    },

    'sqlserver.history': async ({ serviceId, database, folder }) => {
      const service = requireSqlServer(serviceId);
      if (folder) {
        return session(service, `Reading the backup files in ${folder}`, async (s) => {
          const facts = await serverFacts(s);
          const majorVersion = Number.parseInt((facts.product_version ?? '0').split('.')[0] ?? '0', 10);
          const { sets, warnings } = await folderHistory(s, folder, { majorVersion, utcOffsetMinutes: facts.utc_offset_minutes ?? 0 });
          const filtered = database ? sets.filter((set) => sameDatabaseName(set.databaseName, database)) : sets;
          return { serviceId, source: 'folder' as const, folder, database, sets: filtered, warnings };
        });
      }
      const sets = await session(service, 'Reading the backup history from msdb', (s) => msdbHistory(s, database));
      return { serviceId, source: 'msdb' as const, database, sets, warnings: [] };
    },

    'sqlserver.window': async ({ serviceId, database }) => {
      const service = requireSqlServer(serviceId);
      const db = database ?? service.connection.database;
      const sets = await session(service, `Reading the backup history of ${db}`, (s) => msdbHistory(s, db));
      return { serviceId, databaseName: db, now: new Date().toISOString(), window: sqlRecoverableWindow(sets, db), sets };
    },

    'sqlserver.plan': (input) => plan(input),

    'sqlserver.restoreScript': async (input) => (await plan(input)).script,

    'sqlserver.restore': async ({ confirmReplace, ...input }) => {
      const service = requireSqlServer(input.serviceId);
      const view = await plan(input);
      requireReplaceConfirmation(view, confirmReplace); // refuse now, not in a job
      return jobs.start({
        kind: 'sqlserver.restore',
        title: `Restore of ${view.databaseName} as ${view.asDatabase} on ${service.id}`,
        serviceId: service.id,
        run: async (ctx) => {
          const result = await withSqlSession(service.connection, { password: await password(service), operation: `RESTORE of ${view.databaseName} as ${view.asDatabase}`, database: 'master', signal: ctx.signal }, (s) =>
            runRestoreStatements(ctx, s, view),
          );
          await log.write({ level: view.replaces ? 'warn' : 'info', event: 'sqlserver.restore', serviceId: service.id, detail: `${view.databaseName} -> ${view.asDatabase} (${result.target})` });
          return result;
        },
      });
    },

    'sqlserver.verify': async ({ serviceId, database }) => {
      const service = requireSqlServer(serviceId);
      const db = database ?? service.connection.database;
      return jobs.start({
        kind: 'sqlserver.verify',
        title: `Verify the backups of ${db} on ${serviceId}`,
        serviceId,
        run: async (ctx) => {
          const startedAt = new Date().toISOString();
          const sets: SqlVerifiedSet[] = [];
          const record = async (error?: WireError) => {
            const ok = !error;
            await recordSqlVerification(deps.dataDir, { jobId: ctx.jobId, serviceId, database: db, startedAt, finishedAt: new Date().toISOString(), ok, sets, error });
            await log.write({ level: ok ? 'info' : 'warn', event: 'sqlserver.verify', serviceId, detail: `${db}: ${sets.filter((s) => s.ok).length} of ${sets.length} set(s) verified${error ? `, ${error.code}` : ''}` });
          };
          try {
            const result = await runSqlVerify(ctx, { service, password: await password(service), database: db, onSet: (set) => sets.push(set) });
            await record();
            return result;
          } catch (err) {
            // A cancel proves nothing either way: only verifications that ran to an answer are kept.
            if (!ctx.signal.aborted) await record(toWireError(err));
            throw err;
          }
        },
      });
    },

    'sqlserver.verifications': async ({ serviceId, limit }) => {
      requireSqlServer(serviceId);
      return listSqlVerifications(deps.dataDir, serviceId, limit);
    },

    'sqlserver.drill': async ({ serviceId, database }) => {
      const service = requireSqlServer(serviceId);
      const db = database ?? service.connection.database;
      return jobs.start({
        kind: 'sqlserver.drill',
        title: `Restore drill of ${db} on ${serviceId}`,
        serviceId,
        run: async (ctx) => {
          const drill = await runSqlDrill(ctx, { service, password: await password(service), database: db, dataDir: deps.dataDir });
          await log.write({ level: drill.ok ? 'info' : 'warn', event: 'sqlserver.drill', serviceId, detail: `${db}: RTO ${drill.rtoMs} ms` });
          return drill;
        },
      });
    },

    'sqlserver.drills': async ({ serviceId }) => {
      requireSqlServer(serviceId);
      return listSqlDrills(deps.dataDir, serviceId);
    },
  };
}
