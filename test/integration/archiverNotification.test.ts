// A long-lived door samples the replication status of services whose policy sets replication thresholds, and
// a server whose archive_command starts failing raises an 'archiver-failed' notification naming the segment.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/api';
import { dispatchCall } from '../../src/core/doorDispatch';
import type { NotificationRecord } from '../../src/shared/monitoring';
import { useCluster } from '../support/useCluster';

const password = `pw-${randomBytes(6).toString('hex')}`;
const cluster = useCluster({ superuserPassword: password, settings: { archive_mode: 'on', archive_command: 'false' } });
let core: Core | undefined;

afterAll(async () => {
  await core?.close();
});

async function until(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('archiver failure notifications', () => {
  it('notifies when the server starts failing to archive WAL, naming the segment', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-archiver-'));
    const options = { configPath: join(dir, 'fleet.yaml'), dataDir: join(dir, 'data') };
    const setup = await createCore(options);
    const added = await dispatchCall(setup, 'services.add', {
      service: { id: 'orders', name: 'Orders', engine: 'postgres', connection: { ...cluster.connection('postgres'), password: { kind: 'keychain' } }, policy: { replication: { sampleInterval: '1s' } } },
      password,
    });
    expect(added.ok).toBe(true);
    await setup.close();

    core = await createCore({ ...options, runSchedules: true });
    const notifications: NotificationRecord[] = [];
    let samples = 0;
    core.events.subscribe((name, payload) => {
      if (name === 'monitoring.notification') notifications.push(payload as NotificationRecord);
      if (name === 'replication.sample') samples++;
    });
    await until(() => samples > 0, 'the first replication sample (the baseline)');
    const [{ f: segment }] = (await cluster.query<{ f: string }>('select pg_walfile_name(pg_current_wal_lsn()) as f')) as [{ f: string }];
    await cluster.query('create table t (id int); insert into t values (1)');
    await cluster.query('select pg_switch_wal()');
    await until(() => notifications.some((n) => n.kind === 'archiver-failed'), 'the archiver-failed notification');
    const n = notifications.find((x) => x.kind === 'archiver-failed')!;
    expect(n).toMatchObject({ serviceId: 'orders', severity: 'critical' });
    expect(n.message).toContain(segment);
    // The archiver retries; more failures of the same outage are not news.
    await cluster.query('select pg_switch_wal()');
    const after = samples;
    await until(() => samples >= after + 3, 'three more samples');
    expect(notifications.filter((x) => x.kind === 'archiver-failed')).toHaveLength(1);
  });
});
