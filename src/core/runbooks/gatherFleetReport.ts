// Gathers the fleet report: compliance against RPO/RTO, failures in the period, storage and its growth from
// the repository's manifests and WAL sidecars, drill history, window gaps and open risks. Every service's
// facts are read on their own: one server down shows as "unknown", never fails the report.
import type { Handlers } from '../../shared/contract';
import type { Service } from '../../shared/domain';
import type { Job } from '../../shared/jobs';
import type { CoreDeps } from '../coreDeps';
import { LIFEBOAT_VERSION } from '../version';
import { listWalEntries } from '../wal/walArchive';
import type { ComplianceRow, DrillFact, Fact, FleetReportModel, Risk, Verdict, WindowFact } from './documentModel';
import { formatAge, formatBytes, formatTime, policyDurationMs } from './formatFacts';
import { drillFact, fact, mapFact, postgresWindowFact, sqlWindowFact } from './gatherRunbook';

/** A slot holding more than this is a risk: the server's disk fills while the stream is down. */
export const SLOT_RETENTION_RISK_BYTES = 1024 * 1024 * 1024;

interface ServiceFacts {
  service: Service;
  lastGood: Fact<{ finishedAt: string; verified: boolean } | null>;
  anyVerified: Fact<boolean>;
  window: Fact<WindowFact>;
  drills: Fact<DrillFact[]>;
  storage: Fact<{ backups: number; backupBytes: number; walBytes: number; addedBytes: number }>;
  wal: Fact<{ streaming: boolean; slotRetained?: number; slotName?: string; slotActive?: boolean }>;
  encrypted: Fact<boolean>;
}

export function verdict(target: string | undefined, achievedMs: number | undefined): Verdict {
  if (!target) return 'no target';
  if (achievedMs === undefined || !Number.isFinite(achievedMs)) return 'unknown';
  return achievedMs <= policyDurationMs(target) ? 'met' : 'missed';
}

async function serviceFacts(h: Handlers, deps: CoreDeps, service: Service, periodStart: number): Promise<ServiceFacts> {
  const serviceId = service.id;
  if (service.engine === 'sqlserver') {
    const win = await fact(() => h['sqlserver.window']({ serviceId }));
    const drills = await fact(async () => (await h['sqlserver.drills']({ serviceId })).map(drillFact));
    return {
      service,
      lastGood: win.known ? { known: true, value: (() => { const f = win.value.sets.filter((s) => !s.isDamaged).sort((a, b) => b.backupFinishDate.localeCompare(a.backupFinishDate))[0]; return f ? { finishedAt: f.backupFinishDate, verified: false } : null; })() } : win,
      anyVerified: { known: false, reason: 'SQL Server verification results are not recorded' },
      window: await mapFact(win, sqlWindowFact),
      drills,
      storage: win.known
        ? { known: true, value: { backups: win.value.sets.length, backupBytes: win.value.sets.reduce((n, s) => n + (s.compressedSizeBytes ?? s.backupSizeBytes ?? 0), 0), walBytes: 0, addedBytes: win.value.sets.filter((s) => Date.parse(s.backupFinishDate) >= periodStart).reduce((n, s) => n + (s.compressedSizeBytes ?? s.backupSizeBytes ?? 0), 0) } }
        : win,
      wal: { known: true, value: { streaming: true } },
      encrypted: { known: true, value: !!service.policy.sqlServer?.encryptionCertificate },
    };
  }
  const backups = await fact(() => h['backups.list']({ serviceId }));
  const walEntries = await fact(async () => listWalEntries(await deps.access.repositoryFor(service), serviceId));
  const sorted = backups.known ? [...backups.value].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt)) : [];
  const good = sorted.filter((b) => b.lastVerification?.ok !== false)[0];
  return {
    service,
    lastGood: backups.known ? { known: true, value: good ? { finishedAt: good.finishedAt, verified: !!good.lastVerification?.ok } : null } : backups,
    anyVerified: backups.known ? { known: true, value: sorted.some((b) => b.lastVerification?.ok) } : backups,
    window: await fact(async () => postgresWindowFact(await h['window.get']({ serviceId }))),
    drills: await fact(async () => (await h['drills.list']({ serviceId })).map(drillFact)),
    storage: await fact(() => {
      if (!backups.known) throw new Error(backups.reason);
      const wal = walEntries.known ? walEntries.value : [];
      const backupBytes = backups.value.reduce((n, b) => n + b.storedBytes, 0);
      const walBytes = wal.reduce((n, e) => n + e.file.bytes, 0);
      const addedBytes = backups.value.filter((b) => Date.parse(b.finishedAt) >= periodStart).reduce((n, b) => n + b.storedBytes, 0) + wal.filter((e) => Date.parse(e.archivedAt) >= periodStart).reduce((n, e) => n + e.file.bytes, 0);
      return { backups: backups.value.length, backupBytes, walBytes, addedBytes };
    }),
    wal: await fact(async () => {
      const s = await h['wal.status']({ serviceId });
      return { streaming: s.streaming, slotRetained: s.slot?.retainedBytes, slotName: s.slot?.name, slotActive: s.slot?.active };
    }),
    encrypted: await fact(async () => !!(await deps.access.repositoryFor(service)).info.encryption),
  };
}

