// `npm run bench:fleet`: the fleet-wide views of the built CLI (dashboard, fleet report, runbook --all) on
// fleets of 50, 200 and 1,000 PostgreSQL services on four real clusters, of which one in ten points at a host
// that accepts connections and never answers (a listener of this bench that holds every socket). Every
// service has a logical backup in one encrypted repository; one service per cluster also has a physical
// backup and a drill. The sizes run in alternating order each round; `lifeboat services list` (start-up and
// the fleet file, no server asked) runs beside them as the floor. Targets at 200 services: dashboard <= 3 s,
// report <= 5 s, runbook --all <= 5 s; from 50 to 200 to 1,000 each grows no faster than linearly.
// Every answer is checked (one row, section or runbook per service; the hung hosts' facts unknown with the
// reason), so a fast wrong answer fails the bench. --quick: 2 rounds and sizes 50 and 200.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import type { DashboardView } from '../src/shared/monitoring';
import { startCluster, type PgCluster } from '../test/support/pgCluster';
import { startTestCore } from '../test/support/testCore';
import { clusterOsUser } from '../test/support/unprivilegedUser';
import { median, printTable, runAs, type Timed } from './support/archiveBenchKit.mjs';

const run = promisify(execFile);
const quick = process.argv.includes('--quick');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (quick ? 2 : 3));
const SIZES = (process.env.BENCH_SIZES ?? (quick ? '50,200' : '50,200,1000')).split(',').map(Number);
const CLUSTERS = 4;
const DATABASES_PER_CLUSTER = 10;
const HUNG_EVERY = 10;
const TARGETS: Record<View, number> = { dashboard: 3, report: 5, runbooks: 5 };
type View = 'dashboard' | 'report' | 'runbooks';
const VIEWS: View[] = ['dashboard', 'report', 'runbooks'];

