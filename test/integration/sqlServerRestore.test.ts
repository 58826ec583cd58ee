// SQL Server history, restore plans, restores, verification and drills through the contract, against the TDS
// test double answering with a documented msdb history (17-digit LSNs, server at UTC+1).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatTime } from '../../src/core/formatFacts';
import type { DrillView } from '../../src/shared/recovery';
import type { SqlRestoreResult } from '../../src/shared/sqlServerViews';
import { folderFilesRule, headerOnlyRule, msdbHistoryRule } from '../support/tds/msdbHistoryFixtures';
import { databaseFactsRule, fileListRule, restoreRule, serverFactsRule, type DatabaseFixture } from '../support/tds/sqlServerBackupFixtures';
import { startSqlServerTestCore, type SqlServerTestCore } from '../support/tds/sqlServerTestCore';
import { resultSet, sqlError, startTdsTestDouble, statsProgress, type TdsRule, type TdsTestDouble } from '../support/tds/tdsTestDouble';
import { until } from '../support/until';

let databases: Record<string, DatabaseFixture>;

const FILES = [
  { LogicalName: 'orders', PhysicalName: 'D:\\MSSQL\\Data\\orders.mdf', Type: 'D' as const, FileGroupName: 'PRIMARY', Size: 8388608 },
  { LogicalName: 'orders_log', PhysicalName: 'L:\\MSSQL\\Log\\orders_log.ldf', Type: 'L' as const, FileGroupName: null, Size: 8388608 },
];

function rules(extra: TdsRule[] = []): TdsRule[] {
  return [
    ...extra,
    serverFactsRule({ utcOffsetMinutes: 60 }),
    databaseFactsRule(databases),
    msdbHistoryRule(),
    fileListRule(FILES),
    restoreRule({
      onRestore: (sql) => {
        const name = /^RESTORE \w+ \[((?:[^\]]|\]\])+)\]/.exec(sql)![1]!.replace(/\]\]/g, ']');
        databases[name] = { recovery: 'FULL', state: /[\s,]RECOVERY\b/.test(sql) ? 'ONLINE' : 'RESTORING' };
      },
    }),
    { name: 'VERIFYONLY', match: /^RESTORE VERIFYONLY /, respond: [] },
    { name: 'DBCC CHECKDB', match: /^DBCC CHECKDB /, respond: [] },
    {
      name: 'DROP DATABASE',
      match: /^IF DB_ID\(N'[^']+'\) IS NOT NULL DROP DATABASE /,
      respond: (sql) => {
        delete databases[/DB_ID\(N'([^']+)'\)/.exec(sql)![1]!];
        return [];
      },
    },
  ];
}

let double: TdsTestDouble;
let t: SqlServerTestCore;

beforeAll(async () => {
  databases = { orders: { recovery: 'FULL' } };
  double = await startTdsTestDouble({ logins: [{ user: 'sa', password: 'Str0ng!Passw0rd' }], databases: ['orders'], rules: rules() });
  t = await startSqlServerTestCore(double, [{ id: 'orders-prod', user: 'sa', password: 'Str0ng!Passw0rd' }]);
});

afterAll(async () => {
  await t?.close();
  await double?.stop();
});

afterEach(() => {
  databases = { orders: { recovery: 'FULL' } };
  double.setRules(rules());
  double.clearRecords();
});

const restores = () => double.statements().filter((s) => /^RESTORE (DATABASE|LOG) /.test(s.sql));
const TARGET = { kind: 'time' as const, time: '2026-11-25T00:30:00Z' };

