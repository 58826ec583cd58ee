// Gathers the fleet report: compliance against RPO/RTO, failures in the period, storage and its growth from
// the repository's manifests and WAL sidecars (or as pgBackRest or Barman report theirs), drill history, window gaps and open risks. Every service's
// facts are read on their own: one server down shows as "unknown", never fails the report.
import type { Handlers } from '../../shared/contract';
import { backupEngineOf, type Service } from '../../shared/domain';
import type { Job } from '../../shared/jobs';
import type { CoreDeps } from '../coreDeps';
import { LIFEBOAT_VERSION } from '../version';
import type { ComplianceRow, DrillFact, Fact, FleetReportModel, Risk, Verdict, WindowFact } from './documentModel';
import { formatAge, formatBytes, formatTime } from '../formatFacts';
import { fact, mapFact, unknownText } from '../fleet/fact';
import { drillFact, postgresWindowFact, sqlWindowFact } from './gatherRunbook';
import { gatherFleetFacts, type FleetServiceFacts } from '../fleet/fleetFacts';
import type { LastKnownFacts } from '../fleet/lastKnownFacts';
import { judgeService } from '../monitoring/compliance';
import type { ComplianceLevel, ServiceCompliance } from '../../shared/monitoring';

/** A slot holding more than this is a risk: the server's disk fills while the stream is down. */
export const SLOT_RETENTION_RISK_BYTES = 1024 * 1024 * 1024;

interface ServiceFacts {
  service: Service;
  /** The one compliance rule's verdict (the dashboard and the fleet page show the same). */
  judged: ServiceCompliance;
  lastGood: Fact<{ finishedAt: string; verified: boolean } | null>;
  anyVerified: Fact<boolean>;
  window: Fact<WindowFact>;
  drills: Fact<DrillFact[]>;
  storage: Fact<{ backups: number; backupBytes: number; walBytes: number; addedBytes: number }>;
  wal: Fact<{ streaming: boolean; slotRetained?: number; slotName?: string; slotActive?: boolean }>;
  encrypted: Fact<boolean>;
  /** What pgBackRest or Barman itself reports wrong with the service (info's status, failed checks). */
  engineProblems?: string[];
}

/** The report's verdict words for a judgement of the compliance rule: met (green or amber) only with a
 * measurement; missed when red (no backup at all is red); unknown when nothing was measured. */
export function verdict(target: string | undefined, level: ComplianceLevel, measured: boolean): Verdict {
  if (!target) return 'no target';
  if (level === 'breach') return 'missed';
  return level === 'unknown' || !measured ? 'unknown' : 'met';
}

const NO_WINDOW = 'no recoverable window: no physical backup with the WAL it needs';

/** The window as documents draw it (with its SVG), from the engine's own view the fleet facts kept. */
async function windowFact(window: FleetServiceFacts['window']): Promise<Fact<WindowFact>> {
  if (!window.known) return window;
  const summary = window.value;
  if (!summary) return { known: false, reason: NO_WINDOW };
  const { source } = summary;
  return fact(() => (source.engine === 'postgres' ? postgresWindowFact(source.view) : sqlWindowFact(source.view)));
}

/** The report's facts of one service, derived from the fleet's facts read once for every view. */
async function reportFacts(h: Handlers, f: FleetServiceFacts, judged: ServiceCompliance, periodStart: number): Promise<ServiceFacts> {
  const sqlServer = f.service.engine === 'sqlserver';
  const storage = await mapFact(f.backups, (backups) => {
    const wal = f.walFiles.known ? f.walFiles.value : [];
    const backupBytes = backups.reduce((n, b) => n + b.storedBytes, 0);
    const walBytes = wal.reduce((n, e) => n + e.bytes, 0);
    const addedBytes = backups.filter((b) => Date.parse(b.finishedAt) >= periodStart).reduce((n, b) => n + b.storedBytes, 0) + wal.filter((e) => Date.parse(e.archivedAt) >= periodStart).reduce((n, e) => n + e.bytes, 0);
    return { backups: backups.length, backupBytes, walBytes, addedBytes };
  });
  return {
    service: f.service,
    judged,
    lastGood: await mapFact(f.backups, (list) => {
      const good = list.find((b) => b.verified !== false);
      return good ? { finishedAt: good.finishedAt, verified: good.verified === true } : null;
    }),
    // SQL Server: RESTORE VERIFYONLY results as Lifeboat recorded them (lifeboat sqlserver verify).
    anyVerified: sqlServer ? await fact(async () => (await h['sqlserver.verifications']({ serviceId: f.service.id, limit: 100 })).some((r) => r.ok)) : await mapFact(f.backups, (list) => list.some((b) => b.verified === true)),
    window: await windowFact(f.window),
    drills: await mapFact(f.drills, (drills) => drills.map(drillFact)),
    storage,
    wal: f.wal,
    encrypted: f.encrypted,
    engineProblems: f.window.known && f.window.value?.source.engine === 'postgres' ? f.window.value.source.view.engine?.problems : undefined,
  };
}

