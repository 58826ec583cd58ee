// Fleet-wide views when a host hangs, on a real cluster: a service whose server accepts connections and never
// answers (a listener of the test that holds every socket) makes only its server facts unknown, with the
// reason and the last value it gave while it still answered; the views drop its sockets at the time limit
// instead of waiting for a connect timeout; the dashboard, the fleet page and the report judge by one rule.
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceCompliance } from '../../src/shared/monitoring';
import { startTestCore, type TestCore } from '../support/testCore';
import { until } from '../support/until';
import { useCluster } from '../support/useCluster';

const password = `pw-${randomBytes(6).toString('hex')}`;
const cluster = useCluster({
  superuserPassword: password,
  setup: async (c) => {
    for (const db of ['orders', 'billing']) {
      await c.query(`create database ${db}`);
      await c.query('create table items (id int primary key); insert into items values (1), (2)', [], db);
    }
  },
});
let t: TestCore;
let hung: Server;
let hungPort: number;
const held = new Set<Socket>();
let accepted = 0;

beforeAll(async () => {
  hung = createServer((socket) => {
    accepted++;
    held.add(socket);
    socket.resume(); // reads and ignores the startup packet, so it sees the client hang up
    socket.on('close', () => held.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
  hungPort = (hung.address() as { port: number }).port;
  t = await startTestCore(undefined, { env: { ...process.env, LIFEBOAT_SERVER_TIME_LIMIT_MS: '1000' } });
  await t.call('repo.init', { path: join(t.dir, 'repo'), encrypt: true });
  for (const id of ['orders', 'billing'])
    await t.call('services.add', { service: { id, name: id, engine: 'postgres', team: id === 'orders' ? 'checkout' : 'finance', connection: { ...cluster.connection(id), password: { kind: 'keychain' } }, policy: { rpo: '1h', rto: '30m' } }, password });
  const jobs = await t.call('backups.start', { serviceIds: ['orders', 'billing'], kind: 'logical' });
  for (const j of jobs) expect((await t.core.jobs.wait(j.id)).state).toBe('succeeded');
});

afterAll(async () => {
  await t?.close();
  for (const s of held) s.destroy();
  hung?.close();
});

const row = (rows: ServiceCompliance[], id: string) => rows.find((r) => r.serviceId === id)!;

describe('fleet views with a host that accepts connections and never answers', () => {
  let learnedAt: string;
  let billingSummary: string;

  it('learns every fact while the host answers', async () => {
    const view = await t.call('monitoring.fleet', {});
    learnedAt = view.generatedAt;
    expect(view.timeLimitMs).toBe(1000);
    expect(view.services.map((s) => s.serviceId).sort()).toEqual(['billing', 'orders']);
    expect(row(view.services, 'billing')).toMatchObject({ team: 'finance', unknown: [], replication: { health: 'none' }, backup: { level: 'ok' } });
    billingSummary = (await t.call('replication.overview', {})).find((r) => r.serviceId === 'billing')!.summary;
  });

  it('shows only its server facts as unknown, with the reason and the last value it gave, and drops its sockets at the limit', async () => {
    const billing = (await t.call('services.get', { id: 'billing' })).service;
    await t.call('services.update', { service: { ...billing, connection: { ...billing.connection, port: hungPort } } });
    const before = accepted;
    const view = await t.call('monitoring.fleet', {});
    const stuck = row(view.services, 'billing');
    expect(accepted).toBeGreaterThan(before); // the views did ask the hung host...
    await until('the hung host\'s sockets closed by Lifeboat', async () => held.size === 0); // ...and gave up on it
    expect(stuck.replication).toMatchObject({ level: 'unknown', health: 'unknown' });
    expect(stuck.replication.text).toBe(`unknown: no answer within 1 s (TIMEOUT), last known none: ${billingSummary} at ${learnedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}`);
    expect(stuck.unknown.map((u) => u.fact).sort()).toEqual(['replication', 'wal']);
    expect(stuck.unknown.find((u) => u.fact === 'wal')!.lastKnown?.at).toBe(learnedAt);
    // What the repository says is still known: its backup, judged against the RPO.
    expect(stuck.backup).toMatchObject({ level: 'ok' });
    expect(stuck.backup.lastGoodAt).toBeDefined();
    expect(row(view.services, 'orders')).toMatchObject({ unknown: [], replication: { health: 'none' } });
  });

  it('says the same in the dashboard, the replication overview, the report and the runbooks', async () => {
    const [fleet, dashboard, overview] = await Promise.all([t.call('monitoring.fleet', {}), t.call('monitoring.dashboard', {}), t.call('replication.overview', {})]);
    const verdicts = (rows: ServiceCompliance[]) => rows.map((r) => ({ id: r.serviceId, state: r.state, backup: r.backup.level, rto: r.rto.level, replication: r.replication.level }));
    expect(verdicts(dashboard.services)).toEqual(verdicts(fleet.services));
    // Nothing is known of its replication: unknown, never "broken".
    expect(overview.find((r) => r.serviceId === 'billing')).toMatchObject({ health: 'unknown', error: { code: 'TIMEOUT' } });

    const report = (await t.call('runbooks.render', { document: { kind: 'report', days: 30 }, format: 'md' })).content;
    const complianceRow = (id: string) => report.split('\n').find((l) => l.startsWith(`| \`${id}\` | 1h |`))!;
    // The report's verdicts are the rule's levels in words: the RPO met (the repository answered), the RTO
    // unknown: the dashboard's amber "No drill yet" is no measurement.
    expect(complianceRow('billing')).toMatch(/^\| `billing` \| 1h \| .* \| \*\*met\*\* \| 30m \| never drilled \| \*\*unknown\*\* \|$/);
    expect(dashboard.services.find((s) => s.serviceId === 'billing')!.rto).toMatchObject({ level: 'warning', text: 'No drill yet (RTO 30 min)' });
    expect(report).toMatch(/WAL status unknown: no answer within 1 s \(TIMEOUT\), last known not streaming/);

    const runbooks = (await t.call('runbooks.render', { document: { kind: 'runbooks' }, format: 'md' })).content;
    expect(runbooks.match(/^# Runbook: /gm)).toHaveLength(2);
    // The hung service's runbook: its two server facts unknown with the last value; nothing else waited on it.
    // (The topology and promotion sections, drawn from replication, say the same reason on lines of their own.)
    const noAnswer = runbooks.split('\n').filter((l) => l.startsWith('|') && l.includes('no answer within'));
    expect(noAnswer.map((l) => l.split(' | ')[0])).toEqual(['| WAL streaming', '| Replication']);
    expect(noAnswer[1]).toMatch(/^\| Replication \| unknown: no answer within 1 s \(TIMEOUT\), last known none: .* at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \|$/);
    expect(noAnswer[0]).toMatch(/^\| WAL streaming \| unknown: no answer within 1 s \(TIMEOUT\), last known not streaming at /);
  });
});
