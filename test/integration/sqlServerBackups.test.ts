// SQL Server backups as jobs, through mssql against the TDS test double: the exact BACKUP statement per
// edition and policy, STATS progress as job progress, cancel, and the errors a DBA meets first.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/jobs';
import type { SqlBackupResult } from '../../src/shared/sqlServerViews';
import {
  backupRule,
  databaseFactsRule,
  EXPRESS_2019,
  LOG_BACKUP_IN_SIMPLE,
  serverFactsRule,
  STANDARD_2008,
  type DatabaseFixture,
  type ServerFactsFixture,
} from '../support/tds/sqlServerBackupFixtures';
import { startSqlServerTestCore, type SqlServerTestCore } from '../support/tds/sqlServerTestCore';
import { startTdsTestDouble, type TdsRule, type TdsTestDouble } from '../support/tds/tdsTestDouble';

const DATABASES: Record<string, DatabaseFixture> = { orders: { recovery: 'FULL' }, scratchpad: { recovery: 'SIMPLE' } };

function rules(server: ServerFactsFixture = {}, extra: TdsRule[] = [], backup: Parameters<typeof backupRule>[0] = {}): TdsRule[] {
  return [...extra, serverFactsRule(server), databaseFactsRule(DATABASES), backupRule({ deniedTo: ['orders_app'], ...backup })];
}

let double: TdsTestDouble;
let t: SqlServerTestCore;

beforeAll(async () => {
  double = await startTdsTestDouble({
    logins: [
      { user: 'sa', password: 'Str0ng!Passw0rd' },
      { user: 'orders_app', password: 'App!pass1' },
    ],
    databases: ['orders', 'scratchpad'],
    rules: rules(),
  });
  t = await startSqlServerTestCore(double, [
    { id: 'orders-prod', user: 'sa', password: 'Str0ng!Passw0rd' },
    { id: 'orders-app', user: 'orders_app', password: 'App!pass1' },
    { id: 'orders-typo', user: 'sa', password: 'wrong-password' },
    { id: 'orders-enc', user: 'sa', password: 'Str0ng!Passw0rd', policy: { backupDirectory: '/var/opt/mssql/backup', encryptionCertificate: 'Lifeboat]Cert', encryptionAlgorithm: 'AES_256' } },
    { id: 'orders-nofolder', user: 'sa', password: 'Str0ng!Passw0rd', policy: {} },
  ]);
});

afterAll(async () => {
  await t?.close();
  await double?.stop();
});

afterEach(() => {
  double.setRules(rules());
  double.clearRecords();
});

/** Starts a backup and collects every job update until it ends. */
async function backup(input: { serviceId: string; kind: 'full' | 'diff' | 'log'; copyOnly?: boolean; database?: string }): Promise<{ job: Job; updates: Job[] }> {
  const updates: Job[] = [];
  let id = '';
  const unsubscribe = t.core.events.subscribe((name, payload) => {
    if (name === 'job.changed' && (payload as Job).id === id) updates.push(payload as Job);
  });
  try {
    const started = await t.call('sqlserver.backup', input);
    id = started.id;
    return { job: await t.waitForJob(started), updates };
  } finally {
    unsubscribe();
  }
}

const backupStatements = () => double.statements().filter((s) => s.sql.startsWith('BACKUP'));

