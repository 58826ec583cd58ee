// SQL Server HA through the TDS test double: the availability group's replicas and databases (queues,
// estimated data loss, last commit time converted from the server's clock), log shipping against its
// thresholds, health and failover guidance — read with real T-SQL through mssql, over the wire.
// What this proves: the statements Lifeboat sends and how it maps rows modelled on Microsoft's documented
// columns. What it cannot prove: that a real SQL Server returns exactly these rows (see docs/replication.md).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlServerReplicationView } from '../../src/shared/replication';
import { haRules } from '../support/tds/haFixtures';
import { startTdsTestDouble, type TdsTestDouble } from '../support/tds/tdsTestDouble';
import { startTestCore, type TestCore } from '../support/testCore';

const password = `Pw-${randomBytes(6).toString('hex')}`;
let double: TdsTestDouble;
let t: TestCore;

const status = async (serviceId: string) => (await t.call('replication.status', { serviceId })) as SqlServerReplicationView;

beforeAll(async () => {
  double = await startTdsTestDouble({ logins: [{ user: 'lifeboat_monitor', password }], databases: ['orders', 'billing'], rules: haRules() });
  t = await startTestCore();
  await t.call('services.add', {
    service: { id: 'orders-mssql', name: 'Orders (SQL Server)', engine: 'sqlserver', connection: { host: double.host, port: double.port, database: 'orders', user: 'lifeboat_monitor', tls: 'disable', password: { kind: 'keychain' } }, policy: { replication: { warnLagSeconds: 30, criticalLagSeconds: 90 } } },
    password,
  });
});

afterAll(async () => {
  await t?.close();
  await double?.stop();
});

