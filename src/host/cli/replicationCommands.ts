// CLI commands for replication and HA status: `lifeboat replication <service>`, the fleet overview, and
// promotion of a PostgreSQL standby (typed confirmation, as in the UI).
import { parseArgs } from 'node:util';
import type { Core } from '../../core/api';
import { LifeboatError } from '../../core/lifeboatError';
import type {
  PostgresReplicationView,
  PromotionCheck,
  PromotionRecord,
  ReplicationOverviewRow,
  ReplicationView,
  SqlServerReplicationView,
  StandbyView,
} from '../../shared/replication';
import { table, type Output } from './cliOutput';
import { formatBytes } from './followJob';
import { call } from './callCore';
import { need, onlyArgument } from './cliArgs';
import { REPLICATION_USAGE } from './commandUsage';
import type { CommandRun } from './commandCatalog';
import { withCore } from './coreSession';


const dash = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '-' : String(v));
const bytes = (n: number | null | undefined) => (n === null || n === undefined ? '-' : formatBytes(n));
const seconds = (n: number | null | undefined) => (n === null || n === undefined ? '-' : `${n < 10 ? n.toFixed(2) : Math.round(n)} s`);

function standbyRows(list: StandbyView[], depth = 0): string[][] {
  return list.flatMap((s) => [
    [`${'  '.repeat(depth)}${s.applicationName}`, dash(s.serviceId), s.clientAddr ? `${s.clientAddr}:${s.clientPort}` : '-', s.state, dash(s.syncState), dash(s.replayLsn), bytes(s.replayLagBytes), seconds(s.replayLagSeconds), s.level],
    ...standbyRows(s.cascade ?? [], depth + 1),
  ]);
}

export function formatPostgresView(v: PostgresReplicationView): string {
  const lines = [`${v.serviceId}: ${v.role}, timeline ${dash(v.timeline)}, system ${v.systemIdentifier}, ${v.role === 'primary' ? 'end of WAL' : 'received up to'} ${dash(v.currentLsn)} — ${v.health}`];
  if (v.standby) {
    const s = v.standby;
    lines.push(
      '',
      `WAL receiver: ${s.receiverStatus ?? 'not running'}${s.senderHost ? ` from ${s.senderHost}:${s.senderPort}` : ''}${s.slotName ? ` (slot ${s.slotName})` : ''} as ${dash(s.applicationName)}`,
      `Received ${dash(s.receiveLsn)}, replayed ${dash(s.replayLsn)}: ${bytes(s.unreplayedBytes)} not replayed, at least ${bytes(s.unreceivedBytes)} not received${s.replayPaused ? '; REPLAY PAUSED' : ''}`,
      `Last replayed commit ${dash(s.lastReplayedCommitTime)} (${seconds(s.replayDelaySeconds)} ago${s.caughtUp ? '; caught up, so an idle primary explains the delay' : ''})`,
    );
  }
  if (v.standbys.length) lines.push('', 'Standbys', table(['NAME', 'SERVICE', 'CLIENT', 'STATE', 'SYNC', 'REPLAY LSN', 'BEHIND', 'REPLAY LAG', 'LEVEL'], standbyRows(v.standbys)));
  if (v.slots.length)
    lines.push('', 'Slots', table(['SLOT', 'TYPE', 'ACTIVE', 'RESTART LSN', 'RETAINED', 'WAL STATUS', 'SAFE WAL SIZE', 'LEVEL'], v.slots.map((s) => [s.name, s.slotType, s.active ? 'yes' : 'no', dash(s.restartLsn), bytes(s.retainedBytes), dash(s.walStatus), s.safeWalSizeBytes === null ? 'unlimited' : bytes(s.safeWalSizeBytes), s.level])));
  if (v.archiver) {
    const a = v.archiver;
    lines.push('', `Archiver (archive_mode ${a.archiveMode}): ${a.archivedCount} archived${a.lastArchivedWal ? ` (last ${a.lastArchivedWal} at ${a.lastArchivedTime})` : ''}, ${a.failedCount} failed${a.lastFailedWal ? ` (last ${a.lastFailedWal} at ${a.lastFailedTime})` : ''}${a.failing ? ' — FAILING' : ''}`);
  }
  if (v.issues.length) lines.push('', 'Issues', ...v.issues.map((i) => `  - ${i}`));
  return lines.join('\n');
}

