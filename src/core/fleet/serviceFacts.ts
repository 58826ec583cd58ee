// What the fleet-wide views know about one service, read once per view through the contract's handlers and
// the repository (or the engine that backs it up): its backups, recoverable window, drills, WAL streaming,
// stored WAL and encryption. Every read runs at the same time and is its own fact, so a server that does not
// answer leaves its facts unknown at the deadline while what the repository says is still shown.
import type { Handlers } from '../../shared/contract';
import { backupEngineOf, type Service } from '../../shared/domain';
import type { DrillView, WindowView } from '../../shared/recovery';
import type { SqlWindowView } from '../../shared/sqlServerViews';
import type { CoreDeps } from '../coreDeps';
import type { ReplicationView } from '../../shared/replication';
import { existingEngineOf } from '../engines/existingEngineOf';
import { listWalEntries } from '../wal/walArchive';
import { slotName } from '../wal/walStreamer';
import { fact, mapFact, type Fact } from './fact';
import { oneRepositoryCopies, readBackupCopies } from './backupCopies';
import type { BackupCopiesView } from '../../shared/monitoring';

export interface StoredBackup {
  finishedAt: string;
  storedBytes: number;
  /** The last verification's outcome; undefined when never verified. */
  verified?: boolean;
}

export interface WalFacts {
  streaming: boolean;
  slotRetained?: number;
  slotName?: string;
  slotActive?: boolean;
}

/** The recoverable window's ends, and the engine's own view of it (documents draw it from that). */
export interface WindowSummary {
  from: string;
  to: string;
  source: { engine: 'postgres'; view: WindowView } | { engine: 'sqlserver'; view: SqlWindowView };
}

export interface ServiceFacts {
  service: Service;
  /** Newest first; SQL Server: the backup sets msdb lists, none verified by Lifeboat. */
  backups: Fact<StoredBackup[]>;
  /** null: nothing is recoverable to a point yet (no physical backup with its WAL). */
  window: Fact<WindowSummary | null>;
  /** Newest first. */
  drills: Fact<DrillView[]>;
  /** WAL archived into the repository (PostgreSQL), or as pgBackRest or Barman report theirs, for storage figures. */
  walFiles: Fact<Array<{ bytes: number; archivedAt: string }>>;
  /** PostgreSQL: this computer's stream and the server's slot; SQL Server: log backups instead, always known. */
  wal: Fact<WalFacts>;
  encrypted: Fact<boolean>;
  /** 3-2-1: the copies of the newest backup over the service's repositories; undefined for a service whose
   * backups Lifeboat does not keep (SQL Server, pgBackRest, Barman). */
  copies?: Fact<BackupCopiesView | undefined>;
}

const newestDrillsFirst = (drills: DrillView[]) => [...drills].sort((a, b) => b.startedAt.localeCompare(a.startedAt));

/** A window with no interval is "nothing recoverable yet", a known state, not an unknown one. */
function summary(intervals: Array<{ from: string; to: string }>, source: WindowSummary['source']): WindowSummary | null {
  if (!intervals.length) return null;
  return { from: intervals.map((i) => i.from).sort()[0]!, to: intervals.map((i) => i.to).sort().at(-1)!, source };
}

/**
 * WAL streaming as the fleet views show it: whether this computer streams the service's WAL (its job) and its
 * slot on the server, taken from the replication view read once per server, not from a connection per service.
 */
export function walFactOf(service: Service, deps: CoreDeps, replication: Fact<ReplicationView>): Fact<WalFacts> {
  if (service.engine === 'sqlserver') return { known: true, value: { streaming: true } };
  if (!replication.known) return replication;
  const streaming = deps.jobs.list().some((j) => j.kind === 'wal.stream' && j.serviceId === service.id && (j.state === 'running' || j.state === 'queued'));
  const view = replication.value;
  const slot = view.engine === 'postgres' ? view.slots.find((s) => s.name === slotName(service.id)) : undefined;
  return { known: true, value: { streaming, slotName: slot?.name, slotActive: slot?.active, slotRetained: slot?.retainedBytes ?? undefined } };
}

/** Everything but WAL streaming, which comes from the replication views read for the whole fleet (walFactOf). */
export async function gatherServiceFacts(h: Handlers, deps: CoreDeps, service: Service): Promise<Omit<ServiceFacts, 'wal'>> {
  const serviceId = service.id;
  if (service.engine === 'sqlserver') {
    // One msdb read serves the backups and the window.
    const [win, drills] = await Promise.all([fact<SqlWindowView>(() => h['sqlserver.window']({ serviceId })), fact(async () => newestDrillsFirst(await h['sqlserver.drills']({ serviceId })))]);
    const backups = await mapFact(win, (w) =>
      w.sets
        .filter((s) => !s.isDamaged)
        .sort((a, b) => b.backupFinishDate.localeCompare(a.backupFinishDate))
        .map((s): StoredBackup => ({ finishedAt: s.backupFinishDate, storedBytes: s.compressedSizeBytes ?? s.backupSizeBytes ?? 0 })),
    );
    return {
      service,
      backups,
      window: await mapFact(win, (view) => summary(view.window.intervals, { engine: 'sqlserver', view })),
      drills,
      walFiles: { known: true, value: [] },
      encrypted: { known: true, value: !!service.policy.sqlServer?.encryptionCertificate },
      copies: { known: true, value: undefined },
    };
  }
  // A pgBackRest or Barman service's storage and encryption are its engine's, as the engine reports them.
  const engine = backupEngineOf(service) !== 'lifeboat';
  // Opened once for the stored WAL and the encryption facts (each open reads the repository's description
  // and opens its copies' stores): both facts wait on the same open, and fail with the same reason.
  let opened: ReturnType<typeof deps.access.repositoryFor> | undefined;
  const repository = () => (opened ??= deps.access.repositoryFor(service));
  const [backups, window, drills, walFiles, encrypted, several] = await Promise.all([
    fact(async () =>
      (await h['backups.list']({ serviceId }))
        .sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))
        .map((b): StoredBackup => ({ finishedAt: b.finishedAt, storedBytes: b.storedBytes, verified: b.lastVerification?.ok })),
    ),
    fact(async () => {
      const view = await h['window.get']({ serviceId });
      return summary(view.intervals, { engine: 'postgres', view });
    }),
    fact(async () => newestDrillsFirst(await h['drills.list']({ serviceId }))),
    fact(async () => (engine ? existingEngineOf(service)!.storedWal() : (await listWalEntries(await repository(), serviceId)).map((e) => ({ bytes: e.file.bytes, archivedAt: e.archivedAt })))),
    fact(async () => (engine ? (await existingEngineOf(service)!.repositoryFacts()).encrypted : !!(await repository()).info.encryption)),
    // Several repositories are each read on their own; one is judged from what is read above anyway.
    fact(async () => (engine || deps.access.locationsFor(service).length < 2 ? undefined : readBackupCopies(deps.access, service, Date.now()))),
  ]);
  const location = deps.access.locationsFor(service)[0];
  const copies: Fact<BackupCopiesView | undefined> =
    engine || !location || several.known === false || several.value
      ? several
      : !backups.known
        ? backups
        : !walFiles.known
          ? walFiles
          : { known: true, value: oneRepositoryCopies(location, backups.value, walFiles.value, Date.now()) };
  return { service, backups, window, drills, walFiles, encrypted, copies };
}
