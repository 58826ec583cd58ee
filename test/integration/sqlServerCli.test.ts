// `lifeboat sqlserver ...` as a script runs it (the real command, a child process) against the TDS test
// double: a backup job with its exit code, the history as stable JSON, a live plan with its script, and a
// refused REPLACE with the CONFLICT exit code.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/api';
import { dispatchCall } from '../../src/core/doorDispatch';
import { EXIT_CODES } from '../../src/shared/errors';
import { runCli } from '../support/runCli';
import { msdbHistoryRule, ORDERS_CHAIN } from '../support/tds/msdbHistoryFixtures';
import { backupRule, databaseFactsRule, fileListRule, serverFactsRule } from '../support/tds/sqlServerBackupFixtures';
import { MemorySecretStore } from '../support/tds/sqlServerTestCore';
import { startTdsTestDouble, type TdsTestDouble } from '../support/tds/tdsTestDouble';

let double: TdsTestDouble;
let dir: string;
let globals: string[];
const env = { LIFEBOAT_TEST_SQL_PASSWORD: 'Str0ng!Passw0rd' };

beforeAll(async () => {
  double = await startTdsTestDouble({
    logins: [{ user: 'sa', password: env.LIFEBOAT_TEST_SQL_PASSWORD }],
    databases: ['orders'],
    rules: [
      serverFactsRule({ utcOffsetMinutes: 60 }),
      databaseFactsRule({ orders: { recovery: 'FULL' } }),
      backupRule(),
      msdbHistoryRule(),
      fileListRule([
        { LogicalName: 'orders', PhysicalName: 'D:\\MSSQL\\Data\\orders.mdf', Type: 'D', FileGroupName: 'PRIMARY', Size: 8388608 },
        { LogicalName: 'orders_log', PhysicalName: 'L:\\MSSQL\\Log\\orders_log.ldf', Type: 'L', FileGroupName: null, Size: 8388608 },
      ]),
    ],
  });
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-sqlcli-'));
  globals = ['--config', join(dir, 'fleet.yaml'), '--data-dir', join(dir, 'data')];
  // The fleet is written once by a core; the CLI reads the password from the environment (no keychain needed).
  const core = await createCore({ configPath: join(dir, 'fleet.yaml'), dataDir: join(dir, 'data'), secrets: new MemorySecretStore() });
  const added = await dispatchCall(core, 'services.add', {
    service: {
      id: 'orders-prod',
      name: 'Orders',
      engine: 'sqlserver',
      connection: { host: double.host, port: double.port, database: 'orders', user: 'sa', tls: 'disable', password: { kind: 'env', variable: 'LIFEBOAT_TEST_SQL_PASSWORD' } },
      policy: { sqlServer: { backupDirectory: 'D:\\SQLBackups\\orders' } },
    },
  });
  expect(added.ok).toBe(true);
  await core.close();
});

afterAll(async () => {
  await double?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('lifeboat sqlserver', () => {
  it('takes a FULL backup and says where SQL Server wrote it', async () => {
    const r = await runCli([...globals, 'sqlserver', 'backup', 'orders-prod', '--kind', 'full'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^FULL backup of orders written by SQL Server to D:\\SQLBackups\\orders\\orders-prod_orders_FULL_\d{8}T\d{6}Z\.bak \(on the server\)\n/);
  });

  it('prints the msdb history as JSON with LSNs as strings', async () => {
    const r = await runCli([...globals, 'sqlserver', 'history', 'orders-prod', '--json'], { env });
    expect(r.code).toBe(0);
    const view = JSON.parse(r.stdout) as { source: string; sets: Array<{ id: string; lastLsn: string }> };
    expect(view.source).toBe('msdb');
    expect(view.sets.map((s) => s.lastLsn)).toContain('98000000040000001');
  });

  it('plans a live restore and prints the steps and the script', async () => {
    const r = await runCli([...globals, 'sqlserver', 'plan', 'orders-prod', '--at', '2026-11-25T00:30:00Z', '--as', 'orders_copy'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Restore orders as orders_copy:');
    expect(r.stdout).toContain('RESTORE DATABASE [orders_copy]');
    expect(r.stdout).toContain("STOPAT = N'2026-11-25T01:30:00.000'");
  });

  it('refuses to restore over an existing database without --replace, with the CONFLICT exit code', async () => {
    const r = await runCli([...globals, 'sqlserver', 'restore', 'orders-prod', '--latest', '--as', 'orders'], { env });
    expect(r.code).toBe(EXIT_CODES.CONFLICT);
    expect(r.stderr).toContain("error CONFLICT: Database 'orders' exists on the server");
    expect(double.statements().some((s) => /^RESTORE (DATABASE|LOG) /.test(s.sql))).toBe(false);
  });

  it('hands `plan --history` to the offline planner, with no connection at all', async () => {
    const file = join(dir, 'history.json');
    await writeFile(file, JSON.stringify(ORDERS_CHAIN));
    double.clearRecords();
    const r = await runCli([...globals, 'sqlserver', 'plan', '--history', file, '--database', 'orders', '--latest', '--as', 'orders_copy']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('RESTORE DATABASE [orders_copy]');
    expect(double.connections).toEqual([]);
  });

  it('says in text and JSON when a plan to "latest" stops before a break in the log chain, and from which log', async () => {
    const file = join(dir, 'orders-with-gap.csv');
    const lines = (await readFile('test/fixtures/sqlserver/msdb-history-sql01.csv', 'utf8')).split('\r\n');
    // Orders up to its 09:30 full, whose own chain would otherwise be "latest": its 05:00 log is missing.
    await writeFile(file, lines.filter((l, i) => i === 0 || (/^\d+,Orders,/.test(l) && Number(l.split(',')[0]) < 210)).join('\r\n'));
    const r = await runCli([...globals, 'sqlserver', 'plan', '--history', file, '--database', 'Orders', '--latest', '--as', 'orders_copy']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('STOPS BEFORE A BREAK: first log it cannot apply: 207 (LSN 43000000001600001 to 44000000001600001); missing LSN 42000000001600001 to 43000000001600001.');
    const json = await runCli([...globals, 'sqlserver', 'plan', '--history', file, '--database', 'Orders', '--latest', '--as', 'orders_copy', '--json']);
    expect(JSON.parse(json.stdout).plan.stopsBeforeBreak).toMatchObject({ backupSetId: '207', firstLsn: '43000000001600001', lastLsn: '44000000001600001' });
  });

  it('rejects a time without its zone', async () => {
    const r = await runCli([...globals, 'sqlserver', 'plan', 'orders-prod', '--at', '2026-11-25T00:30:00', '--as', 'orders_copy'], { env });
    expect(r.code).toBe(EXIT_CODES.INVALID_INPUT);
    expect(r.stderr).toContain('an ISO 8601 time with its zone');
  });
});