describe('SQL Server backups: what the server is asked to do', () => {
  it('takes a FULL backup WITH CHECKSUM, COMPRESSION and STATS on Developer edition, into the policy folder on the server', async () => {
    const { job } = await backup({ serviceId: 'orders-prod', kind: 'full' });
    expect(job.state).toBe('succeeded');
    const result = job.result as SqlBackupResult;
    const [statement] = backupStatements();
    expect(statement?.sql).toMatch(/^BACKUP DATABASE \[orders\] TO DISK = N'D:\\SQLBackups\\orders\\[^'\\]+' WITH CHECKSUM, COMPRESSION, STATS = 10;$/);
    expect(statement?.sql).toBe(result.statement);
    expect(result.device).toMatch(/^D:\\SQLBackups\\orders\\/);
    const fileName = result.device.split('\\').at(-1)!;
    expect(fileName).toContain('orders-prod');
    expect(fileName).toContain('FULL');
    expect(result).toMatchObject({ serviceId: 'orders-prod', database: 'orders', kind: 'full', compressed: true, copyOnly: false, encrypted: false });
    expect(result.compressionNote).toBeUndefined();
    expect(result.messages).toContain('BACKUP DATABASE successfully processed 362 pages in 0.051 seconds (55.399 MB/sec).');
  });

  it('asks for the edition and the recovery model first, connected to master as the service login', async () => {
    await backup({ serviceId: 'orders-prod', kind: 'full' });
    const statements = double.statements();
    expect(statements.map((s) => s.answeredBy)).toEqual(['server facts', 'database facts', 'BACKUP']);
    expect(statements[1]?.params).toEqual({ name: 'orders' });
    expect(statements.every((s) => s.user === 'sa' && s.database === 'master')).toBe(true);
    expect(double.unmatched()).toEqual([]);
  });

  it('leaves COMPRESSION out on Express edition and says why', async () => {
    double.setRules(rules({ edition: EXPRESS_2019 }));
    const { job } = await backup({ serviceId: 'orders-prod', kind: 'full' });
    const result = job.result as SqlBackupResult;
    expect(backupStatements()[0]?.sql).toMatch(/ WITH CHECKSUM, STATS = 10;$/);
    expect(result.compressed).toBe(false);
    expect(result.compressionNote).toBe('Express Edition (64-bit) (Express) cannot compress backups, so the backup is written uncompressed.');
  });

  it('leaves COMPRESSION out on Standard edition before 2008 R2', async () => {
    double.setRules(rules({ edition: STANDARD_2008 }));
    const { job } = await backup({ serviceId: 'orders-prod', kind: 'full' });
    expect(backupStatements()[0]?.sql).not.toContain('COMPRESSION');
    expect((job.result as SqlBackupResult).compressionNote).toMatch(/Standard edition compresses backups only from SQL Server 2008 R2/);
  });

  it('writes a DIFFERENTIAL with the server certificate named by the policy, on a Linux path', async () => {
    const { job } = await backup({ serviceId: 'orders-enc', kind: 'diff' });
    expect(job.state).toBe('succeeded');
    expect(backupStatements()[0]?.sql).toMatch(
      /^BACKUP DATABASE \[orders\] TO DISK = N'\/var\/opt\/mssql\/backup\/[^'/]+' WITH DIFFERENTIAL, CHECKSUM, COMPRESSION, ENCRYPTION \(ALGORITHM = AES_256, SERVER CERTIFICATE = \[Lifeboat\]\]Cert\]\), STATS = 10;$/,
    );
    expect((job.result as SqlBackupResult).encrypted).toBe(true);
  });

  it('takes a copy-only LOG backup of a database in FULL recovery', async () => {
    const { job } = await backup({ serviceId: 'orders-prod', kind: 'log', copyOnly: true });
    expect(job.state).toBe('succeeded');
    const sql = backupStatements()[0]!.sql;
    expect(sql).toMatch(/^BACKUP LOG \[orders\] TO DISK = N'D:\\SQLBackups\\orders\\[^']*LOG[^']*' WITH CHECKSUM, COMPRESSION, COPY_ONLY, STATS = 10;$/);
  });
});

