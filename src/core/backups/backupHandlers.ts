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
import { copyBackup } from './copyBackup';
import type { JobContext } from '../jobs/jobRunner';
import type { BackupManifest } from '../repository/backupManifest';
import { toWireError } from '../lifeboatError';
import type { BackupCopyOutcome } from '../../shared/backups';
import { repositoryView as viewOf } from './repositoryView';
import { selectRetention } from '../repository/selectRetention';
import { resolvePassword } from '../secrets/resolvePassword';
import { restoreLogical } from './restoreLogical';
import { takePostgresBackup } from './takePostgresBackup';
import { verifyBackup } from './verifyBackup';
import { fetchBackup } from './fetchBackup';

export type BackupDepsForHandlers = Pick<CoreDeps, 'fleet' | 'secrets' | 'jobs' | 'engines' | 'events' | 'log' | 'env' | 'access'>;

type BackupHandlers = Pick<
  Handlers,
  'repo.info' | 'repo.init' | 'repo.use' | 'repo.importKey' | 'backups.start' | 'backups.list' | 'backups.verify' | 'backups.copy' | 'backups.fetch' | 'backups.restore' | 'retention.plan' | 'retention.apply'
>;

export function backupHandlers(deps: BackupDepsForHandlers): BackupHandlers {
  const { fleet, secrets, jobs, engines, log, access } = deps;
  /** Backups a running job reads or writes: retention never touches them. */
  const busy = new Set<string>();

  const repositoryView = (repo: BackupRepository) => viewOf(repo, secrets);

  const requireService = (id: string) => access.requireService(id);
  const repositoryFor = (service?: Service) => access.repositoryFor(service);
  const keyOf = (repo: BackupRepository) => access.keyOf(repo);

  /**
   * An object store's credentials, before the store is opened: a secret into the keychain entry of the
   * location, or a source (environment variable names) into the fleet file, saved with the repository.
   */
  async function withCredentials<T>(location: RepositoryLocation, credentials: RepositoryCredentialsInput | undefined, open: () => Promise<T>): Promise<T> {
    if (!credentials) return open();
    if (location.kind === 'posix') throw new LifeboatError('INVALID_INPUT', `${location.path} is a folder; a folder repository has no credentials.`, 'Leave the credentials out, or give an s3:// or azure:// location.');
    // Kept only if the repository then opens with them: a refused key must not stay behind for later calls.
    let undo: () => Promise<void>;
    if ('keychain' in credentials) {
      const account = repositoryCredentialAccount(location);
      const before = await secrets.get(account).catch(() => undefined);
      await secrets.set(account, JSON.stringify(credentials.keychain));
      undo = async () => void (before === undefined ? await secrets.delete(account) : await secrets.set(account, before));
    } else {
      const name = formatRepositoryLocation(location);
      const before = fleet.repositoryCredentials(name);
      fleet.setRepositoryCredentials(name, credentials.source);
      undo = async () => fleet.setRepositoryCredentials(name, before);
    }
    // A store opened with the old credentials is not reused, nor one opened with the refused ones.
    access.forgetStore(formatRepositoryLocation(location));
    try {
      return await open();
    } catch (err) {
      await undo().catch(() => undefined);
      access.forgetStore(formatRepositoryLocation(location));
      throw err;
    }
  }

  /**
   * Copies a new backup into every other repository of its service, one after another. A copy that fails
   * is reported in the result (and the dashboard counts one copy fewer); the backup itself stands.
   */
  async function copyEverywhere(ctx: JobContext, repo: BackupRepository, manifest: BackupManifest): Promise<BackupCopyOutcome[]> {
    const outcomes: BackupCopyOutcome[] = [];
    for (const copy of repo.copies) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      try {
        await copyBackup(ctx, repo, copy, manifest);
        outcomes.push({ to: copy.root, ok: true });
      } catch (err) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        const wire = toWireError(err);
        outcomes.push({ to: copy.root, ok: false, error: wire });
        await log.write({ level: 'warn', event: 'backup.copy-failed', serviceId: manifest.serviceId, detail: `${manifest.id} to ${copy.root}: ${wire.code} ${wire.message}` });
      }
    }
    return outcomes;
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
    return { plan: await retentionIn(repo, service), repo };
  }

  /** The policy's retention applied to what one repository holds (each copy keeps by the same rule on its own). */
  async function retentionIn(repo: BackupRepository, service: Service): Promise<RetentionPlanView> {
    const serviceId = service.id;
    const entries = await repo.list(serviceId);
    const policy = service.policy.retention ?? {};
    const decision = selectRetention(
      entries.map((e) => ({ id: e.manifest.id, kind: e.manifest.kind, finishedAt: e.manifest.finishedAt, verified: e.history.at(-1)?.ok === true })),
      policy,
      new Date(),
      busy,
    );
    return { serviceId, policy, ...decision };
  }

  return {
    'repo.info': async () => (fleet.repository ? { ...(await repositoryView(await access.repositoryFor())), createdForCopies: fleet.copyRepositories } : null),

    'repo.init': async ({ path, encrypt, credentials, sameKeyAs, makeDefault }) => {
      // The place first: a location that cannot hold a repository must not leave a key in the keychain.
      const location = parseRepositoryLocation(path);
      if (location.kind === 'posix') await prepareRepositoryFolder(location.path);
      // A copy's repository shares the key of the one it copies (its files are byte copies).
      const shared = sameKeyAs ? (await BackupRepository.open(sameKeyAs, access.storeAccess(sameKeyAs))).info.encryption?.keyFingerprint ?? null : undefined;
      const repo = await withCredentials(location, credentials, async () => {
        const key = shared === undefined && encrypt ? await createRepositoryKey(secrets) : undefined;
        const fingerprint = shared !== undefined ? shared : (key?.fingerprint ?? null);
        return BackupRepository.init(path, fingerprint, access.storeAccess(formatRepositoryLocation(location))).catch(async (err) => {
          if (key) await secrets.delete(keyAccount(key.fingerprint)).catch(() => undefined);
          throw err;
        });
      });
      if (makeDefault) fleet.setRepository(repo.root);
      else fleet.addCopyRepository(repo.root);
      await fleet.save();
      await log.write({ level: 'info', event: 'repository.created', detail: repo.root });
      return repositoryView(repo);
    },

    'repo.use': async ({ path, credentials }) => {
      const location = formatRepositoryLocation(parseRepositoryLocation(path));
      const repo = await withCredentials(parseRepositoryLocation(path), credentials, async () => {
        const opened = await BackupRepository.open(location, access.storeAccess(location));
        if (opened.store.location.kind !== 'posix') await checkCreateIfAbsent(opened.store);
        return opened;
      });
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
        const repo = await access.repositoryFor(service, { anyCopy: false });
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
            const copies = await copyEverywhere(ctx, repo, manifest);
            return { backupId: manifest.id, storedBytes: manifest.files.reduce((n, f) => n + f.bytes, 0), ...(copies.length ? { copies } : {}) };
          },
        }),
      );
    },

    'backups.list': async ({ serviceId }) => {
      const service = requireService(serviceId);
      const repo = await repositoryFor(service);
      return (await repo.list(serviceId)).map(toBackupView).reverse();
    },

    'backups.copy': async ({ backupId }) => {
      const { entry } = await findBackup(backupId);
      const service = requireService(entry.manifest.serviceId);
      const repo = await repositoryFor(service);
      if (!repo.copies.length) throw new LifeboatError('INVALID_INPUT', `${service.id} is kept in one repository only (${repo.root}).`, 'List a second repository in its policy.repositories; create it with lifeboat repo init <location> --same-key-as <first> --not-default.');
      const { manifest } = await repo.read(service.id, backupId);
      return jobs.start({
        kind: 'backup.copy',
        title: `Copy ${backupId} to the other repositories`,
        serviceId: service.id,
        run: async (ctx) => {
          busy.add(backupId);
          try {
            const missing = [];
            for (const copy of repo.copies) if (!(await copy.store.stat(`${copy.backupFolder(service.id, backupId).prefix}manifest.json`))) missing.push(copy);
            repo.copies = missing;
            const copies = await copyEverywhere(ctx, repo, manifest);
            const failed = copies.find((c) => !c.ok)?.error;
            if (failed) throw new LifeboatError(failed.code, failed.message, failed.hint);
            return { backupId, copies };
          } finally {
            busy.delete(backupId);
          }
        },
      });
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
      // Retention per repository: each copy applies the same rule to its own backups (a copy may hold fewer).
      for (const copy of repo.copies) {
        const copyPlan = await retentionIn(copy, requireService(serviceId));
        for (const r of copyPlan.remove) {
          await copy.remove(serviceId, r.id);
          await log.write({ level: 'info', event: 'retention.removed', serviceId, detail: `${r.id} in ${copy.root}: ${r.reason}` });
        }
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