describe('SQL Server backup history', () => {
  it('reads msdb with exact 17-digit LSNs and times converted from the server zone of each set', async () => {
    const view = await t.call('sqlserver.history', { serviceId: 'orders-prod', database: 'orders' });
    expect(view.source).toBe('msdb');
    expect(view.sets.map((s) => [s.id, s.type, s.firstLsn, s.lastLsn])).toEqual([
      ['101', 'D', '98000000017600001', '98000000019200001'],
      ['102', 'L', '98000000017600001', '98000000025600001'],
      ['103', 'I', '98000000027200001', '98000000028800001'],
      ['104', 'L', '98000000025600001', '98000000035200001'],
      ['105', 'L', '98000000035200001', '98000000040000001'],
    ]);
    const full = view.sets[0]!;
    expect(new Date(full.backupFinishDate).toISOString()).toBe('2026-11-24T21:00:05.000Z');
    expect(full).toMatchObject({ checkpointLsn: '98000000017600001', differentialBaseLsn: null, isCopyOnly: false, isDamaged: false, hasBackupChecksums: true, recoveryModel: 'FULL', devices: ['D:\\SQLBackups\\orders\\orders-prod_orders_FULL_20261124T210000Z.bak'], position: 1 });
    expect(view.sets[2]!.differentialBaseLsn).toBe('98000000017600001');
    const [query] = double.statements();
    expect(query!.params).toEqual({ database: 'orders' });
  });

  it('reads a folder of backup files on the server through RESTORE HEADERONLY, LSNs as text', async () => {
    const file = 'orders-prod_orders_FULL_20261124T210000Z.bak';
    double.setRules(
      rules([
        folderFilesRule([file, 'notes.txt']),
        headerOnlyRule({
          [file]: [{ DatabaseName: 'orders', BackupType: 1, Position: 1, FirstLSN: '98000000017600001', LastLSN: '98000000019200001', CheckpointLSN: '98000000017600001', DatabaseBackupLSN: '0', BackupStartDate: '2026-11-24T22:00:00.000', BackupFinishDate: '2026-11-24T22:00:05.000', IsCopyOnly: false, IsDamaged: false, HasBackupChecksums: true, RecoveryModel: 'FULL' }],
        }),
      ]),
    );
    const view = await t.call('sqlserver.history', { serviceId: 'orders-prod', folder: 'D:\\SQLBackups\\orders' });
    expect(view.source).toBe('folder');
    expect(view.sets).toHaveLength(1);
    expect(view.sets[0]).toMatchObject({ id: `D:\\SQLBackups\\orders\\${file}#1`, type: 'D', firstLsn: '98000000017600001', lastLsn: '98000000019200001', backupFinishDate: '2026-11-24T21:00:05.000Z', devices: [`D:\\SQLBackups\\orders\\${file}`] });
    expect(view.warnings).toEqual([expect.stringMatching(/^D:\\SQLBackups\\orders\\notes\.txt: not read/)]);
    const header = double.statements().find((s) => s.sql.includes(file))!;
    expect(header.sql).toContain(`INSERT INTO #lifeboat_header EXEC (N'RESTORE HEADERONLY FROM DISK = N''D:\\SQLBackups\\orders\\${file}''');`);
    expect(header.sql).toContain('CONVERT(varchar(25), FirstLSN) AS FirstLSN');
    expect(header.sql).toContain('LastValidRestoreTime datetime NULL, TimeZone nvarchar(32) NULL, CompressionAlgorithm nvarchar(32) NULL);');
  });

  it('gives the recoverable window of a database from its history', async () => {
    const view = await t.call('sqlserver.window', { serviceId: 'orders-prod', database: 'orders' });
    expect(view.databaseName).toBe('orders');
    expect(view.window.fulls.map((f) => f.id)).toEqual(['101']);
    expect(view.window.intervals.length).toBeGreaterThanOrEqual(1);
    expect(Date.parse(view.window.intervals.at(-1)!.to)).toBe(Date.parse('2026-11-25T01:00:03.000Z'));
  });
});

