// Promotion of a PostgreSQL standby: what it would lose (WAL received but not replayed, WAL the old primary
// has that never arrived), whether the old primary still answers, and the promotion itself with
// pg_promote(wait => true), refused unless the typed name matches and the old primary is unreachable or
// confirmed fenced. Every attempt, refused or not, is recorded.
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import type { Service } from '../../shared/domain';
import type { PromotionCheck, PromotionRecord } from '../../shared/replication';
import { withPgClient } from '../engines/postgres/pgClient';
import { LifeboatError, toWireError } from '../lifeboatError';
import type { ActivityLog } from '../logging/activityLog';
import { resolvePassword } from '../secrets/resolvePassword';
import { lsnDistance } from './lsnMath';
import { readPostgresReplicationFacts } from './postgresReplicationFacts';
import { addressOf, knownRoleOf, sameAddress } from './postgresReplicationView';
import { serviceAddress, type PostgresStatusDeps } from './postgresReplicationStatus';
import type { PromotionJournal } from './promotionJournal';
import { promotionManualSteps } from './promotionManualSteps';

export interface PromotionDeps extends PostgresStatusDeps {
  journal: PromotionJournal;
  log: ActivityLog;
}

const PROBE_TIMEOUT_MS = 3000;

/** Can anything still connect to host:port? A refused or timed-out TCP connection means no. */
export function probeTcp(address: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<{ reachable: boolean; detail: string }> {
  const i = address.lastIndexOf(':');
  const host = address.slice(0, i);
  const port = Number(address.slice(i + 1));
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (reachable: boolean, detail: string) => {
      socket.destroy();
      resolve({ reachable, detail });
    };
    socket.setTimeout(timeoutMs, () => done(false, `no answer from ${address} within ${timeoutMs} ms`));
    socket.once('connect', () => done(true, `${address} accepts TCP connections`));
    socket.once('error', (err: NodeJS.ErrnoException) => done(false, `${address}: ${err.code ?? err.message}`));
  });
}

/** host and port in a primary_conninfo string. */
export function conninfoAddress(conninfo: string): string | null {
  const host = /(?:^|\s)host(?:addr)?=('[^']*'|\S+)/.exec(conninfo)?.[1]?.replace(/'/g, '');
  const port = /(?:^|\s)port=('[^']*'|\S+)/.exec(conninfo)?.[1]?.replace(/'/g, '');
  return host ? `${host}:${port ?? 5432}` : null;
}

