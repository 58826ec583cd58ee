// Gathers one service's runbook facts from the contract's handlers and the repository: identity, policy,
// current state and procedures. Each fact is read on its own: a server that does not answer makes that fact
// "unknown: <reason>", never the document fail.
import { describeFolder } from '../repository/store/storeFolder';
import { repositoryView } from '../backups/repositoryView';
import { join } from 'node:path';
import type { Handlers } from '../../shared/contract';
import type { Service } from '../../shared/domain';
import type { BackupView, RepositoryView } from '../../shared/backups';
import type { DrillView, WindowView } from '../../shared/recovery';
import type { ReplicationView } from '../../shared/replication';
import type { SqlWindowView } from '../../shared/sqlServerViews';
import type { CoreDeps } from '../coreDeps';
import { keyAccount } from '../repository/repositoryKeys';
import { promotionManualSteps } from '../replication/promotionManualSteps';
import { resolvePassword } from '../secrets/resolvePassword';
import { LIFEBOAT_VERSION } from '../version';
import { serviceRestoreCommands } from '../wal/restoreCommands';
import { listWalEntries } from '../wal/walArchive';
import type { BackupFact, DrillFact, Fact, RunbookModel, ServiceIdentity, WindowFact } from './documentModel';
import { describePolicyDuration, formatAge, formatBytes, formatDuration, formatTime } from '../formatFacts';
import { postgresProcedures, TARGET_TIME_PLACEHOLDER } from './postgresProcedures';
import { sqlServerProcedures } from './sqlServerProcedures';
import { sqlVerificationFact } from './sqlVerificationFact';
import { windowTimelineSvg } from './windowTimelineSvg';
import { fact, mapFact } from '../fleet/fact';
import { existingEngineOf } from '../engines/existingEngineOf';
import { engineRunbookCommands } from '../engines/engineRunbookCommands';

export interface GatherOptions {
  /** Where the repository key file lives on database servers (restore_command). */
  serverKeyFile: string;
  tablespaceMapping?: Record<string, string>;
  now?: Date;
  /** Every service's replication view, read once for a document of many runbooks (replication.statuses). */
  replication?: Promise<Map<string, Fact<ReplicationView>>>;
}


function replicationSummary(r: ReplicationView): string {
  return `${r.health}${r.issues.length ? `: ${r.issues.join('; ')}` : ''}`;
}

const ENGINE_LABEL = { postgres: 'PostgreSQL', sqlserver: 'SQL Server' } as const;

export function serviceIdentity(s: Service): ServiceIdentity {
  const pw = s.connection.password;
  return {
    id: s.id,
    name: s.name,
    engine: s.engine,
    engineLabel: ENGINE_LABEL[s.engine],
    owner: s.owner,
    team: s.team,
    contacts: s.contacts ?? [],
    tags: s.tags,
    host: s.connection.host,
    port: s.connection.port,
    database: s.connection.database,
    user: s.connection.user,
    tls: s.connection.tls,
    instance: s.connection.instance,
    passwordSource:
      pw.kind === 'keychain' ? 'OS keychain' : pw.kind === 'env' ? `environment variable ${pw.variable}` : pw.kind === 'passfile' ? `password file${pw.path ? ` ${pw.path}` : ' (~/.pgpass)'}` : 'none (trust, certificate or peer)',
  };
}

export function backupFact(b: BackupView, now: number): BackupFact {
  return { id: b.id, kind: b.kind, finishedAt: b.finishedAt, age: formatAge(b.finishedAt, now), size: formatBytes(b.storedBytes) };
}

