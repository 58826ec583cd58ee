// Replication status against a real primary and streaming standby: the standby matched to its service, lag
// that appears while replay is paused and clears after resume (with sampling events and alerts), an idle
// slot holding WAL, a failing archive_command, a stopped standby shown as disconnected, and a promotion that
// refuses while the old primary answers and then makes the standby accept writes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayloads } from '../../src/shared/contract';
import type { PostgresReplicationView, ReplicationAlert, ReplicationSample, StandbyView } from '../../src/shared/replication';
import { startCascadedStandby, startPrimaryWithStandby, type PgCluster, type StandbyPair } from '../support/pgCluster';
import { runCli } from '../support/runCli';
import { startTestCore, type TestCore } from '../support/testCore';
import { until } from '../support/until';

const password = `pw-${randomBytes(6).toString('hex')}`;
let t: TestCore;
const events: Array<{ name: EventName; payload: unknown }> = [];


const pgStatus = async (serviceId: string) => (await t.call('replication.status', { serviceId })) as PostgresReplicationView;
const standbyRow = (v: PostgresReplicationView, serviceId: string): StandbyView | undefined => v.standbys.find((s) => s.serviceId === serviceId);
const ofEvent = <E extends EventName>(name: E) => events.filter((e) => e.name === name).map((e) => e.payload as EventPayloads[E]);

async function register(id: string, port: number, replication?: Record<string, unknown>) {
  await t.call('services.add', {
    service: { id, name: id, engine: 'postgres', connection: { host: '127.0.0.1', port, database: 'postgres', user: 'postgres', tls: 'disable', password: { kind: 'keychain' } }, policy: replication ? { replication } : {} },
    password,
  });
}

beforeAll(async () => {
  t = await startTestCore();
  t.core.events.subscribe((name, payload) => events.push({ name, payload }));
});

afterAll(async () => {
  await t?.call('replication.stopSampling', { serviceId: 'main' }).catch(() => undefined);
  await t?.close();
});

