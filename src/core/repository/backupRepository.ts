// The backup repository, on whichever store holds it (a folder, an S3 bucket, an Azure container):
// lifeboat-repo.json at the root (format, key fingerprint), then <service>/backups/<backup-id>/ with
// reserved.json (written first: the folder is taken), the stored files, manifest.json (written last: the
// commit point) and history.json. The store alone (plus the key) is enough to list, verify and restore; its
// layout is the same on every store.
import { Readable } from 'node:stream';
import { z } from 'zod';
import { LifeboatError } from '../lifeboatError';
import { LIFEBOAT_VERSION } from '../version';
import { historyEntrySchema, manifestSchema, type BackupManifest, type HistoryEntry } from './backupManifest';
import { readRepositoryInfo, REPOSITORY_FILE, REPOSITORY_FORMAT, type RepositoryInfo } from './repositoryInfo';
import { prepareRepositoryFolder } from './repositoryFolder';
import { checkCreateIfAbsent } from './store/checkCreateIfAbsent';
import { openRepositoryStore, type StoreAccess } from './store/openRepositoryStore';
import { parseRepositoryLocation } from './store/parseRepositoryLocation';
import type { RepositoryStore } from './store/repositoryStore';
import type { StoreFolder } from './store/storeFolder';

const MANIFEST = 'manifest.json';
/** Backups whose manifests are read at once when a service's backups are listed. */
const MANIFEST_READS = 16;
const HISTORY = 'history.json';
/** Written first into a new backup's folder, with a create-if-absent: the folder is this backup's. */
const RESERVED = 'reserved.json';
/** How many seconds after its start a backup's id may name, when the earlier ones are taken. */
const LATEST_ID = 60;
/** Manifests, histories and the description carry no data and are read by other accounts' tools (0644). */
const READABLE = 0o644;

export interface BackupEntry {
  manifest: BackupManifest;
  history: HistoryEntry[];
}

export class BackupRepository {
  /**
   * The other repositories that keep copies of this one's services (policy.repositories), with this one's
   * key: backups are copied into them, WAL is stored in each, and reads fall back to them.
   */
  copies: BackupRepository[] = [];

  private constructor(
    readonly store: RepositoryStore,
    readonly info: RepositoryInfo,
  ) {}

  /** A copy of this repository on another store: the same layout and key, its description not read. */
  copyOn(store: RepositoryStore): BackupRepository {
    return new BackupRepository(store, this.info);
  }

  /** Where the repository lives, as the fleet file keeps it: a folder, or an s3:// or azure:// location. */
  get root(): string {
    return this.store.name;
  }

  /** A new repository; the place is checked first (empty, writable, conditional writes honoured). */
  static async init(location: string, keyFingerprint: string | null, access: StoreAccess): Promise<BackupRepository> {
    const parsed = parseRepositoryLocation(location);
    const store = await openRepositoryStore(parsed.kind === 'posix' ? { kind: 'posix', path: await prepareRepositoryFolder(parsed.path) } : parsed, access);
    if (parsed.kind !== 'posix') await prepareObjectRepository(store);
    const info: RepositoryInfo = {
      format: REPOSITORY_FORMAT,
      createdAt: new Date().toISOString(),
      createdBy: `Lifeboat ${LIFEBOAT_VERSION}`,
      encryption: keyFingerprint ? { alg: 'aes-256-gcm-chunked-v1', keyFingerprint } : null,
    };
    if (!(await store.createIfAbsent(REPOSITORY_FILE, Buffer.from(JSON.stringify(info, null, 2) + '\n'), { fileMode: READABLE })))
      throw new LifeboatError('CONFLICT', `${store.name} became a repository while this one was being created.`, `Use it as it is: lifeboat repo use ${store.name}.`);
    return new BackupRepository(store, info);
  }

