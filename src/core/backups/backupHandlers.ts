// The backups slice of the contract: the repository, backup jobs, verification, restore and retention.
import type { BackupView, RetentionPlanView } from '../../shared/backups';
import type { Handlers } from '../../shared/contract';
import type { CoreDeps } from '../coreDeps';
import type { Service } from '../../shared/domain';
import { LifeboatError } from '../lifeboatError';
import { prepareRepositoryFolder } from '../repository/repositoryFolder';
import { checkCreateIfAbsent } from '../repository/store/checkCreateIfAbsent';
import { formatRepositoryLocation, parseRepositoryLocation, type RepositoryLocation } from '../repository/store/parseRepositoryLocation';
import { repositoryCredentialAccount } from '../repository/store/storeCredentials';
import type { RepositoryCredentialsInput } from '../../shared/repositoryCredentials';
import { BackupRepository, type BackupEntry } from '../repository/backupRepository';
import { createRepositoryKey, importRepositoryKey, keyAccount } from '../repository/repositoryKeys';
import { RepositoryAccess } from './repositoryAccess';
import { repositoryView as viewOf } from './repositoryView';
import { selectRetention } from '../repository/selectRetention';
import { resolvePassword } from '../secrets/resolvePassword';
import { restoreLogical } from './restoreLogical';
import { takePostgresBackup } from './takePostgresBackup';
import { verifyBackup } from './verifyBackup';
import { fetchBackup } from './fetchBackup';

export type BackupDepsForHandlers = Pick<CoreDeps, 'fleet' | 'secrets' | 'jobs' | 'engines' | 'events' | 'log' | 'env'>;

type BackupHandlers = Pick<
  Handlers,
  'repo.info' | 'repo.init' | 'repo.use' | 'repo.importKey' | 'backups.start' | 'backups.list' | 'backups.verify' | 'backups.fetch' | 'backups.restore' | 'retention.plan' | 'retention.apply'
>;