describe('SQL Server restore plans and scripts', () => {
  it('plans FULL, the DIFFERENTIAL on it and the logs up to the target, and writes STOPAT in server time', async () => {
    const view = await t.call('sqlserver.plan', { serviceId: 'orders-prod', target: TARGET, asDatabase: 'orders_copy' });
    expect(view.plan.steps.map((s) => [s.backupSetId, s.type])).toEqual([
      ['101', 'D'],
      ['103', 'I'],
      ['104', 'L'],
      ['105', 'L'],
    ]);
    expect(view.replaces).toBe(false);
    expect(view.serverUtcOffsetMinutes).toBe(60);
    expect(view.fileList.map((f) => f.logicalName)).toEqual(['orders', 'orders_log']);
    expect(view.script.text).toContain("STOPAT = N'2026-11-25T01:30:00.000'");
    expect(view.script.text).toContain("MOVE N'orders' TO N'D:\\MSSQL\\Data\\");
    expect(restores()).toEqual([]);
    const fileList = double.statements().find((s) => s.sql.startsWith('RESTORE FILELISTONLY'))!;
    expect(fileList.sql).toBe("RESTORE FILELISTONLY FROM DISK = N'D:\\SQLBackups\\orders\\orders-prod_orders_FULL_20261124T210000Z.bak' WITH FILE = 1;");
  });

  it('returns the same script alone for copying, running nothing', async () => {
    const script = await t.call('sqlserver.restoreScript', { serviceId: 'orders-prod', target: TARGET, asDatabase: 'orders_copy' });
    expect(script.statements).toHaveLength(4);
    expect(script.text).toContain('RESTORE DATABASE [orders_copy]');
    expect(restores()).toEqual([]);
  });
});

describe('SQL Server restore jobs', () => {
  it('runs exactly the script, statement by statement, NORECOVERY until the last which RECOVERs', async () => {
    const view = await t.call('sqlserver.plan', { serviceId: 'orders-prod', target: TARGET, asDatabase: 'orders_copy' });
    double.clearRecords();
    const job = await t.waitForJob(await t.call('sqlserver.restore', { serviceId: 'orders-prod', target: TARGET, asDatabase: 'orders_copy' }));
    expect(job.state).toBe('succeeded');
    const sent = restores().map((s) => s.sql);
    expect(sent).toEqual(view.script.statements.map((s) => s.sql));
    expect(sent.slice(0, 3).every((s) => /\bNORECOVERY\b/.test(s))).toBe(true);
    expect(sent[3]).toMatch(/[\s,]RECOVERY,/);
    expect(sent[0]).toMatch(/^RESTORE DATABASE \[orders_copy\]\n {2}FROM DISK = N'D:\\SQLBackups\\orders\\orders-prod_orders_FULL_20261124T210000Z\.bak'/);
    expect(sent[1]).toContain('orders-prod_orders_DIFF_20261124T230000Z.bak');
    expect(sent[3]).toMatch(/^RESTORE LOG \[orders_copy\][\s\S]*STOPAT = N'2026-11-25T01:30:00.000'/);
    expect(sent.every((s) => !s.includes('REPLACE'))).toBe(true);
    expect(job.result as SqlRestoreResult).toMatchObject({ asDatabase: 'orders_copy', replaced: false, steps: 4 });
    expect(databases.orders_copy?.state).toBe('ONLINE');
  });

  it('refuses to overwrite an existing database unless its name was typed, naming it', async () => {
    const refused = await t.failure('sqlserver.restore', { serviceId: 'orders-prod', target: { kind: 'latest' }, asDatabase: 'orders' });
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toContain("Database 'orders' exists");
    const mistyped = await t.failure('sqlserver.restore', { serviceId: 'orders-prod', target: { kind: 'latest' }, asDatabase: 'orders', confirmReplace: 'Orders ' });
    expect(mistyped.code).toBe('CONFLICT');
    expect(restores()).toEqual([]);

    const job = await t.waitForJob(await t.call('sqlserver.restore', { serviceId: 'orders-prod', target: { kind: 'latest' }, asDatabase: 'orders', confirmReplace: 'orders' }));
    expect(job.state).toBe('succeeded');
    expect(restores()[0]!.sql).toMatch(/\bREPLACE\b/);
    expect(restores().at(-1)!.sql).not.toContain('STOPAT');
  });

  it('fails with the cause SQL Server gave when a backup file cannot be opened', async () => {
    double.setRules(
      rules([
        {
          name: 'missing diff',
          match: (sql) => sql.startsWith('RESTORE DATABASE') && sql.includes('_DIFF_'),
          respond: [
            sqlError(3201, "Cannot open backup device 'D:\\SQLBackups\\orders\\orders-prod_orders_DIFF_20261124T230000Z.bak'. Operating system error 2(The system cannot find the file specified.)."),
            sqlError(3013, 'RESTORE DATABASE is terminating abnormally.'),
          ],
        },
      ]),
    );
    const job = await t.waitForJob(await t.call('sqlserver.restore', { serviceId: 'orders-prod', target: TARGET, asDatabase: 'orders_copy' }));
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('NOT_FOUND');
    expect(job.error?.message).toContain('(error 3201)');
    expect(job.error?.hint).toContain('read by the SQL Server service on the server');
  });
});

