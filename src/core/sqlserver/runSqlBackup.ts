// A BACKUP job: learn the server's edition (COMPRESSION or why not) and the database's recovery model (a LOG
// backup of a SIMPLE database is refused before anything is sent), then run BACKUP with STATS and turn the
// server's "N percent processed." messages into job progress.
import { quoteName } from './tsqlQuote';
import { loadMssql } from '../engines/sqlserver/mssqlDriver';
import type { Service } from '../../shared/domain';
import type { SqlBackupKind, SqlBackupResult } from '../../shared/sqlServerViews';
import type { JobContext } from '../jobs/jobRunner';
import { LifeboatError } from '../lifeboatError';
import { backupStatement, compressionSupport, requireDiskBackups, statsPercent, type ServerEdition } from './backupStatement';
import { withSqlSession, type SqlSession } from './sqlServerSession';
import { DATABASE_FACTS_QUERY, type DatabaseFactsRow, SERVER_FACTS_QUERY, type ServerFactsRow } from './sqlServerQueries';

export interface SqlBackupOptions {
  service: Service;
  password: string | undefined;
  database: string;
  kind: SqlBackupKind;
  copyOnly: boolean;
  now?: () => Date;
}

const KIND_WORD: Record<SqlBackupKind, string> = { full: 'FULL', diff: 'DIFFERENTIAL', log: 'LOG' };

export async function runSqlBackup(ctx: JobContext, options: SqlBackupOptions): Promise<SqlBackupResult> {
  const { service, database, kind } = options;
  const operation = `${KIND_WORD[kind]} backup of ${database}`;
  ctx.progress({ phase: 'connecting' });
  return withSqlSession(service.connection, { password: options.password, operation, database: 'master', signal: ctx.signal }, async (session) => {
    const server = await serverFacts(session);
    requireDiskBackups(edition(server));
    const compression = compressionSupport(edition(server));
    await requireBackupableDatabase(session, database, kind, service.id);
    const statement = backupStatement({ serviceId: service.id, database, kind, copyOnly: options.copyOnly, policy: service.policy.sqlServer, compress: compression.allowed, at: (options.now ?? (() => new Date()))() });
    const phase = `${KIND_WORD[kind]} backup of ${database} to ${statement.device}`;
    ctx.progress({ phase, done: 0, total: 100, unit: 'percent' });
    const said: string[] = [];
    await session.run(statement.sql, {
      long: true,
      onInfo: (m) => {
        const percent = statsPercent(m.message);
        if (percent !== undefined) ctx.progress({ phase, done: percent, total: 100, unit: 'percent' });
        else said.push(m.message);
      },
    });
    return {
      serviceId: service.id,
      database,
      kind,
      device: statement.device,
      copyOnly: options.copyOnly,
      compressed: compression.allowed,
      compressionNote: compression.why,
      encrypted: statement.encrypted,
      statement: statement.sql,
      messages: said,
    };
  });
}

export async function serverFacts(session: SqlSession): Promise<ServerFactsRow> {
  const row = (await session.run<ServerFactsRow>(SERVER_FACTS_QUERY))[0];
  if (!row) throw new LifeboatError('INTERNAL', 'SQL Server returned no row for SERVERPROPERTY.', 'This is a bug in Lifeboat; the log file has the details.');
  return row;
}

export function edition(row: ServerFactsRow): ServerEdition {
  return { productVersion: row.product_version ?? '', edition: row.edition ?? '', engineEdition: row.engine_edition ?? 0 };
}

export async function databaseFacts(session: SqlSession, database: string): Promise<DatabaseFactsRow | undefined> {
  // The bind callback is synchronous, so the driver (for its NVarChar) is loaded before it runs.
  const mssql = await loadMssql();
  return (await session.run<DatabaseFactsRow>(DATABASE_FACTS_QUERY, { bind: (r) => r.input('name', mssql.NVarChar(128), database) }))[0];
}

async function requireBackupableDatabase(session: SqlSession, database: string, kind: SqlBackupKind, serviceId: string): Promise<void> {
  const facts = await databaseFacts(session, database);
  if (!facts) throw new LifeboatError('NOT_FOUND', `Database '${database}' does not exist on ${serviceId}'s server.`, 'Check the name (SELECT name FROM sys.databases lists them).');
  if (facts.state_desc !== 'ONLINE') throw new LifeboatError('CONFLICT', `Database '${database}' is ${facts.state_desc}, so it cannot be backed up.`, 'Back up the primary copy of the database, or bring this one ONLINE.');
  if (kind === 'log' && facts.recovery_model_desc === 'SIMPLE') {
    throw new LifeboatError(
      'CONFLICT',
      `Database '${database}' uses the SIMPLE recovery model, which keeps no log to back up: a LOG backup is impossible (SQL Server would refuse it with error 4208).`,
      `Take FULL or DIFFERENTIAL backups of it; for point-in-time restores switch it to FULL recovery (ALTER DATABASE ${quoteName(database)} SET RECOVERY FULL;) and take a FULL backup to start the log chain.`,
    );
  }
}