export function backupHandlers(deps: BackupDepsForHandlers): BackupHandlers {
  const { fleet, secrets, jobs, engines, log } = deps;
  /** Backups a running job reads or writes: retention never touches them. */
  const busy = new Set<string>();

  const repositoryView = (repo: BackupRepository) => viewOf(repo, secrets);

  const access = new RepositoryAccess(fleet, secrets, deps.env);
  const requireService = (id: string) => access.requireService(id);
  const repositoryFor = (service?: Service) => access.repositoryFor(service);
  const keyOf = (repo: BackupRepository) => access.keyOf(repo);

  /**
   * An object store's credentials, before the store is opened: a secret into the keychain entry of the
   * location, or a source (environment variable names) into the fleet file, saved with the repository.
   */
  async function rememberCredentials(location: RepositoryLocation, credentials: RepositoryCredentialsInput | undefined): Promise<void> {
    if (!credentials) return;
    if (location.kind === 'posix') throw new LifeboatError('INVALID_INPUT', `${location.path} is a folder; a folder repository has no credentials.`, 'Leave the credentials out, or give an s3:// or azure:// location.');
    if ('keychain' in credentials) await secrets.set(repositoryCredentialAccount(location), JSON.stringify(credentials.keychain));
    else fleet.setRepositoryCredentials(formatRepositoryLocation(location), credentials.source);
  }

  /** Searches the repositories the fleet uses for a backup id. */
  async function findBackup(backupId: string): Promise<{ repo: BackupRepository; entry: BackupEntry }> {
    const paths = new Set<string>([fleet.repository, ...fleet.list().map((s) => fleet.repositoryFor(s))].filter((p): p is string => !!p));
    for (const path of paths) {
      const repo = await BackupRepository.open(path, access.storeAccess(path)).catch(() => undefined);
      // Not there is the next repository's turn; anything else (no permission) is the answer.
      const entry = repo && (await repo.find(backupId).catch((err) => (err instanceof LifeboatError && err.code === 'NOT_FOUND' ? undefined : Promise.reject(err))));
      if (repo && entry) return { repo, entry };
    }
    throw new LifeboatError('NOT_FOUND', `No backup with id ${backupId}.`, 'List the backups of the service: lifeboat backups <service>.');
  }

  async function retentionPlan(serviceId: string): Promise<{ plan: RetentionPlanView; repo: BackupRepository }> {
    const service = requireService(serviceId);
    const repo = await repositoryFor(service);
    const entries = await repo.list(serviceId);
    const policy = service.policy.retention ?? {};
    const decision = selectRetention(
      entries.map((e) => ({ id: e.manifest.id, kind: e.manifest.kind, finishedAt: e.manifest.finishedAt, verified: e.history.at(-1)?.ok === true })),
      policy,
      new Date(),
      busy,
    );
    return { plan: { serviceId, policy, ...decision }, repo };
  }

  return {
    'repo.info': async () => (fleet.repository ? repositoryView(await access.repositoryFor()) : null),

    'repo.init': async ({ path, encrypt, credentials, sameKeyAs, makeDefault }) => {
      // The place first: a location that cannot hold a repository must not leave a key in the keychain.
      const location = parseRepositoryLocation(path);
      if (location.kind === 'posix') await prepareRepositoryFolder(location.path);
      await rememberCredentials(location, credentials);
      // A copy's repository shares the key of the one it copies (its files are byte copies).
      const shared = sameKeyAs ? (await BackupRepository.open(sameKeyAs, access.storeAccess(sameKeyAs))).info.encryption?.keyFingerprint ?? null : undefined;
      const key = shared === undefined && encrypt ? await createRepositoryKey(secrets) : undefined;
      const fingerprint = shared !== undefined ? shared : (key?.fingerprint ?? null);
      const repo = await BackupRepository.init(path, fingerprint, access.storeAccess(formatRepositoryLocation(location))).catch(async (err) => {
        if (key) await secrets.delete(keyAccount(key.fingerprint)).catch(() => undefined);
        throw err;
      });
      if (makeDefault) fleet.setRepository(repo.root);
      await fleet.save();
      await log.write({ level: 'info', event: 'repository.created', detail: repo.root });
      return repositoryView(repo);
    },

    'repo.use': async ({ path, credentials }) => {
      await rememberCredentials(parseRepositoryLocation(path), credentials);
      const location = formatRepositoryLocation(parseRepositoryLocation(path));
      const repo = await BackupRepository.open(location, access.storeAccess(location));
      if (repo.store.location.kind !== 'posix') await checkCreateIfAbsent(repo.store);
      fleet.setRepository(repo.root);
      await fleet.save();
      return repositoryView(repo);
    },

    'repo.importKey': async ({ key }) => {
      const repo = await repositoryFor();
      if (!repo.info.encryption) throw new LifeboatError('INVALID_INPUT', `${repo.root} is not encrypted; it has no key.`, 'Nothing to import.');
      await importRepositoryKey(secrets, key, repo.info.encryption.keyFingerprint);
      return repositoryView(repo);
    },

    'backups.start': async ({ serviceIds, kind, compression, checkpoint, maxRate }) => {
      const services = serviceIds.map(requireService);
      for (const s of services)
        if (s.engine !== 'postgres') throw new LifeboatError('INVALID_INPUT', `${s.id} is a SQL Server service; its backups are run by SQL Server itself.`, 'Use the SQL Server backup page for it.');
      const prepared = await Promise.all(services.map(async (service) => {
        const repo = await repositoryFor(service);
        return { service, repo, key: await keyOf(repo) };
      }));
      return prepared.map(({ service, repo, key }) =>
        jobs.start({
          kind: `backup.${kind}`,
          title: `${kind === 'physical' ? 'Physical' : 'Logical'} backup of ${service.id}`,
          serviceId: service.id,
          run: async (ctx) => {
            const password = await resolvePassword(service, secrets, deps.env);
            const manifest = await takePostgresBackup(ctx, { service, password, repository: repo, key, engine: engines.postgres }, { kind, compression, checkpoint, maxRate });
            await log.write({ level: 'info', event: 'backup.completed', serviceId: service.id, detail: manifest.id });
            return { backupId: manifest.id, storedBytes: manifest.files.reduce((n, f) => n + f.bytes, 0) };
          },
        }),
      );
    },

    'backups.list': async ({ serviceId }) => {
      const service = requireService(serviceId);
      const repo = await repositoryFor(service);
      return (await repo.list(serviceId)).map(toBackupView).reverse();
    },

    'backups.verify': async ({ backupId }) => {
      const { repo, entry } = await findBackup(backupId);
      const key = await keyOf(repo);
      return jobs.start({
        kind: 'verify',
        title: `Verify ${backupId}`,
        serviceId: entry.manifest.serviceId,
        run: async (ctx) => {
          busy.add(backupId);
          try {
            return await verifyBackup(ctx, repo, entry.manifest, key);
          } finally {
            busy.delete(backupId);
          }
        },
      });
    },

    'backups.fetch': async ({ backupId, to, tablespaceMapping, replaceTablespaces }) => {
      const { repo, entry } = await findBackup(backupId);
      const key = await keyOf(repo);
      return jobs.start({
        kind: 'fetch',
        title: `Unpack ${backupId} into ${to}`,
        serviceId: entry.manifest.serviceId,
        run: async (ctx) => {
          busy.add(backupId);
          try {
            return await fetchBackup(ctx, repo.backupFolder(entry.manifest.serviceId, backupId), entry.manifest, key, { to, tablespaceMapping, replaceTablespaces });
          } finally {
            busy.delete(backupId);
          }
        },
      });
    },

    'backups.restore': async ({ backupId, database, targetServiceId, confirmReplace, withGlobals }) => {
      const { repo, entry } = await findBackup(backupId);
      const target = requireService(targetServiceId ?? entry.manifest.serviceId);
      if (target.engine !== 'postgres') throw new LifeboatError('INVALID_INPUT', `${target.id} is not a PostgreSQL service.`, 'Choose a PostgreSQL service as the target.');
      const key = await keyOf(repo);
      return jobs.start({
        kind: 'restore.logical',
        title: `Restore ${backupId} as ${database} on ${target.id}`,
        serviceId: target.id,
        run: async (ctx) => {
          busy.add(backupId);
          try {
            const password = await resolvePassword(target, secrets, deps.env);
            return await restoreLogical(ctx, repo, entry.manifest, key, target, password, { database, confirmReplace, withGlobals });
          } finally {
            busy.delete(backupId);
          }
        },
      });
    },

    'retention.plan': async ({ serviceId }) => (await retentionPlan(serviceId)).plan,

    'retention.apply': async ({ serviceId }) => {
      const { plan, repo } = await retentionPlan(serviceId);
      for (const r of plan.remove) {
        await repo.remove(serviceId, r.id);
        await log.write({ level: 'info', event: 'retention.removed', serviceId, detail: `${r.id}: ${r.reason}` });
      }
      return plan;
    },
  };
}

export function toBackupView({ manifest: m, history }: BackupEntry): BackupView {
  const lastVerify = [...history].reverse().find((h) => h.action === 'verify');
  return {
    id: m.id,
    serviceId: m.serviceId,
    kind: m.kind,
    startedAt: m.startedAt,
    finishedAt: m.finishedAt,
    durationMs: Date.parse(m.finishedAt) - Date.parse(m.startedAt),
    storedBytes: m.files.reduce((n, f) => n + f.bytes, 0),
    // Physical: the data directory's size (pg_basebackup compresses before Lifeboat sees the bytes).
    sourceBytes: m.physical?.dataBytes || m.files.reduce((n, f) => n + f.sourceBytes, 0),
    compression: m.compression,
    encrypted: m.encryption !== null,
    serverVersion: m.server.version,
    startLsn: m.physical?.startLsn,
    stopLsn: m.physical?.stopLsn,
    timeline: m.physical?.timeline,
    tablespaces: m.physical?.tablespaces?.map(({ oid, name, location }) => ({ oid, name, location })),
    lastVerification: lastVerify && { at: lastVerify.at, ok: lastVerify.ok, detail: lastVerify.detail },
  };
}
