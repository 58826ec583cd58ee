// 3-2-1 for one service kept by Lifeboat: every repository the service lists (policy.repositories, else its
// one repository) read on its own, whether it holds the newest backup of the first repository and whether
// that copy was verified, on which kind of storage, with its stored bytes and their growth. One copy is
// amber; two or more with none off-site (object storage) are amber; two or more with one off-site are ok
// (the database itself is the third copy).
import type { Service } from '../../shared/domain';
import type { BackupCopiesView, ComplianceLevel, RepositoryCopyView } from '../../shared/monitoring';
import type { RepositoryAccess } from '../backups/repositoryAccess';
import { parseRepositoryLocation } from '../repository/store/parseRepositoryLocation';
import { listWalEntries } from '../wal/walArchive';

const WEEK_MS = 7 * 86_400_000;

interface Holding {
  view: RepositoryCopyView;
  ids: Map<string, { verified: boolean; finishedAt: string }>;
}

async function readRepository(access: RepositoryAccess, location: string, serviceId: string, now: number): Promise<Holding> {
  const kind = parseRepositoryLocation(location).kind;
  const storage = kind === 'posix' ? 'folder' : kind;
  const base: RepositoryCopyView = { location, storage, offsite: storage !== 'folder', holdsNewest: false, verified: false, backups: 0, storedBytes: 0, walBytes: 0, growth7dBytes: 0 };
  try {
    // The shared store of the location (RepositoryAccess): nothing to close here.
    const repo = await access.repositoryAt(location);
    const [entries, wal] = await Promise.all([repo.list(serviceId), listWalEntries({ store: repo.store }, serviceId)]);
    const ids = new Map(entries.map((e) => [e.manifest.id, { verified: e.history.at(-1)?.ok === true, finishedAt: e.manifest.finishedAt }]));
    const recent = (at: string) => now - Date.parse(at) <= WEEK_MS;
    const backupBytes = entries.map((e) => ({ at: e.manifest.finishedAt, bytes: e.manifest.files.reduce((n, f) => n + f.bytes, 0) }));
    const walBytes = wal.reduce((n, w) => n + w.file.bytes, 0);
    const growth = backupBytes.filter((b) => recent(b.at)).reduce((n, b) => n + b.bytes, 0) + wal.filter((w) => recent(w.archivedAt)).reduce((n, w) => n + w.file.bytes, 0);
    return { view: { ...base, backups: entries.length, storedBytes: backupBytes.reduce((n, b) => n + b.bytes, 0) + walBytes, walBytes, growth7dBytes: growth }, ids };
  } catch (err) {
    return { view: { ...base, error: (err as Error).message }, ids: new Map() };
  }
}

export async function readBackupCopies(access: RepositoryAccess, service: Service, now: number): Promise<BackupCopiesView> {
  const locations = access.locationsFor(service);
  return judgeCopies(locations, await Promise.all(locations.map((l) => readRepository(access, l, service.id, now))));
}

/**
 * The same verdict for a service kept in one repository, from what the fleet views read anyway (its backups
 * and WAL): no second read of the repository for the common case.
 */
export function oneRepositoryCopies(location: string, backups: Array<{ id?: string; finishedAt: string; storedBytes: number; verified?: boolean }>, wal: Array<{ bytes: number; archivedAt: string }>, now: number): BackupCopiesView {
  const kind = parseRepositoryLocation(location).kind;
  const storage = kind === 'posix' ? 'folder' : kind;
  const recent = (at: string) => now - Date.parse(at) <= WEEK_MS;
  const walBytes = wal.reduce((n, w) => n + w.bytes, 0);
  const view: RepositoryCopyView = {
    location,
    storage,
    offsite: storage !== 'folder',
    holdsNewest: false,
    verified: false,
    backups: backups.length,
    storedBytes: backups.reduce((n, b) => n + b.storedBytes, 0) + walBytes,
    walBytes,
    growth7dBytes: backups.filter((b) => recent(b.finishedAt)).reduce((n, b) => n + b.storedBytes, 0) + wal.filter((w) => recent(w.archivedAt)).reduce((n, w) => n + w.bytes, 0),
  };
  const newest = [...backups].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))[0];
  const ids = new Map(newest ? [['newest', { verified: newest.verified === true, finishedAt: newest.finishedAt }]] : []);
  return judgeCopies([location], [{ view, ids }]);
}

function judgeCopies(locations: string[], holdings: Holding[]): BackupCopiesView {
  // The newest recoverable point: the newest backup any of them holds (the first may be out of reach).
  const newest = holdings.flatMap((h) => [...h.ids.entries()]).sort((a, b) => b[1].finishedAt.localeCompare(a[1].finishedAt))[0]?.[0];
  const repositories = holdings.map((h) => {
    const held = newest ? h.ids.get(newest) : undefined;
    return { ...h.view, holdsNewest: !!held, verified: !!held?.verified };
  });
  const holders = repositories.filter((r) => r.holdsNewest);
  const copies = holders.length;
  const verified = holders.filter((r) => r.verified).length;
  const storageKinds = new Set(holders.map((r) => r.storage)).size;
  const offsite = holders.some((r) => r.offsite);
  const unreadable = repositories.filter((r) => r.error).length;
  let level: ComplianceLevel;
  let text: string;
  if (!newest) {
    level = unreadable ? 'unknown' : 'breach';
    text = unreadable ? `no repository could be read (${repositories.find((r) => r.error)?.error})` : 'no backup yet';
  } else {
    const counted = `${copies} ${copies === 1 ? 'copy' : 'copies'} (${verified} verified)`;
    if (copies === 1) {
      level = 'warning';
      text = `${counted}, one copy only${locations.length > 1 ? `: ${locations.length - 1} other repository ${unreadable ? 'unreadable' : 'without it'}` : ''}`;
    } else {
      level = offsite ? 'ok' : 'warning';
      text = `${counted}, ${storageKinds} ${storageKinds === 1 ? 'kind' : 'kinds'} of storage, ${offsite ? `${holders.filter((r) => r.offsite).length} off-site` : 'none off-site'}`;
    }
  }
  return { level, text, copies, verified, storageKinds, offsite, repositories };
}