function bytesText(n: number | null): string {
  if (n === null) return 'an unknown amount';
  return n < 1024 ? `${n} bytes` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`;
}

export async function checkPromotion(service: Service, deps: PostgresStatusDeps): Promise<PromotionCheck> {
  const password = await resolvePassword(service, deps.secrets, deps.env);
  const { facts, conninfo, dataDirectory } = await withPgClient(service.connection, password, async (c) => {
    const f = await readPostgresReplicationFacts(c);
    const info = f.identity.in_recovery ? await c.query<{ v: string }>(`select current_setting('primary_conninfo') as v`).then((r) => r.rows[0]?.v ?? '', () => '') : '';
    const dir = await c.query<{ v: string }>(`select current_setting('data_directory') as v`).then((r) => r.rows[0]?.v ?? null, () => null);
    return { facts: f, conninfo: info, dataDirectory: dir };
  });
  await deps.memory.remember(service.id, knownRoleOf(facts));
  const r = facts.receiver;
  const p = facts.replay;
  const oldAddress = r?.sender_host && r.sender_port ? addressOf(r.sender_host, r.sender_port) : conninfo ? conninfoAddress(conninfo) : null;
  const oldService = oldAddress ? deps.fleet.list().find((s) => s.engine === 'postgres' && s.id !== service.id && sameAddress(serviceAddress(s), oldAddress)) : undefined;
  const probe = oldAddress ? await probeTcp(oldAddress) : { reachable: null, detail: 'The standby names no upstream (no WAL receiver, no primary_conninfo).' };

  // What never arrived: measured on the old primary when it answers and is registered, else the upstream's
  // last reported end of WAL (a lower bound: it may have written more since).
  let unreceived = lsnDistance(r?.latest_end_lsn, p?.receive_lsn);
  if (oldService && probe.reachable) {
    const end = await withPgClient(oldService.connection, await resolvePassword(oldService, deps.secrets, deps.env), async (c) => (await c.query<{ lsn: string }>(`select (case when pg_is_in_recovery() then pg_last_wal_receive_lsn() else pg_current_wal_lsn() end)::text as lsn`)).rows[0]?.lsn, { timeoutMs: PROBE_TIMEOUT_MS }).catch(() => undefined);
    if (end) unreceived = lsnDistance(end, p?.receive_lsn);
  }
  const unreplayed = p?.unreplayed_bytes ?? null;
  const isStandby = facts.identity.in_recovery;
  const wouldLose = !isStandby
    ? `${service.id} is not a standby (pg_is_in_recovery() is false): there is nothing to promote.`
    : [
        `WAL received but not yet replayed: ${bytesText(unreplayed)} (replayed before promotion completes, so not lost${p?.replay_paused ? '; replay is paused and will be resumed by the promotion' : ''}).`,
        `WAL on the old primary that never reached this standby: ${unreceived === null ? 'unknown' : bytesText(unreceived)}${oldService && probe.reachable ? ' (measured on the old primary)' : ' (at least; from the last position the upstream reported)'} — lost on promotion.`,
        p?.replay_delay_seconds !== null && p?.replay_delay_seconds !== undefined ? `Last replayed commit was ${Math.round(p.replay_delay_seconds)} s ago${unreplayed === 0 ? ' (an idle primary makes this grow with nothing missing)' : ''}.` : 'No commit replayed yet.',
      ].join(' ');
  return {
    serviceId: service.id,
    checkedAt: facts.readAt,
    isStandby,
    receiveLsn: p?.receive_lsn ?? null,
    replayLsn: p?.replay_lsn ?? null,
    unreplayedBytes: unreplayed,
    unreceivedBytes: unreceived,
    replayDelaySeconds: p?.replay_delay_seconds ?? null,
    replayPaused: p?.replay_paused ?? false,
    oldPrimary: { address: oldAddress, serviceId: oldService?.id, reachable: probe.reachable, detail: probe.detail },
    needsFencingConfirmation: probe.reachable !== false,
    wouldLose,
    manualSteps: promotionManualSteps({ serviceId: service.id, standbyAddress: serviceAddress(service), dataDirectory, oldPrimaryAddress: oldAddress, oldPrimaryServiceId: oldService?.id }),
  };
}

export async function promoteStandby(service: Service, input: { confirm: string; fencedConfirmed: boolean }, deps: PromotionDeps): Promise<PromotionRecord> {
  if (input.confirm !== service.id)
    throw new LifeboatError('CONFLICT', `Type the service's id (${service.id}) to promote it.`, 'Promotion makes this standby a primary on a new timeline; it cannot be undone.');
  const requestedAt = new Date().toISOString();
  const started = Date.now();
  const check = await checkPromotion(service, deps);
  const base = { id: randomUUID(), serviceId: service.id, requestedAt, osUser: userInfo().username, check, fencedConfirmed: input.fencedConfirmed };
  const refuse = async (error: LifeboatError): Promise<never> => {
    await deps.journal.append({ ...base, finishedAt: new Date().toISOString(), outcome: 'refused', durationMs: Date.now() - started, error: error.toWire() });
    await deps.log.write({ level: 'warn', event: 'replication.promote.refused', serviceId: service.id, detail: error.message });
    throw error;
  };
  if (!check.isStandby) await refuse(new LifeboatError('CONFLICT', `${service.id} is not a standby: it is already a primary.`, 'Nothing to promote.'));
  if (check.needsFencingConfirmation && !input.fencedConfirmed)
    await refuse(
      new LifeboatError(
        'CONFLICT',
        check.oldPrimary.reachable ? `The old primary ${check.oldPrimary.address} still accepts connections.` : 'Lifeboat cannot tell which server is the old primary.',
        'Stop or fence the old primary first, or confirm that it is fenced (clients cannot reach it); two primaries accepting writes diverge.',
      ),
    );

  const password = await resolvePassword(service, deps.secrets, deps.env);
  try {
    const after = await withPgClient(service.connection, password, async (c) => {
      const promoted = (await c.query<{ ok: boolean }>('select pg_promote(wait => true, wait_seconds => 60) as ok')).rows[0]?.ok;
      if (!promoted) throw new LifeboatError('TIMEOUT', `${service.id} did not finish promotion within 60 s.`, 'Check the server log; pg_promote may still complete. Run the status again before retrying.');
      return (await c.query<{ in_recovery: boolean; lsn: string; timeline: number }>(`select pg_is_in_recovery() as in_recovery, pg_current_wal_lsn()::text as lsn, ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int as timeline`)).rows[0]!;
    });
    const record: PromotionRecord = { ...base, finishedAt: new Date().toISOString(), outcome: 'promoted', newTimeline: after.timeline, lsnAfter: after.lsn, durationMs: Date.now() - started };
    await deps.journal.append(record);
    await deps.log.write({ level: 'warn', event: 'replication.promoted', serviceId: service.id, detail: `timeline ${after.timeline} at ${after.lsn}` });
    await deps.memory.remember(service.id, { systemIdentifier: (await deps.memory.get(service.id))?.systemIdentifier ?? '', role: 'primary', upstream: null, applicationName: null, seenAt: record.finishedAt });
    return record;
  } catch (err) {
    const error = toWireError(err);
    await deps.journal.append({ ...base, finishedAt: new Date().toISOString(), outcome: 'failed', durationMs: Date.now() - started, error });
    await deps.log.write({ level: 'error', event: 'replication.promote.failed', serviceId: service.id, detail: error.message });
    throw err;
  }
}
