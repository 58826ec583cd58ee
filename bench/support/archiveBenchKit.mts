// Helpers of the archive bench (bench/archiveBench.mts): running a program as the cluster's account and
// timing it, a pgBackRest stanza in temp folders, statistics and tables, and finding the processes a phase
// left behind (by the paths in their command lines, so only our own are ever named).
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { chown, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PgCluster } from '../../test/support/pgCluster';
import { runAsOptions, type OsUser } from '../../test/support/unprivilegedUser';

export interface Timed {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From spawn to the child's exit. */
  seconds: number;
  /** CPU seconds (user + system) of the child and what it waited for; exact only when nothing else of ours ends meanwhile. */
  cpu: number;
}

export interface RunOptions {
  user: OsUser;
  env: Record<string, string>;
  cwd: string;
  /** Output to this file rather than collected (for a command that leaves a server running on its stdout). */
  logFile?: string;
  /** Exit codes that count as success; default [0]. */
  ok?: number[];
}

/** What bin/lifeboat.mjs prints when out/cli is missing or older than its sources. */
export const STALE_BUILD = /running from the sources|is not built|out\/cli is older/;

/** Runs a program as the cluster's account; rejects on an unexpected exit code or Lifeboat's stale-build warning. */
export function runAs(program: string, args: string[], o: RunOptions): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const fd = o.logFile ? openSync(o.logFile, 'a') : undefined;
    const started = performance.now();
    const cpu0 = processCpu(process.pid)?.children ?? 0;
    let seconds = 0;
    const child = spawn(program, args, { cwd: o.cwd, env: o.env, stdio: fd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', fd, fd], ...runAsOptions(o.user) });
    if (fd !== undefined) closeSync(fd);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('exit', () => (seconds = (performance.now() - started) / 1000));
    // With a log file, 'close' would wait for every process that inherited it (a postmaster): exit is enough.
    child.once(fd === undefined ? 'close' : 'exit', (code, signal) => {
      seconds ||= (performance.now() - started) / 1000;
      const text = fd === undefined ? stderr : readFileSync(o.logFile!, 'utf8');
      if (STALE_BUILD.test(text)) return reject(new Error(`STALE LIFEBOAT BUILD: bin/lifeboat.mjs ran from the sources; run "npm run build" first.\n${text.trim()}`));
      if (!(o.ok ?? [0]).includes(code ?? -1))
        return reject(new Error(`${[program, ...args].join(' ')} exited with ${code ?? signal}:\n${(stderr || stdout || (o.logFile ? readFileSync(o.logFile, 'utf8').slice(-3000) : '')).trim()}`));
      resolve({ code, signal, stdout, stderr, seconds, cpu: (processCpu(process.pid)?.children ?? 0) - cpu0 });
    });
  });
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** The ratio of the medians, and the median of the round-by-round ratios (each pair ran back to back). */
export const ratios = (a: number[], b: number[]): [number, number] => [median(a) / median(b), median(a.map((x, i) => x / b[i]!))];

export interface Row {
  label: string;
  times: number[];
}

/** A table in the style of the other benches: label, median, best, every round in order. */
export function printTable(title: string, rows: Row[], digits = 3): void {
  const width = Math.max(title.length, ...rows.map((r) => r.label.length));
  console.log(`\n${title.padEnd(width)}  median s   best s  rounds (in order)`);
  console.log(`${'-'.repeat(width)}  --------  -------  -----------------`);
  for (const r of rows)
    console.log(`${r.label.padEnd(width)}  ${median(r.times).toFixed(digits).padStart(8)}  ${Math.min(...r.times).toFixed(digits).padStart(7)}  ${r.times.map((t) => t.toFixed(digits)).join(' ')}`);
}

/** One ratio line: "label: 1.23x / 1.20x (target <= 2.5x): met". */
export function ratioLine(label: string, [ofMedians, paired]: [number, number], target?: number): string {
  const verdict = target === undefined ? '' : ` (target <= ${target}x): ${Math.max(ofMedians, paired) <= target ? 'met' : ofMedians <= target || paired <= target ? 'borderline' : 'MISSED'}`;
  return `  ${label}: ${ofMedians.toFixed(2)}x / ${paired.toFixed(2)}x${verdict}`;
}

export interface Stanza {
  name: string;
  root: string;
  conf: string;
  repo: string;
  spool: string;
  /** `pgbackrest --config=... --stanza=... <args>` as the cluster's account. */
  run(args: string[], o?: Partial<RunOptions>): Promise<Timed>;
  /** The same as one shell command line (for archive_command). */
  commandLine(args: string[]): string;
  /** Fresh repository and spool (then stanza-create). */
  recreate(): Promise<void>;
  /** WAL segment names in the repository. */
  segments(): Promise<string[]>;
}