describe('SQL Server verification and drills', () => {
  it('verifies every backup of the latest chain WITH CHECKSUM', async () => {
    const job = await t.waitForJob(await t.call('sqlserver.verify', { serviceId: 'orders-prod' }));
    expect(job.state).toBe('succeeded');
    const sent = double.statements().filter((s) => s.sql.startsWith('RESTORE VERIFYONLY')).map((s) => s.sql);
    expect(sent[0]).toBe("RESTORE VERIFYONLY FROM DISK = N'D:\\SQLBackups\\orders\\orders-prod_orders_FULL_20261124T210000Z.bak' WITH FILE = 1, CHECKSUM, STATS = 10;");
    expect(sent.length).toBeGreaterThanOrEqual(2);

    // The outcome is recorded under the data folder, listed newest first, and the runbook states it.
    const [recorded] = await t.call('sqlserver.verifications', { serviceId: 'orders-prod' });
    expect(recorded).toMatchObject({ jobId: job.id, serviceId: 'orders-prod', database: 'orders', ok: true });
    expect(recorded!.error).toBeUndefined();
    expect(recorded!.sets.map((s) => [s.backupSetId, s.type, s.ok])).toEqual([['101', 'D', true], ['103', 'I', true], ['104', 'L', true], ['105', 'L', true]]);
    expect(recorded!.sets).toHaveLength(sent.length);
    expect(recorded!.sets[0]).toMatchObject({ backupSetId: '101', devices: ['D:\\SQLBackups\\orders\\orders-prod_orders_FULL_20261124T210000Z.bak'] });
    expect(Date.parse(recorded!.startedAt)).toBeLessThanOrEqual(Date.parse(recorded!.finishedAt));
    const file = JSON.parse(await readFile(join(t.dir, 'data', 'state', 'sqlserver-verifications', 'orders-prod.json'), 'utf8'));
    expect(file).toEqual([recorded]);
    const { content: md } = await t.call('runbooks.render', { document: { kind: 'runbook', serviceId: 'orders-prod' }, format: 'md' });
    const line = md.split('\n').find((l) => l.startsWith('| Last verified |'));
    expect(line).toBe(`| Last verified | \`101\` at ${formatTime(recorded!.finishedAt)}: RESTORE VERIFYONLY WITH CHECKSUM passed for ${sent.length} backup sets of orders (${recorded!.sets.map((s) => `${{ D: 'FULL', I: 'DIFF', L: 'LOG' }[s.type]} ${s.backupSetId}`).join(', ')}) |`);
  });

  it('records a verification SQL Server refused: the set it stopped at, the error, and the runbook says so', async () => {
    double.prependRules({
      name: 'refuse the differential',
      match: /^RESTORE VERIFYONLY FROM DISK = N'[^']*_DIFF_/,
      respond: [sqlError(3201, "Cannot open backup device 'D:\\SQLBackups\\orders\\orders_DIFF.bak'. Operating system error 2(The system cannot find the file specified.)."), sqlError(3013, 'VERIFY DATABASE is terminating abnormally.')],
    });
    const job = await t.waitForJob(await t.call('sqlserver.verify', { serviceId: 'orders-prod' }));
    expect(job.state).toBe('failed');
    const [latest, earlier] = await t.call('sqlserver.verifications', { serviceId: 'orders-prod' });
    expect(latest).toMatchObject({ jobId: job.id, ok: false, error: { code: job.error!.code, message: job.error!.message } });
    expect(latest!.sets.map((s) => [s.backupSetId, s.ok, s.error?.code])).toEqual([['101', true, undefined], ['103', false, job.error!.code]]);
    expect(latest!.sets[1]!.error!.message).toContain('(error 3201)');
    expect(earlier).toMatchObject({ ok: true });
    const { content: md } = await t.call('runbooks.render', { document: { kind: 'runbook', serviceId: 'orders-prod' }, format: 'md' });
    expect(md.split('\n').find((l) => l.startsWith('| Last verified |'))).toContain(`; a later verification FAILED at ${formatTime(latest!.finishedAt)}: ${job.error!.message}`);
  });

  it('keeps no record of a verification cancelled half-way', async () => {
    double.prependRules({ name: 'slow VERIFYONLY', match: /^RESTORE VERIFYONLY /, respond: statsProgress({ every: 10, intervalMs: 300 }) });
    const before = await t.call('sqlserver.verifications', { serviceId: 'orders-prod' });
    const started = await t.call('sqlserver.verify', { serviceId: 'orders-prod' });
    await until('the verification under way', async () => (t.core.jobs.get(started.id).progress.done ?? 0) >= 2);
    await t.call('jobs.cancel', { id: started.id });
    expect((await t.waitForJob(started)).state).toBe('cancelled');
    expect(await t.call('sqlserver.verifications', { serviceId: 'orders-prod' })).toEqual(before);
  });

  it('restores the latest chain under a scratch name, runs CHECKDB, drops it and records the RTO', async () => {
    const job = await t.waitForJob(await t.call('sqlserver.drill', { serviceId: 'orders-prod' }));
    expect(job.state).toBe('succeeded');
    const drill = job.result as DrillView;
    expect(drill.ok).toBe(true);
    expect(drill.rtoMs).toBeGreaterThanOrEqual(0);
    expect(drill.backupId).toBe('101');
    const sql = double.statements().map((s) => s.sql);
    const scratch = /RESTORE DATABASE \[(lifeboat_drill_orders_\d{14})\]/.exec(sql.join('\n'))![1]!;
    expect(sql).toContain(`DBCC CHECKDB ([${scratch}]) WITH NO_INFOMSGS;`);
    expect(sql.at(-1)).toBe(`IF DB_ID(N'${scratch}') IS NOT NULL DROP DATABASE [${scratch}];`);
    expect(databases[scratch]).toBeUndefined();
    const listed = await t.call('sqlserver.drills', { serviceId: 'orders-prod' });
    expect(listed.map((d) => d.id)).toContain(drill.id);
    expect(await readdir(join(t.dir, 'data', 'state', 'sqlserver-drills', 'orders-prod'))).toEqual([`${drill.id}.json`]);
  });

  it('drops the scratch database and records a failed drill when CHECKDB finds corruption', async () => {
    double.setRules(rules([{ name: 'corrupt', match: /^DBCC CHECKDB /, respond: [sqlError(8928, 'Object ID 901578250, index ID 1: Page (1:312) could not be processed.'), resultSet({ x: 'int' }, [])] }]));
    const job = await t.waitForJob(await t.call('sqlserver.drill', { serviceId: 'orders-prod' }));
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('CHECKSUM_MISMATCH');
    expect(double.statements().at(-1)!.sql).toMatch(/^IF DB_ID\(N'lifeboat_drill_orders_\d{14}'\) IS NOT NULL DROP DATABASE/);
    const [latest] = await t.call('sqlserver.drills', { serviceId: 'orders-prod' });
    expect(latest).toMatchObject({ ok: false, error: { code: 'CHECKSUM_MISMATCH' } });
  });
});
