// Ola Hallengren's dbo.CommandLog as a backup history source, through mssql against the TDS test double (not SQL
// Server: the rows are shaped after his documented table and the commands his DatabaseBackup writes): every
// backup and verification of his jobs with its kind, duration and outcome, a failed log backup with SQL
// Server's error, an unfinished one, file names read back by his folder layout; the table missing is named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandLogRule, noCommandLogRule } from '../support/tds/olaCommandLogFixtures';
import { startSqlServerTestCore, type SqlServerTestCore } from '../support/tds/sqlServerTestCore';
import { startTdsTestDouble, type TdsTestDouble } from '../support/tds/tdsTestDouble';
import { runCli } from '../support/runCli';

let double: TdsTestDouble;
let t: SqlServerTestCore;

beforeAll(async () => {
  double = await startTdsTestDouble({ logins: [{ user: 'sa', password: 'Str0ng!Passw0rd' }], databases: ['Sales', 'DBA'], rules: [commandLogRule(), commandLogRule(undefined, 'DBA')] });
  t = await startSqlServerTestCore(double, [{ id: 'sales', user: 'sa', password: 'Str0ng!Passw0rd', database: 'Sales' }]);
});

afterAll(async () => {
  await t?.close();
  await double?.stop();
});

describe("Ola Hallengren's CommandLog", () => {
  it('lists his backups and verifications newest first, with kind, duration and outcome, times at the server\'s offset', async () => {
    const view = await t.call('sqlserver.commandLog', { serviceId: 'sales', database: 'Sales' });
    expect(view.source).toBe('[master].dbo.CommandLog');
    expect(view.entries.map((e) => [e.id, e.kind, e.state])).toEqual([
      ['59', 'log', 'unfinished'],
      ['58', 'log', 'failed'],
      ['57', 'diff', 'succeeded'],
      ['42', 'verify', 'succeeded'],
      ['41', 'full', 'succeeded'],
    ]);
    const full = view.entries.find((e) => e.id === '41')!;
    expect(full).toMatchObject({ startedAt: '2026-11-22T23:00:00.000Z', finishedAt: '2026-11-22T23:10:03.123Z', durationMs: 603_123, errorNumber: 0 });
    expect(full.layout).toEqual({ server: 'SQL01\\INST', database: 'Sales', kind: 'FULL', stamp: '2026-11-23T00:00:00' });
    expect(full.files).toEqual(['\\\\backup01\\sql\\SQL01$INST\\Sales\\FULL\\SQL01$INST_Sales_FULL_20261123_000000.bak']);
    expect(view.entries.find((e) => e.id === '58')).toMatchObject({ errorNumber: 3201, errorMessage: expect.stringContaining('Operating system error 5(Access is denied.)') });
    expect(view.entries.find((e) => e.id === '59')!.durationMs).toBeUndefined();
    // The statement bound @database and @limit and read master's table.
    const sent = double.statements().find((s) => s.sql.includes('dbo.CommandLog'))!;
    expect(sent.sql).toContain('FROM [master].dbo.CommandLog AS cl');
  });

  it('reads the table where the Maintenance Solution is installed, and matches the database as SQL Server does', async () => {
    const view = await t.call('sqlserver.commandLog', { serviceId: 'sales', logDatabase: 'DBA', database: 'SALES ' });
    expect(view.source).toBe('[DBA].dbo.CommandLog');
    expect(view.entries.map((e) => e.id)).toEqual(['59', '58', '57', '42', '41']);
    expect((await t.call('sqlserver.commandLog', { serviceId: 'sales' })).entries.map((e) => e.databaseName)).toContain('Billing');
  });

  it('says so when the table is not there, naming where it looked', async () => {
    double.setRules([noCommandLogRule()]);
    try {
      const e = await t.failure('sqlserver.commandLog', { serviceId: 'sales', logDatabase: 'DBA' });
      expect(e).toMatchObject({ code: 'NOT_FOUND', message: "There is no dbo.CommandLog in DBA on sales's server.", hint: expect.stringContaining("@LogToTable = 'Y'") });
    } finally {
      double.setRules([commandLogRule(), commandLogRule(undefined, 'DBA')]);
    }
  });

  it('prints them in the CLI, the failure with its error number', async () => {
    // The CLI has no keychain of the test's: this service reads its password from the environment.
    await t.call('services.add', { service: { id: 'sales-cli', name: 'Sales', engine: 'sqlserver', connection: { host: double.host, port: double.port, database: 'Sales', user: 'sa', tls: 'disable', password: { kind: 'env', variable: 'LIFEBOAT_TEST_SQL_PASSWORD' } } } });
    const r = await runCli(['sqlserver', 'commandlog', 'sales-cli', '--database', 'Sales', '--config', `${t.dir}/fleet.yaml`, '--data-dir', `${t.dir}/data`], { env: { LIFEBOAT_FROM_SOURCE: '1', LIFEBOAT_TEST_SQL_PASSWORD: 'Str0ng!Passw0rd' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2026-11-23T05:15:00\.000Z\s+Sales\s+LOG\s+1\.0 s\s+FAILED 3201: Cannot open backup device/);
    expect(r.stdout).toMatch(/2026-11-22T23:00:00\.000Z\s+Sales\s+FULL\s+603\.1 s\s+succeeded/);
  });
});