export function risksOf(f: ServiceFacts, now: number): Risk[] {
  const id = f.service.id;
  const risks: Risk[] = [];
  const p = f.service.policy;
  if (f.lastGood.known && !f.lastGood.value) risks.push({ severity: 'high', serviceId: id, text: 'no backup at all' });
  if (f.lastGood.known && f.lastGood.value && p.rpo && now - Date.parse(f.lastGood.value.finishedAt) > policyDurationMs(p.rpo) && !(f.window.known && now - Date.parse(f.window.value.to) <= policyDurationMs(p.rpo)))
    risks.push({ severity: 'high', serviceId: id, text: `RPO ${p.rpo} missed: last recoverable point ${f.window.known ? formatAge(f.window.value.to, now) : formatAge(f.lastGood.value.finishedAt, now)}` });
  if (f.drills.known && !f.drills.value.length) risks.push({ severity: 'medium', serviceId: id, text: 'never drilled: the RTO is a guess' });
  if (f.drills.known && f.drills.value[0] && !f.drills.value[0].ok) risks.push({ severity: 'high', serviceId: id, text: `last drill failed: ${f.drills.value[0].detail}` });
  if (f.drills.known && f.drills.value[0]?.rtoMs !== undefined && p.rto && f.drills.value[0].rtoMs > policyDurationMs(p.rto)) risks.push({ severity: 'high', serviceId: id, text: `last drill took ${f.drills.value[0].rto}, over the RTO of ${p.rto}` });
  if (f.anyVerified.known && !f.anyVerified.value && f.lastGood.known && f.lastGood.value) risks.push({ severity: 'medium', serviceId: id, text: 'no verified backup' });
  if (f.service.engine === 'postgres' && f.wal.known && !f.wal.value.streaming) risks.push({ severity: 'medium', serviceId: id, text: 'no WAL streaming: point-in-time restore ends at the last base backup' });
  if (f.wal.known && f.wal.value.slotRetained !== undefined && f.wal.value.slotRetained > SLOT_RETENTION_RISK_BYTES)
    risks.push({ severity: 'high', serviceId: id, text: `replication slot ${f.wal.value.slotName} retains ${formatBytes(f.wal.value.slotRetained)} of WAL on the server${f.wal.value.slotActive ? '' : ' (inactive)'}` });
  if (f.window.known && f.window.value.gaps.length) risks.push({ severity: 'high', serviceId: id, text: `${f.window.value.gaps.length} gap(s) in the recoverable window` });
  if (f.encrypted.known && !f.encrypted.value) risks.push({ severity: 'medium', serviceId: id, text: 'backups are not encrypted' });
  if (f.service.connection.password.kind === 'env') risks.push({ severity: 'low', serviceId: id, text: `password read from environment variable ${f.service.connection.password.variable}: visible to every process of that user` });
  if (!p.rpo || !p.rto) risks.push({ severity: 'low', serviceId: id, text: `no ${[!p.rpo && 'RPO', !p.rto && 'RTO'].filter(Boolean).join(' or ')} target in the policy` });
  for (const [name, value] of Object.entries({ 'last backup': f.lastGood, window: f.window, drills: f.drills, storage: f.storage, 'WAL status': f.wal }))
    if (!value.known) risks.push({ severity: 'medium', serviceId: id, text: `${name} unknown: ${value.reason}` });
  return risks;
}

const SEVERITY = { high: 0, medium: 1, low: 2 } as const;