export function drillFact(d: DrillView): DrillFact {
  const failed = d.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.error ?? c.value}`);
  return {
    at: d.finishedAt,
    ok: d.ok,
    rtoMs: d.rtoMs,
    rto: d.rtoMs === undefined ? '-' : formatDuration(d.rtoMs),
    target: d.target,
    pointReached: d.pointReached,
    detail: d.ok ? `passed${d.checks.length ? ` (${d.checks.map((c) => `${c.name} = ${c.value}`).join(', ')})` : ''}` : (d.error?.message ?? failed.join('; ') ?? 'failed'),
  };
}

export function postgresWindowFact(w: WindowView): WindowFact {
  if (!w.intervals.length) throw new Error('no recoverable window: no physical backup with the WAL it needs');
  const from = w.intervals.map((i) => i.from).sort()[0]!;
  const to = w.intervals.map((i) => i.to).sort().at(-1)!;
  const gaps = w.gaps.map((g) => `timeline ${g.timeline}: WAL ${g.firstMissing}..${g.lastMissing} missing (${g.segments} segment${g.segments === 1 ? '' : 's'})${g.after ? ` after ${formatTime(g.after)}` : ''}${g.before ? `, before ${formatTime(g.before)}` : ''}`);
  const intervals = w.intervals.map((i) => ({ label: `timeline ${i.timeline}`, from: i.from, to: i.to }));
  return {
    from,
    to,
    intervals,
    gaps,
    svg: windowTimelineSvg({ title: `Recoverable window of ${w.serviceId}`, intervals, gaps: w.gaps.map((g) => ({ from: g.after, to: g.before })), backups: w.backups.filter((b) => b.usable).map((b) => ({ id: b.id, at: b.stopTime })), now: w.now }),
  };
}

export function sqlWindowFact(w: SqlWindowView): WindowFact {
  const ivs = w.window.intervals;
  if (!ivs.length) throw new Error(`no recoverable window for ${w.databaseName}: no full backup with a log chain`);
  const intervals = ivs.map((i) => ({ label: w.databaseName, from: i.from, to: i.to }));
  const gaps: string[] = [];
  for (let k = 1; k < ivs.length; k++) gaps.push(`${formatTime(ivs[k - 1]!.to)} to ${formatTime(ivs[k]!.from)}`);
  return {
    from: ivs.map((i) => i.from).sort()[0]!,
    to: ivs.map((i) => i.to).sort().at(-1)!,
    intervals,
    gaps,
    svg: windowTimelineSvg({ title: `Recoverable window of ${w.serviceId}`, intervals, gaps: ivs.slice(1).map((iv, k) => ({ from: ivs[k]!.to, to: iv.from })), backups: w.sets.filter((s) => s.type === 'D').map((s) => ({ id: s.id, at: s.backupFinishDate })), now: w.now }),
  };
}

function retentionText(s: Service): string {
  const r = s.policy.retention;
  if (!r || (!r.keep && !r.days)) return 'not set (every backup is kept)';
  return [r.keep && `keep the newest ${r.keep}`, r.days && `keep ${r.days} days`].filter(Boolean).join(', ');
}

function schedulesText(s: Service): string[] {
  const schedules = s.policy.schedules ?? [];
  return schedules.map((x) => `${x.kind}: cron "${x.cron}" (${x.timeZone})`);
}

function policyOf(service: Service, backupLocation: string, walLocation: string, encryption: RunbookModel['policy']['encryption']): RunbookModel['policy'] {
  const p = service.policy;
  return { rpo: describePolicyDuration(p.rpo), rto: describePolicyDuration(p.rto), retention: retentionText(service), schedules: schedulesText(service), backupLocation, walLocation, encryption };
}

/** An unknown server fact with the last value a fleet view learned for it (lastKnownFacts.ts). */
function recalled<T>(deps: CoreDeps, serviceId: string, name: 'replication' | 'wal', f: Fact<T>): Fact<T> {
  if (f.known) return f;
  const previous = deps.lastKnown.recall(serviceId, name);
  return previous ? { ...f, lastKnown: previous } : f;
}

export async function gatherRunbook(h: Handlers, deps: CoreDeps, serviceId: string, options: GatherOptions): Promise<RunbookModel> {
  const now = options.now ?? new Date();
  const nowMs = now.getTime();
  const service = deps.access.requireService(serviceId);
  const identity = serviceIdentity(service);
  // A service backed up by pgBackRest or Barman: the engine's repository, encryption and commands.
  const engine = existingEngineOf(service);
  const engineFacts = engine && fact(() => engine.repositoryFacts());
  // Every independent read starts at once: inside a fleet view's deadline, a server that does not answer
  // costs one time limit, not one per read.
  const sqlReads =
    service.engine === 'sqlserver'
      ? Promise.all([
          fact(() => h['sqlserver.window']({ serviceId })),
          fact(() => h['sqlserver.drills']({ serviceId })),
          fact(() => h['sqlserver.plan']({ serviceId, target: { kind: 'latest' }, asDatabase: `${service.connection.database}_restored` })),
          fact(() => h['sqlserver.verifications']({ serviceId, limit: 100 })),
        ])
      : undefined;
  const postgresReads =
    service.engine === 'postgres'
      ? Promise.all([
          fact<BackupView[]>(() => h['backups.list']({ serviceId })),
          fact<WindowView>(() => h['window.get']({ serviceId })),
          fact(() => h['wal.status']({ serviceId })),
          fact(() => h['drills.list']({ serviceId })),
        ])
      : undefined;
  const [repo, view, replicationNow] = await Promise.all([
    fact(() => deps.access.repositoryFor(service)),
    fact(() => h['services.get']({ id: serviceId })),
    options.replication?.then((views) => views.get(serviceId) ?? fact<ReplicationView>(() => h['replication.status']({ serviceId }))) ?? fact<ReplicationView>(() => h['replication.status']({ serviceId })),
  ]);
  const replication = recalled(deps, serviceId, 'replication', replicationNow);
  const repoInfo = await fact<RepositoryView | null>(async () => {
    if (!repo.known) throw new Error(repo.reason);
    return repositoryView(repo.value, deps.secrets);
  });
  const version = await fact(() => {
    const report = view.known ? view.value.lastTest?.report : undefined;
    if (!report) throw new Error(view.known ? (view.value.lastTest?.error?.message ?? 'never tested: run "lifeboat services test"') : view.reason);
    return { serverVersion: report.serverVersion, testedAt: report.testedAt };
  });
  const sources = [`fleet file ${deps.configPath}`];
  if (engine) sources.push(`${engine.label} ${engine.place}`);
  else if (repo.known) sources.push(`backup repository ${repo.value.root}`);
  sources.push(`${identity.engineLabel} server ${identity.host}:${identity.port}${replication.known ? ` (read ${formatTime(replication.value.checkedAt)})` : ' (not reachable)'}`);
  const keychainEntry = (fp: string) => `service "Lifeboat", account "${keyAccount(fp)}"`;
  const encryption: RunbookModel['policy']['encryption'] = await fact(async () => {
    if (engine) {
      const f = await engineFacts!;
      if (!f.known) throw new Error(f.reason);
      const where = `${engine.label}'s own configuration on the host that runs it (Lifeboat never reads or keeps it)`;
      return f.value.encrypted ? { encrypted: true, description: `by ${engine.label}`, keyHeldIn: where } : { encrypted: false, description: `off: ${engine.label}'s repository is not encrypted`, keyHeldIn: '-' };
    }
    if (service.engine === 'sqlserver') {
      const p = service.policy.sqlServer;
      return p?.encryptionCertificate
        ? { encrypted: true, description: `${p.encryptionAlgorithm ?? 'AES_256'} with certificate ${p.encryptionCertificate}`, keyHeldIn: `certificate ${p.encryptionCertificate} in the server's master database (back it up with BACKUP CERTIFICATE)` }
        : { encrypted: false, description: 'off: backups are not encrypted by SQL Server', keyHeldIn: '-' };
    }
    if (!repoInfo.known) throw new Error(repoInfo.reason);
    const r = repoInfo.value!;
    return r.encrypted
      ? { encrypted: true, description: `AES-256-GCM, key fingerprint ${r.keyFingerprint}`, keyHeldIn: `OS keychain, ${keychainEntry(r.keyFingerprint!)}${r.keyAvailable ? ' (present on the computer that generated this)' : ' (NOT in the keychain of the computer that generated this)'}` }
      : { encrypted: false, description: 'off: the repository is not encrypted', keyHeldIn: '-' };
  });

  const topology: RunbookModel['topology'] = await fact(() => {
    if (!replication.known) throw new Error(replication.reason);
    const r = replication.value;
    if (r.engine === 'postgres')
      return { role: r.role, health: r.health, issues: r.issues, nodes: r.topology.map((n) => ({ label: `${n.address}${n.serviceId ? ` (${n.serviceId})` : ''}${n.applicationName ? ` [${n.applicationName}]` : ''}`, role: n.role, state: n.state, health: n.health })) };
    return {
      role: r.availabilityGroups.length ? 'availability group member' : 'standalone',
      health: r.health,
      issues: r.issues,
      nodes: r.availabilityGroups.flatMap((g) => g.replicas.map((rep) => ({ label: `${rep.replicaServerName} (${g.name})`, role: rep.role ?? 'unknown', state: rep.connectedState ?? '-', health: rep.synchronizationHealth ?? '-' }))),
    };
  });

  const base = {
    title: `Runbook: ${service.name} (${service.id})`,
    generatedAt: now.toISOString(),
    generator: `Lifeboat ${LIFEBOAT_VERSION}`,
    sources,
    service: identity,
    version,
    topology,
  };

  if (sqlReads) {
    const [win, drills, plan, verifications] = await sqlReads;
    const lastFull = await fact(() => {
      if (!win.known) throw new Error(win.reason);
      const full = win.value.sets.filter((s) => s.type === 'D' && !s.isDamaged).sort((a, b) => b.backupFinishDate.localeCompare(a.backupFinishDate))[0];
      return full ? { id: full.id, kind: 'full', finishedAt: full.backupFinishDate, age: formatAge(full.backupFinishDate, nowMs), size: formatBytes(full.compressedSizeBytes ?? full.backupSizeBytes ?? Number.NaN) } : null;
    });
    return {
      ...base,
      policy: policyOf(service, service.policy.sqlServer?.backupDirectory ? `${service.policy.sqlServer.backupDirectory} (on the server)` : "the server's default backup directory", 'transaction log backups, in the same folder', encryption),
      state: {
        lastGoodBackup: lastFull,
        lastVerified: await mapFact(verifications, sqlVerificationFact),
        window: await mapFact(win, sqlWindowFact),
        walStreaming: { known: true, value: 'not applicable (log backups)' },
        lastDrill: await mapFact(drills, (d) => (d[0] ? drillFact(d[0]) : null)),
        replication: await mapFact(replication, replicationSummary),
      },
      procedures: sqlServerProcedures({ serviceId, database: service.connection.database, configPath: deps.configPath, plan }),
    };
  }

  const [backups, window, wal, drills] = await postgresReads!;
  const sorted = backups.known ? [...backups.value].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt)) : [];
  const good = sorted.filter((b) => b.lastVerification?.ok !== false);
  const lastLogical = good.find((b) => b.kind === 'logical');

  const pitr = await fact(async () => {
    if (engine) return engineRunbookCommands(service, engine, join(deps.dataDir, 'state'), TARGET_TIME_PLACEHOLDER);
    if (!repo.known) throw new Error(repo.reason);
    const repository = repo.value;
    const { commands, plan } = await serviceRestoreCommands({
      service,
      repo: repository,
      wal: await listWalEntries(repository, serviceId),
      target: { kind: 'latest' },
      timePlaceholder: TARGET_TIME_PLACEHOLDER,
      password: await resolvePassword(service, deps.secrets, deps.env),
      configPath: deps.configPath,
      keyFile: options.serverKeyFile,
      tablespaceMapping: options.tablespaceMapping,
    });
    const windowTo = window.known && window.value.intervals.length ? window.value.intervals.map((i) => i.to).sort().at(-1)! : plan.window.intervals.map((i) => i.to).sort().at(-1)!;
    return { commands, backupFinishedAt: plan.backup.finishedAt, windowTo };
  });

  const promotion = await fact(() => {
    if (!replication.known) throw new Error(replication.reason);
    const r = replication.value;
    if (r.engine !== 'postgres') return [];
    const address = `${service.connection.host}:${service.connection.port}`;
    if (r.role === 'standby')
      return [promotionManualSteps({ serviceId, standbyAddress: address, oldPrimaryAddress: r.standby?.senderHost ? `${r.standby.senderHost}:${r.standby.senderPort ?? 5432}` : null })];
    return r.standbys.map((sb) => {
      const registered = sb.serviceId ? deps.fleet.get(sb.serviceId) : undefined;
      const standbyAddress = registered ? `${registered.connection.host}:${registered.connection.port}` : `${sb.clientAddr ?? sb.applicationName}:<port of standby ${sb.applicationName}>`;
      return promotionManualSteps({ serviceId: sb.serviceId ?? sb.applicationName, standbyAddress, oldPrimaryAddress: address, oldPrimaryServiceId: serviceId });
    });
  });

  return {
    ...base,
    policy: engine
      ? policyOf(service, await engineFacts!.then((f) => (f.known ? f.value.location : `${engine.label} ${engine.place}`)), `archived by ${engine.label} (${engine.place})`, encryption)
      : policyOf(service, repo.known ? [repo.value, ...repo.value.copies].map((r) => describeFolder({ store: r.store, prefix: `${serviceId}/backups` })).join(' and ') : `unknown: ${repo.reason}`, repo.known ? [repo.value, ...repo.value.copies].map((r) => describeFolder({ store: r.store, prefix: `${serviceId}/wal` })).join(' and ') : `unknown: ${repo.reason}`, encryption),
    state: {
      lastGoodBackup: backups.known ? { known: true, value: good[0] ? backupFact(good[0], nowMs) : null } : backups,
      lastVerified: backups.known
        ? { known: true, value: (() => { const v = sorted.filter((b) => b.lastVerification?.ok).sort((a, b) => b.lastVerification!.at.localeCompare(a.lastVerification!.at))[0]; return v ? { id: v.id, at: v.lastVerification!.at, detail: v.lastVerification!.detail } : null; })() }
        : backups,
      window: await mapFact(window, postgresWindowFact),
      // The slot is read from the server: a server that did not answer leaves the whole line unknown.
      walStreaming: engine ? { known: true, value: `archived by ${engine.label} (${engine.place}), not streamed by Lifeboat` } : wal.known && !wal.value.slotError ? await fact(() => {
        const w = wal.value;
        const slot = w.slot ? `slot ${w.slot.name} ${w.slot.active ? 'active' : 'inactive'}, retaining ${formatBytes(w.slot.retainedBytes)}` : 'no replication slot found';
        return `${w.streaming ? 'streaming' : 'not streaming'}; ${slot}; ${w.archivedSegments} segments archived${w.lastArchived ? `, last ${w.lastArchived.name} at ${formatTime(w.lastArchived.at)}` : ''}`;
      }) : recalled(deps, serviceId, 'wal', wal.known ? { known: false, reason: `${wal.value.slotError!.message} (${wal.value.slotError!.code})` } : wal),
      lastDrill: drills.known ? { known: true, value: drills.value[0] ? drillFact(drills.value[0]) : null } : drills,
      replication: await mapFact(replication, replicationSummary),
    },
    procedures: postgresProcedures({
      engine: engine && { label: engine.label, place: engine.place },
      serviceId,
      database: service.connection.database,
      host: service.connection.host,
      port: service.connection.port,
      user: service.connection.user,
      configPath: deps.configPath,
      serverKeyFile: options.serverKeyFile,
      encryption: repoInfo.known ? { known: true, value: { encrypted: !!repoInfo.value?.encrypted, fingerprint: repoInfo.value?.keyFingerprint, keychainEntry: repoInfo.value?.keyFingerprint ? keychainEntry(repoInfo.value.keyFingerprint) : undefined } } : repoInfo,
      pitr,
      lastBackupId: sorted[0]?.id,
      lastLogicalBackupId: lastLogical?.id,
      promotion,
    }),
  };
}