/** Where a service's backups are kept, as the storage table names it: a pgBackRest or Barman service's figures
 * are what that engine reports (pgBackRest: info and repo-ls; Barman: show-backup, WAL per backup). */
function keptBy(service: Service, deps: CoreDeps): string {
  const p = service.policy;
  switch (service.engine === 'postgres' ? backupEngineOf(service) : 'sqlserver') {
    case 'pgbackrest':
      return `pgBackRest stanza ${p.pgbackrest!.stanza}${p.pgbackrest!.repo ? ` repo${p.pgbackrest!.repo}` : ''}`;
    case 'barman':
      return `Barman server ${p.barman!.server}`;
    case 'sqlserver':
      return 'SQL Server (msdb)';
    default:
      return `Lifeboat repository ${deps.fleet.repositoryFor(service) ?? '(none set)'}`;
  }
}

export function risksOf(f: ServiceFacts, now: number): Risk[] {
  const id = f.service.id;
  const risks: Risk[] = [];
  const p = f.service.policy;
  if (f.lastGood.known && !f.lastGood.value) risks.push({ severity: 'high', serviceId: id, text: 'no backup at all' });
  if (f.judged.backup.level === 'breach' && f.lastGood.known && f.lastGood.value) risks.push({ severity: 'high', serviceId: id, text: f.judged.backup.text });
  if (f.drills.known && !f.drills.value.length) risks.push({ severity: 'medium', serviceId: id, text: 'never drilled: the RTO is a guess' });
  if (f.drills.known && f.drills.value[0] && !f.drills.value[0].ok) risks.push({ severity: 'high', serviceId: id, text: `last drill failed: ${f.drills.value[0].detail}` });
  if (f.drills.known && f.drills.value[0]?.ok && f.judged.rto.level === 'breach') risks.push({ severity: 'high', serviceId: id, text: f.judged.rto.text });
  if (f.anyVerified.known && !f.anyVerified.value && f.lastGood.known && f.lastGood.value) risks.push({ severity: 'medium', serviceId: id, text: 'no verified backup' });
  if (f.service.engine === 'postgres' && f.wal.known && !f.wal.value.streaming) risks.push({ severity: 'medium', serviceId: id, text: 'no WAL streaming: point-in-time restore ends at the last base backup' });
  if (f.wal.known && f.wal.value.slotRetained !== undefined && f.wal.value.slotRetained > SLOT_RETENTION_RISK_BYTES)
    risks.push({ severity: 'high', serviceId: id, text: `replication slot ${f.wal.value.slotName} retains ${formatBytes(f.wal.value.slotRetained)} of WAL on the server${f.wal.value.slotActive ? '' : ' (inactive)'}` });
  if (f.window.known && f.window.value.gaps.length) risks.push({ severity: 'high', serviceId: id, text: `${f.window.value.gaps.length} gap(s) in the recoverable window` });
  for (const problem of f.engineProblems ?? []) risks.push({ severity: 'high', serviceId: id, text: problem });
  if (f.judged.copies && f.judged.copies.level !== 'ok') risks.push({ severity: f.judged.copies.copies === 0 ? 'high' : 'medium', serviceId: id, text: `backup copies: ${f.judged.copies.text}` });
  if (f.encrypted.known && !f.encrypted.value) risks.push({ severity: 'medium', serviceId: id, text: 'backups are not encrypted' });
  if (f.service.connection.password.kind === 'env') risks.push({ severity: 'low', serviceId: id, text: `password read from environment variable ${f.service.connection.password.variable}: visible to every process of that user` });
  if (!p.rpo || !p.rto) risks.push({ severity: 'low', serviceId: id, text: `no ${[!p.rpo && 'RPO', !p.rto && 'RTO'].filter(Boolean).join(' or ')} target in the policy` });
  for (const [name, value] of Object.entries({ 'last backup': f.lastGood, window: f.window, drills: f.drills, storage: f.storage, 'WAL status': f.wal }))
    if (!value.known) risks.push({ severity: 'medium', serviceId: id, text: `${name} ${unknownText(value, formatTime)}` });
  return risks;
}

const SEVERITY = { high: 0, medium: 1, low: 2 } as const;