export async function gatherFleetReport(h: Handlers, deps: CoreDeps, options: { days: number; now?: Date }): Promise<FleetReportModel> {
  const now = (options.now ?? new Date()).getTime();
  const periodStart = now - options.days * 86_400_000;
  const services = deps.fleet.list();
  const facts: ServiceFacts[] = [];
  for (const s of services) facts.push(await serviceFacts(h, deps, s, periodStart));
  const failures = await fact(async () =>
    (await h['jobs.list']({}))
      .filter((j: Job) => j.state === 'failed' && Date.parse(j.finishedAt ?? j.createdAt) >= periodStart)
      .sort((a, b) => (b.finishedAt ?? b.createdAt).localeCompare(a.finishedAt ?? a.createdAt))
      .map((j) => ({ at: j.finishedAt ?? j.createdAt, serviceId: j.serviceId ?? '-', kind: j.kind, title: j.title, error: j.error ? `${j.error.message} (${j.error.code})` : 'failed' })),
  );
  const compliance: ComplianceRow[] = facts.map((f) => {
    const p = f.service.policy;
    const lastGoodMs = f.lastGood.known && f.lastGood.value ? now - Date.parse(f.lastGood.value.finishedAt) : undefined;
    const windowMs = f.window.known ? now - Date.parse(f.window.value.to) : undefined;
    const achieved = [lastGoodMs, windowMs].filter((x): x is number => x !== undefined);
    const drill = f.drills.known ? f.drills.value.find((d) => d.ok) : undefined;
    return {
      serviceId: f.service.id,
      name: f.service.name,
      engine: f.service.engine === 'postgres' ? 'PostgreSQL' : 'SQL Server',
      rpoTarget: p.rpo ?? '-',
      lastGoodBackupAge: !f.lastGood.known ? `unknown: ${f.lastGood.reason}` : f.lastGood.value ? formatAge(f.lastGood.value.finishedAt, now) : 'none',
      recoverableUpTo: f.window.known ? `${formatTime(f.window.value.to)} (${formatAge(f.window.value.to, now)})` : `unknown: ${f.window.reason}`,
      rpoVerdict: verdict(p.rpo, achieved.length ? Math.min(...achieved) : undefined),
      rtoTarget: p.rto ?? '-',
      lastDrillRto: !f.drills.known ? `unknown: ${f.drills.reason}` : drill ? `${drill.rto} (${formatTime(drill.at)})` : f.drills.value.length ? 'no passing drill' : 'never drilled',
      rtoVerdict: verdict(p.rto, drill?.rtoMs),
    };
  });
  const storage = facts.map((f) =>
    f.storage.known
      ? { serviceId: f.service.id, backups: String(f.storage.value.backups), backupBytes: formatBytes(f.storage.value.backupBytes), walBytes: formatBytes(f.storage.value.walBytes), total: formatBytes(f.storage.value.backupBytes + f.storage.value.walBytes), addedInPeriod: formatBytes(f.storage.value.addedBytes), perDay: `${formatBytes(f.storage.value.addedBytes / options.days)}/day` }
      : { serviceId: f.service.id, backups: '-', backupBytes: '-', walBytes: '-', total: '-', addedInPeriod: '-', perDay: '-', note: `unknown: ${f.storage.reason}` },
  );
  const totalBytes = facts.reduce((n, f) => n + (f.storage.known ? f.storage.value.backupBytes + f.storage.value.walBytes : 0), 0);
  const sources = [`fleet file ${deps.configPath}`, ...new Set(services.map((s) => deps.fleet.repositoryFor(s)).filter(Boolean).map((r) => `backup repository ${r}`)), `job journal in ${deps.dataDir}`, `${services.length} server(s), read at generation time`];
  return {
    title: 'Backup and recovery report',
    generatedAt: new Date(now).toISOString(),
    generator: `Lifeboat ${LIFEBOAT_VERSION}`,
    sources,
    period: { days: options.days, from: new Date(periodStart).toISOString(), to: new Date(now).toISOString() },
    services: services.map((s) => ({ id: s.id, name: s.name, engine: s.engine === 'postgres' ? 'PostgreSQL' : 'SQL Server', owner: s.owner, team: s.team, address: `${s.connection.host}:${s.connection.port}` })),
    compliance,
    failures,
    storage,
    storageTotal: formatBytes(totalBytes),
    drills: facts
      .flatMap((f) => (f.drills.known ? f.drills.value.filter((d) => Date.parse(d.at) >= periodStart).map((d) => ({ serviceId: f.service.id, at: d.at, ok: d.ok, rto: d.rto, target: d.target, detail: d.detail })) : []))
      .sort((a, b) => b.at.localeCompare(a.at)),
    windows: facts.map((f) => ({ serviceId: f.service.id, window: f.window })),
    gaps: facts.flatMap((f) => (f.window.known ? f.window.value.gaps.map((gap) => ({ serviceId: f.service.id, gap })) : [])),
    risks: facts.flatMap((f) => risksOf(f, now)).sort((a, b) => SEVERITY[a.severity] - SEVERITY[b.severity] || a.serviceId.localeCompare(b.serviceId)),
  };
}