describe('a primary with a streaming standby', () => {
  let pair: StandbyPair;

  beforeAll(async () => {
    // archive_command 'false' fails every segment: the archiver test reads that back from pg_stat_archiver.
    pair = await startPrimaryWithStandby({ superuserPassword: password, settings: { archive_mode: 'on', archive_command: 'false', wal_receiver_status_interval: 1 } });
    await pair.primary.query('create table items (id int, pad text)');
    await register('main', pair.primary.port, { warnLagBytes: 64 * 1024, criticalLagBytes: 512 * 1024 * 1024, sampleInterval: '1s' });
    await register('replica', pair.standby.port);
    await pair.waitForReplay();
  });

  afterAll(async () => {
    await pair?.stop();
  });

  it('shows the standby streaming from the primary, matched to its service, caught up to 0 bytes', async () => {
    const replica = await pgStatus('replica');
    expect(replica.role).toBe('standby');
    expect(replica.standby?.receiverStatus).toBe('streaming');
    expect(replica.standby?.applicationName).toBe(pair.standbyName);
    expect(replica.standby?.senderPort).toBe(pair.primary.port);
    expect(replica.topology.find((n) => n.state === 'upstream')?.serviceId).toBe('main');

    const main = await until('the standby to report replay at the primary\'s end of WAL', async () => {
      const v = await pgStatus('main');
      return standbyRow(v, 'replica')?.replayLagBytes === 0 && v;
    });
    expect(main.role).toBe('primary');
    expect(main.systemIdentifier).toBe(replica.systemIdentifier);
    const row = standbyRow(main, 'replica')!;
    expect(row).toMatchObject({ applicationName: pair.standbyName, state: 'streaming', syncState: 'async', level: 'ok', health: 'healthy', clientAddr: '127.0.0.1' });
    expect(row.replayLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    // Idle and caught up: NULL lag columns read as 0 s, not unknown.
    expect(row.replayLagSeconds).not.toBeNull();
    expect(main.topology.map((n) => [n.serviceId, n.role])).toEqual(expect.arrayContaining([['main', 'primary'], ['replica', 'standby']]));
  });

  it('prints the same status from the CLI: a table for people, the view as JSON for scripts', async () => {
    const globals = ['--config', t.configPath, '--data-dir', t.dataDir];
    const json = await runCli([...globals, 'replication', 'main', '--json']);
    expect(json.stderr).toBe('');
    const view = JSON.parse(json.stdout) as PostgresReplicationView;
    expect(view).toMatchObject({ engine: 'postgres', serviceId: 'main', role: 'primary' });
    expect(standbyRow(view, 'replica')?.state).toBe('streaming');
    const human = await runCli([...globals, 'replication', 'replica']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`WAL receiver: streaming from 127.0.0.1:${pair.primary.port}`);
    const overview = await runCli([...globals, 'replication', 'overview']);
    expect(overview.stdout).toMatch(/main\s+postgres\s+primary\s+broken\s+1 of 1 standby streaming, worst 0 B behind, archiving failing/);
    const refused = await runCli([...globals, 'replication', 'promote', 'replica', '--confirm', 'main']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('CONFLICT');
  });

  it('discovers a cascade: a standby streaming from the standby, nested under it and matched to its service', async () => {
    let cascade: PgCluster | undefined;
    try {
      cascade = await startCascadedStandby(pair.standby, { standbyName: 'lifeboat_cascade' });
      await register('replica2', cascade.port);
      const main = await until('the cascade under the standby', async () => {
        const v = await pgStatus('main');
        return standbyRow(v, 'replica')?.cascade?.some((c) => c.serviceId === 'replica2') && v;
      });
      expect(standbyRow(main, 'replica')?.cascade?.[0]).toMatchObject({ applicationName: 'lifeboat_cascade', serviceId: 'replica2', state: 'streaming' });
      expect(main.topology.find((n) => n.serviceId === 'replica2')).toMatchObject({ role: 'cascaded-standby', upstream: `127.0.0.1:${pair.standby.port}` });
      const middle = await pgStatus('replica');
      expect(middle.standbys.map((s) => [s.serviceId, s.state])).toEqual([['replica2', 'streaming']]);
      const leaf = await pgStatus('replica2');
      expect(leaf.standby?.senderPort).toBe(pair.standby.port);
      expect(leaf.topology.find((n) => n.state === 'upstream')?.serviceId).toBe('replica');
    } finally {
      await cascade?.stop();
      await t.call('services.remove', { id: 'replica2' }).catch(() => undefined);
    }
  });

  it('shows lag growing while replay is paused and the primary writes, and back to 0 after resume', async () => {
    await t.call('replication.startSampling', { serviceId: 'main' });
    await pair.standby.query('select pg_wal_replay_pause()');
    await until('replay paused', async () => (await pgStatus('replica')).standby?.replayPaused === true);

    await pair.primary.query("insert into items select g, repeat('x', 200) from generate_series(1, 5000) g");
    const first = await until('lag visible on the primary', async () => {
      const b = standbyRow(await pgStatus('main'), 'replica')?.replayLagBytes;
      return b !== null && b !== undefined && b > 0 && b;
    });
    await pair.primary.query("insert into items select g, repeat('y', 200) from generate_series(1, 5000) g");
    const second = await until('lag growing', async () => {
      const b = standbyRow(await pgStatus('main'), 'replica')?.replayLagBytes ?? 0;
      return b > first && b;
    });
    expect(second).toBeGreaterThan(first);

    const replica = await until('the standby to have received what it has not replayed', async () => {
      const v = await pgStatus('replica');
      return (v.standby?.unreplayedBytes ?? 0) > 0 && v;
    });
    expect(replica.standby).toMatchObject({ replayPaused: true, caughtUp: false, receiverStatus: 'streaming' });
    expect(replica.issues.join(' ')).toContain('paused');
    expect(replica.health).not.toBe('healthy');

    // The sampling job saw it too, and crossed the 64 KB warn threshold.
    const lagging = await until('a sample with lag', async () => ofEvent('replication.sample').find((s: ReplicationSample) => s.serviceId === 'main' && s.points.some((p) => p.serviceId === 'replica' && (p.replayLagBytes ?? 0) > 64 * 1024)));
    expect(lagging.points.find((p) => p.serviceId === 'replica')?.level).toBe('warn');
    const warn = await until('a warn alert', async () => ofEvent('replication.alert').find((a: ReplicationAlert) => a.serviceId === 'main' && a.level === 'warn'));
    expect(warn).toMatchObject({ standby: pair.standbyName, metric: 'replayLagBytes', threshold: 64 * 1024, previous: 'ok' });

    await pair.standby.query('select pg_wal_replay_resume()');
    const cleared = await until('lag back to 0', async () => {
      const v = await pgStatus('main');
      return standbyRow(v, 'replica')?.replayLagBytes === 0 && v;
    }, 30_000);
    expect(standbyRow(cleared, 'replica')?.level).toBe('ok');
    expect((await pgStatus('replica')).standby).toMatchObject({ replayPaused: false });
    await until('an alert that clears it', async () => ofEvent('replication.alert').find((a) => a.serviceId === 'main' && a.level === 'ok' && a.previous === 'warn'));

    const history = await t.call('replication.history', { serviceId: 'main' });
    expect(history.sampling).toBe(true);
    expect(history.intervalMs).toBe(1000);
    const series = history.samples.map((s) => s.points.find((p) => p.serviceId === 'replica')?.replayLagBytes ?? 0);
    expect(Math.max(...series)).toBeGreaterThan(0);
    expect(series.at(-1)).toBe(0);
    expect((await t.call('replication.stopSampling', { serviceId: 'main' })).stopped).toBe(true);
    expect((await t.call('replication.history', { serviceId: 'main' })).sampling).toBe(false);
  });

  it('shows an inactive slot retaining more WAL as the primary writes', async () => {
    await pair.primary.query("select pg_create_physical_replication_slot('idle_slot', true)");
    const before = (await pgStatus('main')).slots.find((s) => s.name === 'idle_slot')!;
    expect(before).toMatchObject({ active: false, slotType: 'physical', walStatus: 'reserved' });
    expect(before.retainedBytes).toBeGreaterThanOrEqual(0);
    await pair.primary.query("insert into items select g, repeat('z', 200) from generate_series(1, 5000) g");
    await pair.primary.query('select pg_switch_wal()');
    const after = (await pgStatus('main')).slots.find((s) => s.name === 'idle_slot')!;
    expect(after.retainedBytes!).toBeGreaterThan(before.retainedBytes! + 1_000_000);
    expect(after.restartLsn).toBe(before.restartLsn);
  });

  it('shows a failing archive_command in the archiver status', async () => {
    await pair.primary.query('select pg_switch_wal()');
    const main = await until('a failed archive attempt', async () => {
      const v = await pgStatus('main');
      return (v.archiver?.failedCount ?? 0) > 0 && v;
    });
    expect(main.archiver).toMatchObject({ archiveMode: 'on', failing: true, archivedCount: 0 });
    expect(main.archiver?.lastFailedWal).toMatch(/^[0-9A-F]{24}$/);
    expect(Date.parse(main.archiver!.lastFailedTime!)).toBeGreaterThan(Date.now() - 120_000);
    expect(main.health).toBe('broken');
    expect(main.issues[0]).toContain('archive_command is failing');
  });

  it('shows a stopped standby as disconnected on the primary and broken in the overview, not healthy', async () => {
    await pgStatus('replica'); // remembered as the standby of main
    await pair.standby.stop();
    const main = await until('no walsender for the standby', async () => {
      const v = await pgStatus('main');
      return standbyRow(v, 'replica')?.state === 'disconnected' && v;
    });
    expect(standbyRow(main, 'replica')).toMatchObject({ health: 'broken', replayLsn: null });
    expect(main.issues.join(' ')).toContain('replica is disconnected');
    const overview = await t.call('replication.overview', {});
    expect(overview.find((r) => r.serviceId === 'replica')).toMatchObject({ health: 'broken', error: { code: 'UNREACHABLE' } });
    expect(overview.find((r) => r.serviceId === 'main')).toMatchObject({ health: 'broken', role: 'primary' });
  });
});

describe('promoting a standby', () => {
  let pair: StandbyPair;

  beforeAll(async () => {
    pair = await startPrimaryWithStandby({ superuserPassword: password, standbyName: 'b_standby' });
    await pair.primary.query('create table orders (id int primary key)');
    await pair.primary.query('insert into orders values (1)');
    await pair.waitForReplay();
    await register('b-main', pair.primary.port);
    await register('b-replica', pair.standby.port);
  });

  afterAll(async () => {
    await pair?.stop();
  });

  it('refuses while the old primary answers, then promotes once it is down, and the standby takes writes', async () => {
    const check = await t.call('replication.promotionCheck', { serviceId: 'b-replica' });
    expect(check).toMatchObject({ isStandby: true, unreplayedBytes: 0, needsFencingConfirmation: true, oldPrimary: { address: `127.0.0.1:${pair.primary.port}`, serviceId: 'b-main', reachable: true } });
    expect(check.manualSteps).toContain('pg_promote(wait => true');

    await expect(t.call('replication.promote', { serviceId: 'b-replica', confirm: 'b-main', fencedConfirmed: true })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(t.call('replication.promote', { serviceId: 'b-replica', confirm: 'b-replica', fencedConfirmed: false })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('still accepts connections') });
    expect((await pgStatus('b-replica')).role).toBe('standby');

    await pair.primary.stop();
    const down = await t.call('replication.promotionCheck', { serviceId: 'b-replica' });
    expect(down.oldPrimary.reachable).toBe(false);
    expect(down.needsFencingConfirmation).toBe(false);

    const record = await t.call('replication.promote', { serviceId: 'b-replica', confirm: 'b-replica', fencedConfirmed: false });
    expect(record).toMatchObject({ outcome: 'promoted', serviceId: 'b-replica', newTimeline: 2 });
    await pair.standby.query('insert into orders values (2)');
    expect(await pair.standby.query('select id from orders order by id')).toEqual([{ id: 1 }, { id: 2 }]);

    const after = await pgStatus('b-replica');
    expect(after.role).toBe('primary');
    expect(after.timeline).toBe(2);
    expect(after.standby).toBeUndefined();

    const lines = (await readFile(join(t.dataDir, 'state', 'promotions.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { outcome: string; serviceId: string });
    expect(lines.map((l) => [l.serviceId, l.outcome])).toEqual([['b-replica', 'refused'], ['b-replica', 'promoted']]);
    expect((await t.call('replication.promotions', { serviceId: 'b-replica' }))[0]?.outcome).toBe('promoted');
  });
});