/**
 * A pgBackRest stanza for a cluster, everything in root (owned by the cluster's account): encrypted with
 * aes-256-cbc, gz level 1, like Lifeboat's WAL (gzip 1, AES-256-GCM).
 */
export async function createStanza(o: { root: string; name: string; cluster: PgCluster; user: OsUser; env: Record<string, string>; passphrase: string }): Promise<Stanza> {
  const dirs = { repo: join(o.root, 'repo'), spool: join(o.root, 'spool'), lock: join(o.root, 'lock'), log: join(o.root, 'log') };
  await mkdir(o.root, { recursive: true, mode: 0o700 });
  await chown(o.root, o.user.uid, o.user.gid);
  const conf = join(o.root, 'pgbackrest.conf');
  await writeFile(conf, [
    '[global]',
    `repo1-path=${dirs.repo}`,
    'repo1-cipher-type=aes-256-cbc',
    `repo1-cipher-pass=${o.passphrase}`,
    'repo1-retention-full=2',
    'compress-type=gz',
    'compress-level=1',
    `lock-path=${dirs.lock}`,
    `log-path=${dirs.log}`,
    `spool-path=${dirs.spool}`,
    'start-fast=y',
    '',
    `[${o.name}]`,
    `pg1-path=${o.cluster.dataDir}`,
    `pg1-port=${o.cluster.port}`,
    `pg1-socket-path=${o.cluster.socketDir}`,
    `pg1-user=${o.cluster.superuser}`,
    '',
  ].join('\n'), { mode: 0o600 });
  await chown(conf, o.user.uid, o.user.gid);
  const base = [`--config=${conf}`, `--stanza=${o.name}`];
  const stanza: Stanza = {
    name: o.name,
    root: o.root,
    conf,
    repo: dirs.repo,
    spool: dirs.spool,
    run: (args, ro = {}) => runAs('pgbackrest', [...base, ...args], { user: o.user, env: o.env, cwd: o.root, ...ro }),
    commandLine: (args) => ['pgbackrest', ...base, ...args].join(' '),
    async recreate() {
      for (const d of Object.values(dirs)) {
        await rm(d, { recursive: true, force: true });
        await mkdir(d, { mode: 0o700 });
        await chown(d, o.user.uid, o.user.gid);
      }
      await stanza.run(['stanza-create']);
    },
    async segments() {
      const out: string[] = [];
      const walk = async (dir: string): Promise<void> => {
        for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
          if (e.isDirectory()) await walk(join(dir, e.name));
          else {
            const m = /^([0-9A-F]{24})-[0-9a-f]{40}(\.gz)?$/.exec(e.name);
            if (m) out.push(m[1]!);
          }
        }
      };
      await walk(join(dirs.repo, 'archive', o.name));
      return out.sort();
    },
  };
  await stanza.recreate();
  return stanza;
}

/** Processes whose command line names one of these paths (ours: the paths are this run's temp folders). */
export function processesMentioning(paths: string[]): Array<{ pid: number; cmd: string }> {
  const found: Array<{ pid: number; cmd: string }> = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') continue;
    } catch {
      continue;
    }
    if (cmd && paths.some((p) => cmd.includes(p))) found.push({ pid, cmd });
  }
  return found;
}

