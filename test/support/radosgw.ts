// Ceph's radosgw (Debian's radosgw, ceph-mon, ceph-osd: Ceph 16) on a throwaway single-node cluster, the
// real S3 implementation of the store tests: one monitor, one OSD keeping its objects in memory (memstore),
// one gateway, no cephx, everything in a temp folder on free loopback ports, each daemon in the foreground
// as a child of the test (so it is always stopped). Ready in about 15 s here. Unlike s3rver and moto it
// checks SigV4 signatures, honours If-None-Match on PUT atomically, and reports when uploads started.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answersHttp, emulatorFolder, removeEmulatorFolder, spawnDaemon } from './emulatorProcess';
import { freePort } from './freePort';
import { until } from './until';

export interface Radosgw {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  folder: string;
  /** Stops the gateway only (the cluster behind it stays): what a client sees when its S3 server is gone. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const PACKAGES = 'apt-get install --no-install-recommends radosgw ceph-mon ceph-osd';

/** Why radosgw cannot run here, or undefined when it can. */
export function radosgwMissing(): string | undefined {
  for (const program of ['radosgw', 'ceph-mon', 'ceph-osd', 'monmaptool', 'radosgw-admin', 'ceph']) {
    if (spawnSync('sh', ['-c', `command -v ${program}`]).status !== 0) return `${program} is not installed (${PACKAGES})`;
  }
  return undefined;
}

/** Runs a Ceph command to its end; a failure says what it printed. */
function run(program: string, args: string[], cwd: string): string {
  const result = spawnSync(program, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${program} ${args.join(' ')} failed (${result.status ?? result.signal}): ${(result.stderr || result.stdout || String(result.error)).slice(-2_000)}`);
  return result.stdout;
}

export interface RadosgwOptions {
  /** The OSD's memory for objects; the default holds the store suite's objects (a 70 MB stream, twice). */
  memstoreBytes?: number;
  /**
   * Beast's tcp_nodelay: off (Ceph's default), a small GET waits some 40 ms for the client's delayed ACK
   * before its body goes out (Nagle), which a request-bound benchmark would measure instead of the client.
   */
  tcpNoDelay?: boolean;
  /**
   * No debug logging at all, in memory or in files (Ceph gathers levels up to 5 of most subsystems in memory
   * by default, for crash dumps): what the benchmark uses, so the gateway's own bookkeeping on the same two
   * cores is not counted as the store's. Tests keep Ceph's defaults (a failing start's log says why).
   */
  quietLogs?: boolean;
}

/** Ceph's subsystems on a request's path: gateway, messenger, objecter, OSD and its object store. */
const LOGGED = ['rgw', 'ms', 'objecter', 'rados', 'osd', 'memstore', 'objclass', 'monc', 'mon', 'auth', 'finisher', 'context', 'asok', 'perfcounter', 'optracker', 'bluestore', 'bluefs', 'bdev', 'rocksdb', 'journal', 'filestore', 'crush', 'paxos', 'heartbeatmap', 'throttle', 'refs', 'civetweb', 'javaclient'];

export async function startRadosgw(options: RadosgwOptions = {}): Promise<Radosgw> {
  const folder = emulatorFolder('radosgw');
  const [monPort, rgwPort] = [await freePort(), await freePort()];
  const conf = join(folder, 'ceph.conf');
  const fsid = run('uuidgen', [], folder).trim();
  for (const d of ['mon', 'osd/ceph-0', 'run', 'log', 'rgw']) mkdirSync(join(folder, d), { recursive: true });
  writeFileSync(
    conf,
    [
      '[global]',
      `fsid = ${fsid}`,
      // msgr v1 only: a monitor on a port other than 3300/6789 is otherwise taken for v2, and v1 clients hang.
      `mon host = [v1:127.0.0.1:${monPort}]`,
      'mon initial members = a',
      'auth cluster required = none',
      'auth service required = none',
      'auth client required = none',
      'keyring = /dev/null',
      'osd pool default size = 1',
      'osd pool default min size = 1',
      'mon allow pool size one = true',
      'osd crush chooseleaf type = 0',
      'osd pool default pg autoscale mode = off',
      'osd pool default pg num = 8',
      'osd pool default pgp num = 8',
      'mon warn on pool no redundancy = false',
      'ms bind ipv6 = false',
      `run dir = ${folder}/run`,
      `admin socket = ${folder}/run/$name.asok`,
      `log file = ${folder}/log/$name.log`,
      `mon data = ${folder}/mon/$cluster-$id`,
      `osd data = ${folder}/osd/$cluster-$id`,
      'osd objectstore = memstore',
      // The OSD's own crush updates at start race its monitor session (sent with a zero fsid, refused as
      // "wrong fsid", the OSD exits: one start in five here); the harness places osd.0 in the crush map itself.
      'osd crush update on start = false',
      'osd class update on start = false',
      // Room for the suite's objects (a 70 MB stream, twice) in memory.
      `memstore device bytes = ${options.memstoreBytes ?? 1 << 30}`,
      ...(options.quietLogs ? LOGGED.map((name) => `debug ${name} = 0/0`) : []),
      '[client.rgw.0]',
      `rgw frontends = beast endpoint=127.0.0.1:${rgwPort}${options.tcpNoDelay ? ' tcp_nodelay=1' : ''}`,
      `rgw data = ${folder}/rgw`,
      '',
    ].join('\n'),
  );
  const daemons: ReturnType<typeof spawnDaemon>[] = [];
  const stopAll = async () => {
    for (const d of [...daemons].reverse()) await d.stop();
  };
  try {
    run('monmaptool', ['--create', '--addv', 'a', `[v1:127.0.0.1:${monPort}]`, '--fsid', fsid, join(folder, 'monmap')], folder);
    run('ceph-mon', ['-c', conf, '--mkfs', '-i', 'a', '--monmap', join(folder, 'monmap')], folder);
    daemons.push(spawnDaemon('ceph-mon', ['-f', '-c', conf, '-i', 'a'], { cwd: folder }));
    // Waits for the monitor (the client retries until it answers).
    // The OSD is registered under the uuid its store is made with: with none, the monitor and the booting OSD
    // may disagree about osd.0 ("wrong fsid"), which failed one start in three here.
    const osdUuid = run('uuidgen', [], folder).trim();
    run('ceph', ['-c', conf, '--connect-timeout', '30', 'osd', 'new', osdUuid, '0'], folder);
    run('ceph-osd', ['-c', conf, '-i', '0', '--mkfs', '--osd-uuid', osdUuid], folder);
    run('ceph', ['-c', conf, '--connect-timeout', '30', 'osd', 'crush', 'add', 'osd.0', '1', 'root=default'], folder);
    daemons.push(spawnDaemon('ceph-osd', ['-f', '-c', conf, '-i', '0'], { cwd: folder }));
    const gateway = spawnDaemon('radosgw', ['-f', '-c', conf, '-n', 'client.rgw.0'], { cwd: folder });
    daemons.push(gateway);
    // A daemon that died ends the wait at once, with what it printed (its log file has the rest).
    const ready = await until(`radosgw to answer on port ${rgwPort}`, async () => daemons.find((d) => d.gone()) ?? (await answersHttp(rgwPort, '/')), 60_000);
    if (ready !== true) throw new Error(`a Ceph daemon exited while the cluster started: ${ready.output().slice(-2_000)}`);
    const accessKeyId = 'LIFEBOATTEST';
    const secretAccessKey = `lifeboat-${fsid}`;
    run('radosgw-admin', ['-c', conf, 'user', 'create', '--uid', 'lifeboat', '--display-name', 'Lifeboat tests', '--access-key', accessKeyId, '--secret', secretAccessKey], folder);
    return {
      endpoint: `http://127.0.0.1:${rgwPort}`,
      accessKeyId,
      secretAccessKey,
      folder,
      kill: () => gateway.stop(),
      async stop() {
        await stopAll();
        removeEmulatorFolder(folder);
      },
    };
  } catch (err) {
    await stopAll();
    removeEmulatorFolder(folder);
    throw err;
  }
}
