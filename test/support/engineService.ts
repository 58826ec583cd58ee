// A service a team already backs up with pgBackRest or Barman, set up once for every engine suite: a real
// cluster (track_commit_timestamp, archiving into the engine), the engine's stanza or server on it, a test core
// with the service "shop" registered under that engine (run as the repository's owner, the cluster's account)
// and the items table the row story writes. The suites then tell only their own story.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection, Policy } from '../../src/shared/domain';
import type { Job } from '../../src/shared/jobs';
import { prepareBarman, preparePgBackRest } from './backupEngines';
import { startCluster, type PgCluster, type SettingValue } from './pgCluster';
import { startTestCore, type TestCore } from './testCore';
import { clusterOsUser, type OsUser } from './unprivilegedUser';

export interface EngineService<E> {
  engine: E;
  /** The cluster the service backs up (the primary, when the suite started a pair). */
  cluster: PgCluster;
  t: TestCore;
  password: string;
  user: OsUser;
  /** The service's id in the fleet. */
  serviceId: 'shop';
  /** The job once it has ended. */
  finished(job: Job): Promise<Job>;
  /** Removes the scratch clusters left, closes the core, stops the cluster (or what startCluster started). */
  close(): Promise<void>;
}

export interface EngineServiceOptions {
  /** Extra lines for the engine's global section (pgBackRest only). */
  engineConfig?: string[];
  /** What the service's policy adds to the engine's coordinates (rpo, rto...). */
  policy?: Partial<Policy>;
  /** Starts the cluster(s) with the given settings; the returned cluster is the one backed up. Default: one
   * cluster. `stop` ends everything it started. */
  start?: (settings: Record<string, SettingValue>, password: string) => Promise<{ cluster: PgCluster; stop(): Promise<void> }>;
}

const DRILL_CHECKS = [{ name: 'items exist', sql: 'select count(*) from items' }];

async function startEngineService<E extends { archiveSettings: Record<string, string> }>(
  prepare: (root: string, user: OsUser) => Promise<E>,
  create: (engine: E, cluster: PgCluster) => Promise<void>,
  coordinates: (engine: E, osUser: string | undefined) => Partial<Policy>,
  o: EngineServiceOptions & { prefix: string },
): Promise<EngineService<E>> {
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const user = clusterOsUser();
  const engine = await prepare(await mkdtemp(join(tmpdir(), o.prefix)), user);
  const settings = { track_commit_timestamp: true, archive_timeout: 0, ...engine.archiveSettings };
  const started = o.start ? await o.start(settings, password) : await startCluster({ superuserPassword: password, settings }).then((c) => ({ cluster: c, stop: () => c.stop() }));
  const { cluster } = started;
  let t: TestCore | undefined;
  try {
    await cluster.query('create database shop');
    await create(engine, cluster);
    // Fleet views give each service 2 s by default (for hung servers); an engine's facts take several of its
    // commands (Barman's Python starts alone cost a third of a second each), and the machine running the tests
    // may be loaded by other suites. A team sets this as fleetViews.serverTimeLimitSeconds.
    t = await startTestCore(undefined, { env: { ...process.env, LIFEBOAT_SERVER_TIME_LIMIT_MS: '30000' } });
    const connection: Connection = { ...cluster.connection('shop'), password: { kind: 'keychain' } };
    await t.call('services.add', { service: { id: 'shop', name: 'Shop', engine: 'postgres', connection, policy: { ...o.policy, ...coordinates(engine, user.switched ? user.name : undefined), drillChecks: DRILL_CHECKS } }, password });
    await cluster.query('create table items (id int primary key, note text)', [], 'shop');
  } catch (err) {
    await t?.close();
    await started.stop();
    throw err;
  }
  const core = t;
  return {
    engine,
    cluster,
    t: core,
    password,
    user,
    serviceId: 'shop',
    finished: (job) => core.core.jobs.wait(job.id),
    async close() {
      for (const s of await core.call('scratch.list', {}).catch(() => [])) await core.call('scratch.remove', { id: s.id }).catch(() => undefined);
      await core.close();
      await started.stop();
    },
  };
}

/** A pgBackRest stanza "shop" archiving with `pgbackrest archive-push`; expire-auto=n unless the suite says
 * otherwise, so pgBackRest's retention runs only when Lifeboat applies it. */
export function startPgBackRestService(o: EngineServiceOptions = {}) {
  return startEngineService(
    (root, user) => preparePgBackRest(root, 'shop', user),
    (engine, cluster) => engine.create(cluster, o.engineConfig ?? ['expire-auto=n']),
    (engine, osUser) => ({ engine: 'pgbackrest', pgbackrest: { stanza: 'shop', config: engine.config, osUser } }),
    { ...o, prefix: 'lifeboat-pgbackrest-' },
  );
}

/** A Barman server "shop" (backup_method = postgres, WAL shipped by archive_command into its incoming folder). */
export function startBarmanService(o: EngineServiceOptions = {}) {
  return startEngineService(
    (root, user) => prepareBarman(root, 'shop', user),
    (engine, cluster) => engine.create(cluster),
    (engine, osUser) => ({ engine: 'barman', barman: { server: 'shop', config: engine.config, osUser } }),
    { ...o, prefix: 'lifeboat-barman-' },
  );
}