export function formatSqlServerView(v: SqlServerReplicationView): string {
  const lines = [`${v.serviceId}: SQL Server ${v.serverName}, HADR ${v.hadrEnabled ? 'enabled' : 'disabled'} — ${v.health}`];
  for (const g of v.availabilityGroups) {
    lines.push('', `Availability group ${g.name} (primary ${dash(g.primaryReplica)}, ${dash(g.synchronizationHealth)})`);
    lines.push(table(['REPLICA', 'ROLE', 'MODE', 'FAILOVER', 'CONNECTED', 'HEALTH'], g.replicas.map((r) => [r.replicaServerName + (r.isLocal ? ' (local)' : ''), dash(r.role), r.availabilityMode, r.failoverMode, dash(r.connectedState), dash(r.synchronizationHealth)])));
    lines.push(table(['DATABASE', 'REPLICA', 'SYNC STATE', 'HEALTH', 'SEND QUEUE', 'REDO QUEUE', 'EST. LOSS', 'LAST COMMIT', 'LEVEL'], g.databases.map((d) => [d.databaseName, d.replicaServerName, dash(d.synchronizationState), dash(d.synchronizationHealth), d.logSendQueueKb === null ? '-' : `${d.logSendQueueKb} KB`, d.redoQueueKb === null ? '-' : `${d.redoQueueKb} KB`, seconds(d.estimatedDataLossSeconds), dash(d.lastCommitTime), d.level])));
  }
  if (v.logShipping.primaries.length)
    lines.push('', 'Log shipping (primary)', table(['DATABASE', 'LAST BACKUP', 'MINUTES AGO', 'THRESHOLD', 'STATE'], v.logShipping.primaries.map((p) => [p.primaryDatabase, dash(p.lastBackupDate), dash(p.minutesSinceBackup), `${p.backupThresholdMinutes} min`, p.overThreshold ? 'OVER' : 'ok'])));
  if (v.logShipping.secondaries.length)
    lines.push('', 'Log shipping (secondary)', table(['DATABASE', 'FROM', 'LAST COPY', 'LAST RESTORE', 'MINUTES AGO', 'LATENCY', 'THRESHOLD', 'STATE'], v.logShipping.secondaries.map((s) => [s.secondaryDatabase, `${s.primaryServer}.${s.primaryDatabase}`, dash(s.lastCopiedDate), dash(s.lastRestoredDate), dash(s.minutesSinceRestore), s.lastRestoredLatencyMinutes === null ? '-' : `${s.lastRestoredLatencyMinutes} min`, `${s.restoreThresholdMinutes} min`, s.overThreshold ? 'OVER' : 'ok'])));
  if (v.issues.length) lines.push('', 'Issues', ...v.issues.map((i) => `  - ${i}`));
  if (v.failoverGuidance.length) lines.push('', 'Failover (run by a DBA, never by Lifeboat)', ...v.failoverGuidance.map((g) => `  - ${g}`));
  return lines.join('\n');
}

function formatCheck(c: PromotionCheck): string {
  return [
    `${c.serviceId}: ${c.isStandby ? 'standby' : 'not a standby'}; received ${dash(c.receiveLsn)}, replayed ${dash(c.replayLsn)}${c.replayPaused ? ', replay paused' : ''}`,
    `Old primary ${dash(c.oldPrimary.address)}${c.oldPrimary.serviceId ? ` (${c.oldPrimary.serviceId})` : ''}: ${c.oldPrimary.reachable === null ? 'unknown' : c.oldPrimary.reachable ? 'STILL REACHABLE' : 'unreachable'} — ${c.oldPrimary.detail}`,
    c.wouldLose,
    c.needsFencingConfirmation ? 'Promotion needs --fenced: confirm the old primary cannot take writes.' : 'The old primary does not answer: promotion needs only --confirm.',
    '',
    c.manualSteps,
  ].join('\n');
}

export async function replicationCommand(core: Core, args: string[], out: Output): Promise<number> {
  const [first, ...rest] = args;
  switch (first) {
    case 'overview': {
      const rows = await call<ReplicationOverviewRow[]>(core, 'replication.overview', {});
      out.result(rows, () => (rows.length ? table(['SERVICE', 'ENGINE', 'ROLE', 'HEALTH', 'SUMMARY'], rows.map((r) => [r.serviceId, r.engine, r.role, r.health, r.summary])) : 'No services registered.'));
      return 0;
    }
    case 'promotion-check': {
      const c = await call<PromotionCheck>(core, 'replication.promotionCheck', { serviceId: onlyArgument(rest, 'a service id', REPLICATION_USAGE) });
      out.result(c, () => formatCheck(c));
      return 0;
    }
    case 'promote': {
      const { values, positionals } = parseArgs({ args: rest, options: { confirm: { type: 'string' }, fenced: { type: 'boolean' } }, allowPositionals: true });
      const r = await call<PromotionRecord>(core, 'replication.promote', { serviceId: need(positionals[0], 'a service id', REPLICATION_USAGE), confirm: values.confirm ?? '', fencedConfirmed: !!values.fenced });
      out.result(r, () => `Promoted ${r.serviceId}: now a primary on timeline ${r.newTimeline} at ${r.lsnAfter} (${r.durationMs} ms). Repoint clients and other standbys, restart WAL streaming and take a base backup.`);
      return 0;
    }
    case 'status':
    default: {
      const serviceId = need(first === 'status' ? rest[0] : first, 'a service id', REPLICATION_USAGE);
      const v = await call<ReplicationView>(core, 'replication.status', { serviceId });
      out.result(v, () => (v.engine === 'postgres' ? formatPostgresView(v) : formatSqlServerView(v)));
      return 0;
    }
  }
}

export async function run(r: CommandRun): Promise<number> {
  return withCore(r, (core) => replicationCommand(core, r.args, r.out));
}