/** Waits until no process names these paths (workers exit by themselves); returns the ones still there. */
export async function waitForNoProcesses(paths: string[], timeoutMs: number, filter: (cmd: string) => boolean = () => true): Promise<{ left: Array<{ pid: number; cmd: string }>; waitedMs: number }> {
  const started = Date.now();
  for (;;) {
    const left = processesMentioning(paths).filter((p) => filter(p.cmd));
    if (!left.length || Date.now() - started > timeoutMs) return { left, waitedMs: Date.now() - started };
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/**
 * Where a process's time went, from a .cpuprofile (node --cpu-prof): self time by kind (module loading and
 * compiling, crypto, zlib, file system, GC, idle...) and the functions with the most self time.
 */
export function summariseCpuProfile(text: string, top = 10): string {
  const p = JSON.parse(text) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const short = (url: string) => url.replace(/^file:\/\/.*\/(node_modules\/[^/]+|out\/cli|src)\//, '$1/').replace(/^node:/, 'node:');
  /** A node's kind: the nearest frame on its stack that says what it is. */
  const kind = (id: number): string => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (f.functionName === '(garbage collector)') return 'GC';
      if (f.functionName === '(idle)') return 'idle (waiting for I/O or the thread pool)';
      if (f.functionName === '(program)') return 'native, outside JS (start-up, compile)';
      if (/node:internal\/modules|compileFunction|wrapSafe|loadESM|ModuleJob/.test(f.url + f.functionName)) return 'module loading and compiling';
      if (/node:internal\/crypto|Cipher|Decipher|Hash/.test(f.url + f.functionName)) return 'crypto';
      if (/node:zlib|zlib/.test(f.url)) return 'zlib';
      if (/node:internal\/fs|node:fs/.test(f.url)) return 'file system';
    }
    return 'other JS';
  };
  const kinds = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const k = kind(id);
    kinds.set(k, (kinds.get(k) ?? 0) + us);
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${short(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const ms = (us: number) => `${(us / 1000).toFixed(1)} ms`;
  const total = p.endTime - p.startTime;
  return [
    `profiled ${ms(total)} (from the profiler's start, after Node's own start-up): ${[...kinds].sort((a, b) => b[1] - a[1]).map(([k, us]) => `${k} ${ms(us)}`).join(', ')}`,
    ...[...fns].sort((a, b) => b[1] - a[1]).slice(0, top).map(([f, us]) => `      ${ms(us).padStart(9)}  ${f}`),
  ].join('\n');
}

const TICK = 100; // getconf CLK_TCK on Linux

/** A process's own CPU seconds and those of its waited-for children, from /proc/<pid>/stat. */
export function processCpu(pid: number): { own: number; children: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14-17 of stat (utime, stime, cutime, cstime) are 11-14 here, after pid, comm and state.
    return { own: (Number(f[11]) + Number(f[12])) / TICK, children: (Number(f[13]) + Number(f[14])) / TICK };
  } catch {
    return undefined;
  }
}

/** The whole machine's busy and total CPU seconds so far (all cores), from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = v.map(Number);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - n[3]! - n[4]!) / TICK, total: total / TICK };
}

/**
 * CPU of a process and everything it starts from now on, detached or not: a cpuacct cgroup (v1) of our
 * own. Only the cpuacct hierarchy changes; undefined where it cannot be made.
 */
export class CpuGroup {
  private constructor(private readonly dir: string) {}
  static create(name: string): CpuGroup | undefined {
    const dir = `/sys/fs/cgroup/cpuacct/${name}`;
    try {
      mkdirSync(dir);
      readFileSync(join(dir, 'cpuacct.usage'), 'utf8');
      return new CpuGroup(dir);
    } catch {
      return undefined;
    }
  }
  /** Moves a process in (its children from now on follow it). */
  add(pid: number): void {
    writeFileSync(join(this.dir, 'cgroup.procs'), String(pid));
  }
  seconds(): number {
    return Number(readFileSync(join(this.dir, 'cpuacct.usage'), 'utf8').trim()) / 1e9;
  }
  /** Moves whatever is left back to the root group and removes the group. */
  remove(): void {
    try {
      for (const pid of readFileSync(join(this.dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
        try {
          writeFileSync('/sys/fs/cgroup/cpuacct/cgroup.procs', pid);
        } catch {
          // It ended meanwhile.
        }
      }
      rmdirSync(this.dir);
    } catch {
      // Already gone.
    }
  }
}

/**
 * CPU spent by archiving, sampled (where no CpuGroup can be made): the long-lived workers (whose command lines name our paths) as they run, and the archive_command calls through the archiver's waited-for children.
 * A worker that starts and ends between two samples is missed (undercounts, for either tool).
 */
export class ArchivingCpu {
  private readonly workers = new Map<number, { first: number; last: number }>();
  private readonly archiverStart: number;
  constructor(private readonly paths: string[], private readonly archiverPid: number) {
    this.archiverStart = processCpu(archiverPid)?.children ?? 0;
    this.sample(true);
  }
  sample(baseline = false): void {
    for (const p of processesMentioning(this.paths)) {
      // Only the workers: Lifeboat's pusher and prefetcher, pgBackRest's async processes (archive_command's own
      // processes are counted through the archiver, which waits for them).
      if (!/--run-pusher|--run-prefetcher|:async|:local/.test(p.cmd)) continue;
      const cpu = processCpu(p.pid)?.own;
      if (cpu === undefined) continue;
      const seen = this.workers.get(p.pid);
      if (seen) seen.last = cpu;
      else this.workers.set(p.pid, { first: baseline ? cpu : 0, last: cpu });
    }
  }
  /** Worker seconds, and archive_command seconds (the archiver's children). */
  total(): { workers: number; commands: number; workerPids: number } {
    const workers = [...this.workers.values()].reduce((n, w) => n + w.last - w.first, 0);
    return { workers, commands: (processCpu(this.archiverPid)?.children ?? this.archiverStart) - this.archiverStart, workerPids: this.workers.size };
  }
}