describe('SQL Server availability groups and log shipping', () => {
  it('maps the availability group seen from its primary: replicas, queues, estimated data loss, health', async () => {
    double.clearRecords();
    const v = await status('orders-mssql');
    expect(double.unmatched()).toEqual([]);
    expect(v).toMatchObject({ engine: 'sqlserver', serverName: 'SQL1', hadrEnabled: true, health: 'broken' });
    const ag = v.availabilityGroups[0]!;
    expect(ag).toMatchObject({ name: 'ag_orders', clusterType: 'WSFC', primaryReplica: 'SQL1', synchronizationHealth: 'PARTIALLY_HEALTHY', health: 'broken' });
    expect(ag.replicas.map((r) => [r.replicaServerName, r.role, r.availabilityMode, r.connectedState, r.isLocal])).toEqual([
      ['SQL1', 'PRIMARY', 'SYNCHRONOUS_COMMIT', 'CONNECTED', true],
      ['SQL2', 'SECONDARY', 'SYNCHRONOUS_COMMIT', 'CONNECTED', false],
      ['SQL3', 'SECONDARY', 'ASYNCHRONOUS_COMMIT', 'DISCONNECTED', false],
    ]);
    const byReplica = Object.fromEntries(ag.databases.map((d) => [d.replicaServerName, d]));
    expect(byReplica.SQL2).toMatchObject({ databaseName: 'orders', synchronizationState: 'SYNCHRONIZED', logSendQueueKb: 0, redoQueueKb: 0, estimatedDataLossSeconds: 0, level: 'ok' });
    // bigint arrives from tedious as a string; the view carries numbers. 95 s of loss is over the 90 s critical.
    expect(byReplica.SQL3).toMatchObject({ synchronizationState: 'SYNCHRONIZING', synchronizationHealth: 'NOT_HEALTHY', logSendQueueKb: 51200, redoQueueKb: 2048, redoRateKbPerSec: 512, estimatedDataLossSeconds: 95, estimatedRecoverySeconds: 4, level: 'critical' });
    // The server's clock is UTC+1 (DATEPART(tz, SYSDATETIMEOFFSET()) = 60): 15:28:23.120 local is 14:28:23.120Z.
    expect(byReplica.SQL3!.lastCommitTime).toBe('2026-11-25T14:28:23.120Z');
    // numeric(25,0) LSNs kept exact as text.
    expect(byReplica.SQL1!.lastHardenedLsn).toBe('98000000017600001');
    expect(v.issues.join('\n')).toContain('Replica SQL3 of ag_orders is disconnected: An error occurred while receiving data: 10054');
    expect(v.failoverGuidance[0]).toContain('this replica is the primary');
    expect(v.failoverGuidance[0]).toContain('SQL2');
  });

  it('maps log shipping against its thresholds', async () => {
    const v = await status('orders-mssql');
    expect(v.logShipping.readable).toBe(true);
    expect(v.logShipping.primaries).toEqual([
      { primaryServer: 'SQL1', primaryDatabase: 'billing', backupThresholdMinutes: 60, lastBackupFile: '\\\\backup\\billing\\billing_20261125151000.trn', lastBackupDate: '2026-11-25T14:10:00.000Z', minutesSinceBackup: 20, thresholdAlertEnabled: true, overThreshold: false },
    ]);
    expect(v.logShipping.secondaries[0]).toMatchObject({ secondaryDatabase: 'billing_ls', primaryServer: 'SQL9', restoreThresholdMinutes: 45, minutesSinceRestore: 130, lastRestoredLatencyMinutes: 12, lastRestoredDate: '2026-11-25T12:20:00.000Z', overThreshold: true });
    expect(v.issues.join('\n')).toContain('billing_ls last restored 130 min ago');
    expect(v.failoverGuidance.join('\n')).toContain('RESTORE DATABASE [billing_ls] WITH RECOVERY;');
  });

  it('gives planned-failover T-SQL on a synchronized synchronous secondary, and never runs it', async () => {
    double.setRules(haRules({ localReplica: 'SQL2', minutesSinceRestore: 10 }));
    double.clearRecords();
    const v = await status('orders-mssql');
    expect(v.failoverGuidance[0]).toContain('ALTER AVAILABILITY GROUP [ag_orders] FAILOVER;');
    expect(double.statements().map((s) => s.sql).join('\n')).not.toMatch(/ALTER\s+AVAILABILITY\s+GROUP/i);
    expect(v.logShipping.secondaries[0]?.overThreshold).toBe(false);

    double.setRules(haRules({ localReplica: 'SQL3' }));
    const forced = await status('orders-mssql');
    expect(forced.failoverGuidance[0]).toContain('FORCE_FAILOVER_ALLOW_DATA_LOSS');
    expect(forced.failoverGuidance[0]).toContain('about 95 s');
  });

  it('samples AG lag for the chart and shows the service as broken in the overview', async () => {
    double.setRules(haRules());
    const overview = await t.call('replication.overview', {});
    expect(overview).toEqual([expect.objectContaining({ serviceId: 'orders-mssql', engine: 'sqlserver', role: 'primary', health: 'broken', summary: '1 availability group, 2 log-shipped databases' })]);
    const job = await t.call('replication.startSampling', { serviceId: 'orders-mssql' });
    const deadline = Date.now() + 20_000;
    while ((await t.call('replication.history', { serviceId: 'orders-mssql' })).samples.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await t.call('replication.stopSampling', { serviceId: 'orders-mssql' });
    expect((await t.core.jobs.wait(job.id)).state).toBe('cancelled');
    const [sample] = (await t.call('replication.history', { serviceId: 'orders-mssql' })).samples;
    expect(sample?.points.map((p) => [p.standby, p.replayLagBytes, p.replayLagSeconds, p.level])).toEqual([
      ['SQL2/orders', 0, 0, 'ok'],
      ['SQL3/orders', (51200 + 2048) * 1024, 95, 'critical'],
    ]);
  });

  it('says a promotion is for PostgreSQL standbys', async () => {
    await expect(t.call('replication.promote', { serviceId: 'orders-mssql', confirm: 'orders-mssql', fencedConfirmed: true })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