describe('SQL Server backups: progress and cancel', () => {
  it("turns the server's 'N percent processed.' messages into job progress", async () => {
    double.setRules(rules({}, [], { intervalMs: 250 }));
    const { job, updates } = await backup({ serviceId: 'orders-prod', kind: 'full' });
    expect(job.state).toBe('succeeded');
    const percents = updates.filter((u) => u.state === 'running' && u.progress.unit === 'percent').map((u) => u.progress.done!);
    expect(new Set(percents.filter((p) => p > 0)).size).toBeGreaterThanOrEqual(3);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    const last = updates.filter((u) => u.state === 'running').at(-1)!;
    expect(last.progress).toMatchObject({ total: 100, unit: 'percent' });
    expect(last.progress.phase).toMatch(/^FULL backup of orders to D:\\SQLBackups\\orders\\/);
  });

  it('cancels a running backup with an attention, and the job says where the server was', async () => {
    double.setRules(rules({}, [], { intervalMs: 400 }));
    const started = await t.call('sqlserver.backup', { serviceId: 'orders-prod', kind: 'full' });
    await new Promise<void>((resolve) => {
      const unsubscribe = t.core.events.subscribe((name, payload) => {
        const j = payload as Job;
        if (name === 'job.changed' && j.id === started.id && (j.progress.done ?? 0) >= 20) {
          unsubscribe();
          resolve();
        }
      });
    });
    await t.call('jobs.cancel', { id: started.id });
    const job = await t.waitForJob(started);
    expect(job.state).toBe('cancelled');
    expect(job.error?.code).toBe('CANCELLED');
    expect(job.error?.message).toMatch(/^FULL backup of orders was cancelled\. SQL Server acknowledged the cancel after "\d+ percent processed\."\.$/);
    const request = backupStatements()[0]!;
    expect(request.cancelled).toBe(true);
    expect(double.connections.reduce((n, c) => n + c.attentions, 0)).toBe(1);
  });
});

describe('SQL Server backups: the errors a DBA meets first', () => {
  it('reports a wrong password as AUTH_FAILED', async () => {
    const { job } = await backup({ serviceId: 'orders-typo', kind: 'full' });
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'AUTH_FAILED' });
    expect(job.error?.message).toContain("rejected the login 'sa'");
    expect(JSON.stringify(job)).not.toContain('wrong-password');
  });

  it('reports a login without backup rights as PERMISSION_DENIED, with the grant that fixes it', async () => {
    const { job } = await backup({ serviceId: 'orders-app', kind: 'full' });
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('PERMISSION_DENIED');
    expect(job.error?.message).toBe(`FULL backup of orders failed on ${double.host}:${double.port}: BACKUP DATABASE permission denied in database 'orders'. (error 262)`);
    expect(job.error?.hint).toContain('ALTER ROLE db_backupoperator ADD MEMBER [orders_app];');
  });

  it('refuses a LOG backup of a database in SIMPLE recovery before sending it', async () => {
    const { job } = await backup({ serviceId: 'orders-prod', kind: 'log', database: 'scratchpad' });
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('CONFLICT');
    expect(job.error?.message).toBe(
      "Database 'scratchpad' uses the SIMPLE recovery model, which keeps no log to back up: a LOG backup is impossible (SQL Server would refuse it with error 4208).",
    );
    expect(job.error?.hint).toContain('ALTER DATABASE [scratchpad] SET RECOVERY FULL;');
    expect(backupStatements()).toEqual([]);
  });

  it("classifies the server's own error 4208 the same way, if the recovery model changed in between", async () => {
    double.setRules(rules({}, [{ name: 'BACKUP LOG in SIMPLE', match: /^BACKUP LOG /, respond: LOG_BACKUP_IN_SIMPLE }]));
    const { job } = await backup({ serviceId: 'orders-prod', kind: 'log' });
    expect(job.error?.code).toBe('CONFLICT');
    expect(job.error?.message).toMatch(/BACKUP LOG is not allowed while the recovery model is SIMPLE.*\(error 4208\)$/);
  });

  it('refuses a service without a backup folder, before any job starts', async () => {
    const error = await t.failure('sqlserver.backup', { serviceId: 'orders-nofolder', kind: 'full' });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.hint).toContain('SQL Server writes the backup file itself');
  });

  it('refuses COPY_ONLY on a differential', async () => {
    const error = await t.failure('sqlserver.backup', { serviceId: 'orders-prod', kind: 'diff', copyOnly: true });
    expect(error.code).toBe('INVALID_INPUT');
  });
});