const password = `bench-${randomBytes(6).toString('hex')}`;
const root = await mkdtemp(join(tmpdir(), 'lifeboat-fbench-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 60000).toFixed(1)} min`;
const say = (text: string) => console.log(`[${elapsed()}] ${text} (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);

// The bundle, current at the start (bin/lifeboat.mjs warns on a stale one and the bench stops on that warning),
// copied aside as an installed package would be, so edits and rebuilds of the checkout during the run do not
// change what is measured.
if (!existsSync(resolve('out/cli'))) {
  console.error('BENCH FAILED: no built CLI; run "npm run build" first.');
  process.exit(1);
}
const installed = join(root, 'lifeboat');
await mkdir(join(installed, 'bin'), { recursive: true });
await mkdir(join(installed, 'out'));
await run('cp', ['-r', resolve('out/cli'), join(installed, 'out', 'cli')]);
await run('cp', [resolve('bin/lifeboat.mjs'), join(installed, 'bin', 'lifeboat.mjs')]);
await run('cp', [resolve('package.json'), join(installed, 'package.json')]);
await run('cp', ['-r', resolve('resources'), join(installed, 'resources')]); // the document templates
await symlink(resolve('node_modules'), join(installed, 'node_modules'));
const bin = join(installed, 'bin', 'lifeboat.mjs');
const me = { ...clusterOsUser(), switched: false };
const cliEnv = { ...process.env, BENCH_PGPASSWORD: password } as Record<string, string>;
delete cliEnv.NODE_EXTRA_CA_CERTS; // a CA bundle parsed at every start: not what a server's shell has
const lifeboat = (config: string, dataDir: string, args: string[]): Promise<Timed> => runAs(process.execPath, [bin, '--config', config, '--data-dir', dataDir, ...args], { user: me, cwd: root, env: cliEnv });

// Hosts that accept connections and never answer: one listener per hung service (each its own host:port, so
// no two hung services share a server read), every socket held open until the bench ends.
const held = new Set<Socket>();
const hungListeners: Server[] = [];
async function hungHost(): Promise<number> {
  const server = createServer((socket) => {
    held.add(socket);
    socket.resume(); // reads and ignores what the client sends, never answers
    socket.on('close', () => held.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hungListeners.push(server);
  return (server.address() as { port: number }).port;
}

say(`Fleet bench: sizes ${SIZES.join(', ')}, ${ROUNDS} rounds, ${CLUSTERS} clusters, 1 service in ${HUNG_EVERY} on a hung host of its own; ${cpus().length} cores, Node ${process.version}`);
const clusters: PgCluster[] = [];
process.on('exit', () => void clusters.forEach((c) => c.stop()));
for (let k = 0; k < CLUSTERS; k++) {
  const c = await startCluster({ superuserPassword: password, settings: { max_connections: 200, fsync: false } });
  clusters.push(c);
  for (let d = 0; d < DATABASES_PER_CLUSTER; d++) {
    await c.query(`create database app_${d}`);
    await c.query(`create table orders (id int primary key, note text); insert into orders select g, md5(g::text) from generate_series(1, 200) g`, [], `app_${d}`);
  }
}
say('Clusters ready');

const core = await startTestCore(join(root, 'core'));
const repo = join(root, 'repo');
await core.call('repo.init', { path: repo, encrypt: true });

const largest = Math.max(...SIZES);
const hungPorts = new Map<number, number>();
for (let i = 0; i < largest; i++) if (i % HUNG_EVERY === HUNG_EVERY - 1) hungPorts.set(i, await hungHost());
const id = (i: number) => `svc-${String(i).padStart(4, '0')}`;
const isHung = (i: number) => i % HUNG_EVERY === HUNG_EVERY - 1;
/** Service i: on cluster i mod 4, database app_<i mod 10>; every tenth on the hung host. */
function service(i: number) {
  const c = clusters[i % CLUSTERS]!;
  return {
    id: id(i),
    name: `Service ${i}`,
    engine: 'postgres',
    team: `team-${i % 7}`,
    owner: `owner-${i % 13}@example.com`,
    tags: [`tier-${i % 3}`, i % 2 ? 'payments' : 'catalog'],
    connection: { host: '127.0.0.1', port: hungPorts.get(i) ?? c.port, database: `app_${i % DATABASES_PER_CLUSTER}`, user: 'postgres', tls: 'disable', password: { kind: 'env', variable: 'BENCH_PGPASSWORD' } },
    policy: { rpo: '24h', rto: '1h' },
  };
}
async function fleetFile(size: number): Promise<string> {
  const path = join(root, `fleet-${size}.yaml`);
  await writeFile(path, stringify({ version: 1, repository: repo, services: Array.from({ length: size }, (_, i) => service(i)) }));
  return path;
}
const configs = new Map<number, string>();
for (const size of SIZES) configs.set(size, await fleetFile(size));
// One data folder for every size: the drills and the job journal belong to the same fleet.
const dataDir = join(root, 'data');
await mkdir(dataDir, { recursive: true });

// Backups: a logical one of every answering service (through a core on the largest fleet), a physical one
// and a drill of the first service of each cluster.
{
  const { createCore } = await import('../src/core/api');
  const c = await createCore({ configPath: configs.get(largest)!, dataDir, env: cliEnv });
  const answering = Array.from({ length: largest }, (_, i) => i).filter((i) => !isHung(i)).map(id);
  say(`Backing up ${answering.length} services (logical)`);
  for (let k = 0; k < answering.length; k += 100) {
    const jobs = await c.handlers['backups.start']({ serviceIds: answering.slice(k, k + 100), kind: 'logical', compression: 'zstd', checkpoint: 'fast' });
    for (const j of jobs) {
      const done = await c.jobs.wait(j.id);
      if (done.state !== 'succeeded') throw new Error(`backup of ${done.serviceId} ${done.state}: ${done.error?.message}`);
    }
  }
  for (let k = 0; k < CLUSTERS; k++) {
    const [job] = await c.handlers['backups.start']({ serviceIds: [id(k)], kind: 'physical', compression: 'zstd', checkpoint: 'fast' });
    const done = await c.jobs.wait(job!.id);
    if (done.state !== 'succeeded') throw new Error(`physical backup of ${id(k)}: ${done.error?.message}`);
    const { backupId } = done.result as { backupId: string };
    const drill = await c.jobs.wait((await c.handlers['drills.start']({ serviceId: id(k), target: { kind: 'immediate', backupId } })).id);
    if (drill.state !== 'succeeded') throw new Error(`drill of ${id(k)}: ${drill.error?.message}`);
  }
  await c.close();
  say('Backups and drills ready');
}

/** The view's command line, and a check that its answer covers every service (a fast wrong answer fails). */
const COMMANDS: Record<View, { args: string[]; check(out: string, size: number): void }> = {
  dashboard: {
    args: ['dashboard', '--json'],
    check(out, size) {
      const d = JSON.parse(out) as DashboardView;
      if (d.services.length !== size) throw new Error(`dashboard: ${d.services.length} services, expected ${size}`);
      const hungRows = d.services.filter((s) => isHung(Number(s.serviceId.slice(4))));
      const unknownReplication = hungRows.filter((s) => s.replication.level === 'unknown' && /no answer within/.test(s.replication.text));
      if (unknownReplication.length !== hungRows.length) throw new Error(`dashboard: ${hungRows.length - unknownReplication.length} hung services not shown as unknown: ${JSON.stringify(hungRows.find((s) => !unknownReplication.includes(s))?.replication)}`);
      const answered = d.services.filter((s) => !hungRows.includes(s));
      const withBackup = answered.filter((s) => s.backup.lastGoodAt);
      if (withBackup.length !== answered.length) throw new Error(`dashboard: ${answered.length - withBackup.length} answering services without their backup`);
    },
  },
  report: {
    args: ['report', '--format', 'md'],
    check(out, size) {
      const rows = out.split('\n').filter((l) => /^\| `svc-\d{4}` \| 24h \|/.test(l));
      if (rows.length !== size) throw new Error(`report: ${rows.length} compliance rows, expected ${size}`);
    },
  },
  runbooks: {
    args: ['runbook', '--all', '--format', 'md'],
    check(out, size) {
      const titles = out.match(/^#+ Runbook: Service \d+ \(svc-\d{4}\)/gm) ?? [];
      if (titles.length !== size) throw new Error(`runbook --all: ${titles.length} runbooks, expected ${size}`);
    },
  },
};

const times = new Map<string, number[]>();
const record = (key: string, s: number) => times.set(key, [...(times.get(key) ?? []), s]);
for (let round = 1; round <= ROUNDS; round++) {
  const order = round % 2 ? SIZES : [...SIZES].reverse();
  for (const size of order) {
    const config = configs.get(size)!;
    const floor = await lifeboat(config, dataDir, ['services', 'list', '--json']);
    record(`services list|${size}`, floor.seconds);
    for (const view of VIEWS) {
      const r = await lifeboat(config, dataDir, COMMANDS[view].args);
      try {
        COMMANDS[view].check(r.stdout, size);
      } catch (err) {
        const kept = resolve(`test-results/fleet-bench-${view}-${size}.txt`);
        await mkdir(resolve('test-results'), { recursive: true });
        await writeFile(kept, r.stdout);
        throw new Error(`${(err as Error).message} (the answer is in ${kept})`);
      }
      record(`${view}|${size}`, r.seconds);
    }
    say(`round ${round}/${ROUNDS}, ${size} services: ${['services list', ...VIEWS].map((v) => `${v} ${times.get(`${v}|${size}`)!.at(-1)!.toFixed(2)} s`).join(', ')}`);
  }
}

const LABEL: Record<string, string> = { 'services list': 'lifeboat services list (floor)', dashboard: 'lifeboat dashboard', report: 'lifeboat report --format md', runbooks: 'lifeboat runbook --all --format md' };
printTable(
  `Fleet views, ${ROUNDS} rounds, 1 in ${HUNG_EVERY} services on a hung host`,
  ['services list', ...VIEWS].flatMap((v) => SIZES.map((size) => ({ label: `${LABEL[v]}, ${size} services`, times: times.get(`${v}|${size}`)! }))),
  2,
);
console.log('');
let missed = 0;
for (const view of VIEWS) {
  const at = (size: number) => median(times.get(`${view}|${size}`)!);
  const target = SIZES.includes(200) ? `; at 200 services ${at(200).toFixed(2)} s (target <= ${TARGETS[view]} s): ${at(200) <= TARGETS[view] ? 'met' : 'MISSED'}` : '';
  if (SIZES.includes(200) && at(200) > TARGETS[view]) missed++;
  const growth = SIZES.slice(1).map((size, k) => {
    const prev = SIZES[k]!;
    const grew = at(size) / at(prev);
    const linear = size / prev;
    if (grew > linear) missed++;
    return `${prev} -> ${size}: ${grew.toFixed(2)}x for ${linear.toFixed(0)}x the services (${grew <= linear ? 'no faster than linear' : 'FASTER THAN LINEAR'})`;
  });
  console.log(`  ${LABEL[view]}${target}; ${growth.join('; ')}`);
}
console.log(missed ? `\n${missed} target(s) missed.` : '\nEvery target met.');
for (const l of hungListeners) l.close();
for (const s of held) s.destroy();
await core.close();
await run('true');
process.exit(0);