export async function gatherFleetReport(h: Handlers, deps: CoreDeps, lastKnown: LastKnownFacts, options: { days: number; now?: Date }): Promise<FleetReportModel> {
  const now = (options.now ?? new Date()).getTime();
  const periodStart = now - options.days * 86_400_000;
  const fleet = await gatherFleetFacts(h, deps, lastKnown);
  const services = fleet.services.map((f) => f.service);
  const facts = await Promise.all(fleet.services.map((f) => reportFacts(h, f, judgeService(f, { now }), periodStart)));
  const failures = await fact(async () =>
    (await h['jobs.list']({}))
      .filter((j: Job) => j.state === 'failed' && Date.parse(j.finishedAt ?? j.createdAt) >= periodStart)
      .sort((a, b) => (b.finishedAt ?? b.createdAt).localeCompare(a.finishedAt ?? a.createdAt))
      .map((j) => ({ at: j.finishedAt ?? j.createdAt, serviceId: j.serviceId ?? '-', kind: j.kind, title: j.title, error: j.error ? `${j.error.message} (${j.error.code})` : 'failed' })),
  );
  const compliance: ComplianceRow[] = facts.map((f) => {
    const p = f.service.policy;
    const drill = f.drills.known ? f.drills.value[0] : undefined;
    return {
      serviceId: f.service.id,
      name: f.service.name,
      engine: f.service.engine === 'postgres' ? 'PostgreSQL' : 'SQL Server',
      rpoTarget: p.rpo ?? '-',
      lastGoodBackupAge: !f.lastGood.known ? unknownText(f.lastGood, formatTime) : f.lastGood.value ? formatAge(f.lastGood.value.finishedAt, now) : 'none',
      recoverableUpTo: f.window.known ? `${formatTime(f.window.value.to)} (${formatAge(f.window.value.to, now)})` : unknownText(f.window, formatTime),
      rpoVerdict: verdict(p.rpo, f.judged.backup.level, f.judged.backup.ageSeconds !== undefined),
      rtoTarget: p.rto ?? '-',
      lastDrillRto: !f.drills.known ? unknownText(f.drills, formatTime) : drill ? `${drill.ok ? drill.rto : 'failed'} (${formatTime(drill.at)})` : 'never drilled',
      rtoVerdict: verdict(p.rto, f.judged.rto.level, f.judged.rto.rtoMs !== undefined),
    };
  });
  const storage = facts.map((f) =>
    f.storage.known
      ? { serviceId: f.service.id, keptBy: keptBy(f.service, deps), backups: String(f.storage.value.backups), backupBytes: formatBytes(f.storage.value.backupBytes), walBytes: formatBytes(f.storage.value.walBytes), total: formatBytes(f.storage.value.backupBytes + f.storage.value.walBytes), addedInPeriod: formatBytes(f.storage.value.addedBytes), perDay: `${formatBytes(f.storage.value.addedBytes / options.days)}/day` }
      : { serviceId: f.service.id, keptBy: keptBy(f.service, deps), backups: '-', backupBytes: '-', walBytes: '-', total: '-', addedInPeriod: '-', perDay: '-', note: `unknown: ${f.storage.reason}` },
  );
  const totalBytes = facts.reduce((n, f) => n + (f.storage.known ? f.storage.value.backupBytes + f.storage.value.walBytes : 0), 0);
  const sources = [`fleet file ${deps.configPath}`, ...new Set(services.filter((s) => backupEngineOf(s) === 'lifeboat').map((s) => deps.fleet.repositoryFor(s)).filter(Boolean).map((r) => `backup repository ${r}`)), ...services.filter((s) => backupEngineOf(s) !== 'lifeboat').map((s) => `${keptBy(s, deps)} (info of ${s.id})`), `job journal in ${deps.dataDir}`, `${services.length} server(s), read at generation time`];
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
    copies: facts.flatMap((f) => {
      const c = f.judged.copies;
      if (!c) return [];
      const storageWord = { folder: 'folder', s3: 'S3', azure: 'Azure Blob' } as const;
      return [{
        serviceId: f.service.id,
        verdict: c.level === 'ok' ? 'met' : c.level === 'unknown' ? 'unknown' : 'NOT MET',
        text: c.text,
        repositories: c.repositories.map((r) => ({
          location: r.location,
          storage: storageWord[r.storage],
          offsite: r.offsite ? 'yes' : 'no',
          holdsNewest: r.error ? `unreadable: ${r.error}` : r.holdsNewest ? (r.verified ? 'yes, verified' : 'yes, not verified') : 'no',
          stored: r.error ? '-' : formatBytes(r.storedBytes),
          growth7d: r.error ? '-' : formatBytes(r.growth7dBytes),
        })),
      }];
    }),
    drills: facts
      .flatMap((f) => (f.drills.known ? f.drills.value.filter((d) => Date.parse(d.at) >= periodStart).map((d) => ({ serviceId: f.service.id, at: d.at, ok: d.ok, rto: d.rto, target: d.target, detail: d.detail })) : []))
      .sort((a, b) => b.at.localeCompare(a.at)),
    windows: facts.map((f) => ({ serviceId: f.service.id, window: f.window })),
    gaps: facts.flatMap((f) => (f.window.known ? f.window.value.gaps.map((gap) => ({ serviceId: f.service.id, gap })) : [])),
    risks: facts.flatMap((f) => risksOf(f, now)).sort((a, b) => SEVERITY[a.severity] - SEVERITY[b.severity] || a.serviceId.localeCompare(b.serviceId)),
  };
}