  static async open(location: string, access: StoreAccess): Promise<BackupRepository> {
    const store = await openRepositoryStore(parseRepositoryLocation(location), access);
    try {
      return await BackupRepository.openOn(store);
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  /** The repository on a store opened already (a shared one, StoreCache.ts): its description is read. */
  static async openOn(store: RepositoryStore): Promise<BackupRepository> {
    return new BackupRepository(store, await readRepositoryInfo(store));
  }

  /** The folder of one backup's files. */
  backupFolder(serviceId: string, backupId: string): StoreFolder {
    return { store: this.store, prefix: `${serviceId}/backups/${backupId}/` };
  }

  /**
   * A new backup's id and folder, taken atomically. An id names the second its backup began, and two
   * backups of one service begun in the same second (a schedule and a click, two agents, a test suite) must
   * never share a folder: each would write over the other's files, and a failed or cancelled one removes
   * its folder, the other's backup with it. The first id from `at` on whose folder is free is taken.
   */
  async reserveBackupFolder(serviceId: string, kind: string, at: Date): Promise<{ id: string; folder: StoreFolder }> {
    for (let later = 0; later < LATEST_ID; later++) {
      const id = newBackupId(serviceId, kind, new Date(at.getTime() + later * 1000));
      if (await this.takeBackupFolder(serviceId, id)) return { id, folder: this.backupFolder(serviceId, id) };
    }
    throw new LifeboatError('CONFLICT', `${serviceId}: the next ${LATEST_ID} ${kind} backup ids after ${at.toISOString()} are all taken in ${this.root}.`, `Wait a minute and start the backup again; lifeboat backups ${serviceId} lists the backups there.`);
  }

  /**
   * Takes the folder of backup id for a job that is about to write it (a new backup, or a copy of one from
   * another repository): false when another backup has it. Taken with a create-if-absent (every store's
   * commit primitive); a folder that holds a manifest and no reservation (a backup made before
   * reservations) is never taken.
   */
  async takeBackupFolder(serviceId: string, id: string): Promise<boolean> {
    const folder = this.backupFolder(serviceId, id);
    if (await this.store.stat(folder.prefix + MANIFEST)) return false;
    const reservation = Buffer.from(`${JSON.stringify({ backupId: id, reservedAt: new Date().toISOString(), lifeboatVersion: LIFEBOAT_VERSION })}\n`);
    return this.store.createIfAbsent(folder.prefix + RESERVED, reservation, { fileMode: READABLE });
  }

  async writeManifest(manifest: BackupManifest): Promise<void> {
    await this.putText(this.backupFolder(manifest.serviceId, manifest.id).prefix + MANIFEST, JSON.stringify(manifestSchema.parse(manifest), null, 2) + '\n');
  }

  async services(): Promise<string[]> {
    return (await this.store.listFolders('')).filter((name) => !name.startsWith('.'));
  }

  /**
   * Complete backups of a service, oldest first. Manifests are read several at a time: on an object store
   * each is a request, and one after another they were most of a restore's planning.
   */
  async list(serviceId: string): Promise<BackupEntry[]> {
    const ids = await this.backupIds(serviceId);
    const entries: (BackupEntry | undefined)[] = new Array(ids.length);
    let next = 0;
    const reader = async () => {
      for (let i = next++; i < ids.length; i = next++) {
        entries[i] = await this.read(serviceId, ids[i]!).catch((err: LifeboatError) => (err.code === 'NOT_FOUND' ? undefined : Promise.reject(err)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(MANIFEST_READS, ids.length) }, reader));
    return entries.filter((e): e is BackupEntry => e !== undefined).sort((a, b) => a.manifest.finishedAt.localeCompare(b.manifest.finishedAt));
  }

  /** Backup folders with no manifest: a run that failed, was cancelled or was killed. */
  async incomplete(serviceId: string): Promise<string[]> {
    const ids: string[] = [];
    for (const id of await this.backupIds(serviceId)) {
      if (!(await this.store.stat(this.backupFolder(serviceId, id).prefix + MANIFEST))) ids.push(id);
    }
    return ids;
  }

  async read(serviceId: string, backupId: string): Promise<BackupEntry> {
    const folder = this.backupFolder(serviceId, backupId).prefix;
    // Both asked at once: on an object store each is a round trip.
    const historyRead = this.store
      .getBytes(folder + HISTORY)
      .then((t) => z.array(historyEntrySchema).parse(JSON.parse(t.toString('utf8'))))
      .catch(() => [] as HistoryEntry[]);
    let text: string;
    try {
      text = (await this.store.getBytes(folder + MANIFEST)).toString('utf8');
    } catch (err) {
      if ((err as LifeboatError).code !== 'NOT_FOUND') throw err;
      throw new LifeboatError('NOT_FOUND', `No complete backup ${backupId} for ${serviceId}.`, 'List the backups: lifeboat backups <service>.', { cause: err });
    }
    const manifest = manifestSchema.parse(JSON.parse(text));
    const history = await historyRead;
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
    await this.putText(this.backupFolder(serviceId, backupId).prefix + HISTORY, JSON.stringify([...history, entry], null, 2) + '\n');
  }

  /** The manifest goes first, so a removal interrupted halfway leaves an incomplete backup, never a broken one. */
  async remove(serviceId: string, backupId: string): Promise<void> {
    const folder = this.backupFolder(serviceId, backupId).prefix;
    await this.store.delete(folder + MANIFEST);
    await this.store.deletePrefix(folder);
  }

  /** A drill's record, beside the service's backups: <service>/drills/<id>.json. */
  async writeDrill(serviceId: string, id: string, record: unknown): Promise<void> {
    await this.putText(`${serviceId}/drills/${id}.json`, JSON.stringify(record, null, 2) + '\n');
  }

  /** The service's drill records, as written (oldest key first). */
  async drills(serviceId: string): Promise<unknown[]> {
    const records: unknown[] = [];
    for await (const found of this.store.list(`${serviceId}/drills/`)) {
      if (found.key.endsWith('.json')) records.push(JSON.parse((await this.store.getBytes(found.key)).toString('utf8')));
    }
    return records;
  }

  /** Lets go of the store's connections. */
  close(): Promise<void> {
    return this.store.close();
  }

  private async putText(key: string, text: string): Promise<void> {
    await this.store.put(key, Readable.from([Buffer.from(text)]), { fileMode: READABLE });
  }

  private backupIds(serviceId: string): Promise<string[]> {
    return this.store.listFolders(`${serviceId}/backups/`);
  }
}

/**
 * A bucket or container prefix can hold a new repository when nothing is there yet and the store refuses
 * to overwrite on a conditional create (the commit point of manifests and locks).
 */
async function prepareObjectRepository(store: RepositoryStore): Promise<void> {
  for await (const found of store.list('')) {
    if (found.key === REPOSITORY_FILE) throw new LifeboatError('CONFLICT', `${store.name} is already a Lifeboat repository.`, `Use it as it is: lifeboat repo use ${store.name}.`);
    if (!found.key.startsWith('.lifeboat/')) throw new LifeboatError('CONFLICT', `${store.name} is not empty (it holds ${found.key}).`, 'A repository needs an empty bucket prefix or container folder; choose another prefix (s3://bucket/<new-prefix>).');
  }
  await checkCreateIfAbsent(store);
}

/** Backup ids sort by time and say what they are: orders-20261125T114501Z-physical. */
function newBackupId(serviceId: string, kind: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${serviceId}-${stamp}-${kind}`;
}
