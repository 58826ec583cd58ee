// The on-disk backup repository: lifeboat-repo.json at the root (format, key fingerprint), then
// <service>/backups/<backup-id>/ with the stored files, manifest.json (written last) and history.json.
// The folder alone (plus the key) is enough to list, verify and restore.
import { mkdir, readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LifeboatError } from '../lifeboatError';
import { writeFileAtomic } from '../storage/atomicWrite';
import { LIFEBOAT_VERSION } from '../version';
import { historyEntrySchema, manifestSchema, type BackupManifest, type HistoryEntry } from './backupManifest';
import { readRepositoryInfo, REPOSITORY_FILE, REPOSITORY_FORMAT, type RepositoryInfo } from './repositoryInfo';
import { prepareRepositoryFolder } from './repositoryFolder';


const MANIFEST = 'manifest.json';
const HISTORY = 'history.json';

export interface BackupEntry {
  manifest: BackupManifest;
  history: HistoryEntry[];
}

export class BackupRepository {
  private constructor(
    readonly root: string,
    readonly info: RepositoryInfo,
  ) {}

  /** A new repository; the folder is checked first (prepareRepositoryFolder). */
  static async init(path: string, keyFingerprint: string | null): Promise<BackupRepository> {
    const root = await prepareRepositoryFolder(path);
    const info: RepositoryInfo = {
      format: REPOSITORY_FORMAT,
      createdAt: new Date().toISOString(),
      createdBy: `Lifeboat ${LIFEBOAT_VERSION}`,
      encryption: keyFingerprint ? { alg: 'aes-256-gcm-chunked-v1', keyFingerprint } : null,
    };
    await writeFileAtomic(join(root, REPOSITORY_FILE), JSON.stringify(info, null, 2) + '\n', 0o644);
    return new BackupRepository(root, info);
  }

  static async open(path: string): Promise<BackupRepository> {
    const { root, info } = await readRepositoryInfo(path);
    return new BackupRepository(root, info);
  }

  backupsDir(serviceId: string): string {
    return join(this.root, serviceId, 'backups');
  }

  backupDir(serviceId: string, backupId: string): string {
    return join(this.backupsDir(serviceId), backupId);
  }

  /** A fresh folder for a backup in progress; without a manifest it never looks complete. */
  async createBackupDir(serviceId: string, backupId: string): Promise<string> {
    const dir = this.backupDir(serviceId, backupId);
    await mkdir(this.backupsDir(serviceId), { recursive: true });
    await mkdir(dir, { mode: 0o700 });
    return dir;
  }

  async writeManifest(manifest: BackupManifest): Promise<void> {
    await writeFileAtomic(join(this.backupDir(manifest.serviceId, manifest.id), MANIFEST), JSON.stringify(manifestSchema.parse(manifest), null, 2) + '\n', 0o644);
  }

  async services(): Promise<string[]> {
    const entries = await readdir(this.root, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  }

  /** Complete backups of a service, oldest first. */
  async list(serviceId: string): Promise<BackupEntry[]> {
    const entries: BackupEntry[] = [];
    for (const id of await this.backupIds(serviceId)) {
      const entry = await this.read(serviceId, id).catch(() => undefined);
      if (entry) entries.push(entry);
    }
    return entries.sort((a, b) => a.manifest.finishedAt.localeCompare(b.manifest.finishedAt));
  }

  /** Backup folders with no manifest: a run that failed, was cancelled or was killed. */
  async incomplete(serviceId: string): Promise<string[]> {
    const ids: string[] = [];
    for (const id of await this.backupIds(serviceId)) {
      const hasManifest = await stat(join(this.backupDir(serviceId, id), MANIFEST)).then(() => true, () => false);
      if (!hasManifest) ids.push(id);
    }
    return ids;
  }

  async read(serviceId: string, backupId: string): Promise<BackupEntry> {
    const dir = this.backupDir(serviceId, backupId);
    let text: string;
    try {
      text = await readFile(join(dir, MANIFEST), 'utf8');
    } catch (err) {
      throw unreadable(err, join(dir, MANIFEST)) ?? new LifeboatError('NOT_FOUND', `No complete backup ${backupId} for ${serviceId}.`, 'List the backups: lifeboat backups <service>.');
    }
    const manifest = manifestSchema.parse(JSON.parse(text));
    const history = await readFile(join(dir, HISTORY), 'utf8')
      .then((t) => z.array(historyEntrySchema).parse(JSON.parse(t)))
      .catch(() => [] as HistoryEntry[]);
    return { manifest, history };
  }

  /** Finds a backup by id alone, whichever service it belongs to. */
  async find(backupId: string): Promise<BackupEntry> {
    for (const service of await this.services()) {
      if ((await this.backupIds(service)).includes(backupId)) return this.read(service, backupId);
    }
    throw new LifeboatError('NOT_FOUND', `No backup ${backupId} in ${this.root}.`, 'List the backups: lifeboat backups <service>.');
  }

  async appendHistory(serviceId: string, backupId: string, entry: HistoryEntry): Promise<void> {
    const { history } = await this.read(serviceId, backupId);
    await writeFileAtomic(join(this.backupDir(serviceId, backupId), HISTORY), JSON.stringify([...history, entry], null, 2) + '\n', 0o644);
  }

  /** The manifest goes first, so a removal interrupted halfway leaves an incomplete backup, never a broken one. */
  async remove(serviceId: string, backupId: string): Promise<void> {
    const dir = this.backupDir(serviceId, backupId);
    await unlink(join(dir, MANIFEST)).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }

  private async backupIds(serviceId: string): Promise<string[]> {
    try {
      const entries = await readdir(this.backupsDir(serviceId), { withFileTypes: true });
      return entries.filter((e) => e.isDirectory()).map((e) => e.name);
    } catch (err) {
      const denied = unreadable(err, this.backupsDir(serviceId));
      if (denied) throw denied;
      return [];
    }
  }
}

/** A repository file this account may not read is said as such, never as "no such backup". */
function unreadable(err: unknown, path: string): LifeboatError | undefined {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code !== 'EACCES' && code !== 'EPERM') return undefined;
  return new LifeboatError('PERMISSION_DENIED', `This account may not read ${path} (${code}).`, 'Run as the account that wrote the backups, or let this one read the repository (its files are 0600).', { cause: err });
}

/** Backup ids sort by time and say what they are: orders-20261125T114501Z-physical. */
export function newBackupId(serviceId: string, kind: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${serviceId}-${stamp}-${kind}`;
}
