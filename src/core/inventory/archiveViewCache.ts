// The archive doors' view of the fleet file, remembered between calls: PostgreSQL starts wal-push or wal-get
// once per WAL segment, and parsing the YAML (and loading its parser) cost more than a quarter of a call. The
// view is kept in the user's cache folder ($XDG_CACHE_HOME or ~/.cache, lifeboat/) under the fleet file's
// path, and used only while the file has the same size, modification time and inode as when it was read;
// otherwise the file is read again. A cache that cannot be written only costs the parse next time.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { LifeboatError } from '../lifeboatError';
import type { StoreCredentialSource } from '../repository/store/storeCredentials';
import type { ArchiveView } from './fleetArchiveView';
import { noRepository, noSuchService, notPostgres } from './fleetLookupErrors';

const CACHE_FORMAT = 3;

interface CachedView extends ArchiveView {
  format: number;
  configPath: string;
  /** What the fleet file was when the view was read. */
  stamp: string;
}

function cacheFile(configPath: string, env: NodeJS.ProcessEnv): string {
  const dir = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(dir, 'lifeboat', `archive-view-${createHash('sha256').update(configPath).digest('hex').slice(0, 16)}.json`);
}

async function view(configPath: string, env: NodeJS.ProcessEnv): Promise<ArchiveView | undefined> {
  let info;
  try {
    info = await stat(configPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LifeboatError('CONFIG_INVALID', `Cannot read the fleet file ${configPath}: ${(err as Error).message}`, 'Check that the file exists and is readable by this account, or pass another one with --config.');
  }
  const stamp = `${info.size}:${info.mtimeMs}:${info.ino}`;
  const file = cacheFile(configPath, env);
  const cached = await readFile(file, 'utf8').then((t) => JSON.parse(t) as CachedView, () => undefined);
  if (cached?.format === CACHE_FORMAT && cached.configPath === configPath && cached.stamp === stamp && typeof cached.services === 'object') return cached;
  const { parseArchiveView } = await import('./fleetArchiveView');
  const text = await readFile(configPath, 'utf8').catch((err: Error) => {
    throw new LifeboatError('CONFIG_INVALID', `Cannot read the fleet file ${configPath}: ${err.message}`, 'Check that the file exists and is readable by this account, or pass another one with --config.');
  });
  const fresh = parseArchiveView(configPath, text);
  const record: CachedView = { format: CACHE_FORMAT, configPath, stamp, ...fresh };
  const temp = `${file}.${process.pid}`;
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 })
    .then(() => writeFile(temp, JSON.stringify(record), { mode: 0o600 }))
    .then(() => rename(temp, file))
    .catch(() => undefined);
  return fresh;
}

/** The repository of a PostgreSQL service and where its credentials come from, as the fleet file at configPath says. */
export async function serviceRepository(configPath: string, serviceId: string, env: NodeJS.ProcessEnv = process.env): Promise<{ location: string; credentials?: StoreCredentialSource; copies: { location: string; credentials?: StoreCredentialSource }[] }> {
  const services = (await view(resolve(configPath), env))?.services;
  const service = services && Object.hasOwn(services, serviceId) ? services[serviceId] : undefined;
  if (!service) throw noSuchService(serviceId);
  if (service.engine !== 'postgres') throw notPostgres(serviceId);
  if (!service.repository) throw noRepository();
  return { location: service.repository, credentials: service.credentials, copies: service.copies ?? [] };
}
