// The headless agent as a real process (bin/lifeboat.mjs agent) against a real cluster: a scheduled backup
// runs at its time and the CLI lists it; two agents on one repository run it exactly once (one lock winner);
// the desktop, pointed at the same fleet and repository, sees the agents and their jobs; no keychain is a
// clear error that names the alternatives.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/api';
import { runCli } from '../support/runCli';
import { startTestCore } from '../support/testCore';
import { useCluster } from '../support/useCluster';

const password = `pw-${randomBytes(6).toString('hex')}`;
const cluster = useCluster({
  superuserPassword: password,
  setup: async (c) => {
    await c.query('create database orders');
    await c.query('create table orders (id int primary key, note text); insert into orders select g, md5(g::text) from generate_series(1, 2000) g', [], 'orders');
  },
});

interface Agent {
  name: string;
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  /** Resolves with the first line matching, or rejects after ms with everything printed so far. */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
}

const agents: Agent[] = [];
let dir: string;
let configPath: string;
let repoPath: string;
const env = { ORDERS_PW: password };

function startAgent(name: string, extraEnv: Record<string, string> = {}): Agent {
  const child = spawn('node', ['bin/lifeboat.mjs', 'agent', '--config', configPath, '--data-dir', join(dir, `data-${name}`), '--name', name], {
    env: { ...process.env, ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    waiters.forEach((w) => w());
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const agent: Agent = {
    name,
    child,
    lines,
    exited,
    waitFor: (pattern, ms = 60_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find((l) => pattern.test(l));
          if (found) {
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => reject(new Error(`agent ${name}: no line matching ${pattern} within ${ms} ms:\n${lines.join('\n')}`)), ms);
        waiters.push(check);
        void exited.then(() => check());
        check();
      }),
  };
  agents.push(agent);
  return agent;
}

/** A six-field cron (seconds first) for exactly one moment, in UTC: the schedule fires once, at `at`. */
function cronAt(at: Date): string {
  return `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} ${at.getUTCDate()} ${at.getUTCMonth() + 1} *`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-agent-'));
  configPath = join(dir, 'fleet.yaml');
  repoPath = join(dir, 'repo');
  const t = await startTestCore(dir);
  try {
    await t.call('repo.init', { path: repoPath, encrypt: false });
    await t.call('services.add', {
      service: { id: 'orders', name: 'Orders', engine: 'postgres', connection: { ...cluster.connection('orders'), password: { kind: 'env', variable: 'ORDERS_PW' } }, policy: { rpo: '1h' } },
    });
  } finally {
    await t.close();
  }
});

afterEach(async () => {
  // Every agent is stopped, even when a test failed half-way.
  for (const a of agents.splice(0)) {
    if (a.child.exitCode === null && a.child.signalCode === null) {
      a.child.kill('SIGTERM');
      const exited = await Promise.race([a.exited, new Promise((r) => setTimeout(() => r('timeout'), 20_000))]);
      if (exited === 'timeout') a.child.kill('SIGKILL');
    }
  }
});

afterAll(async () => {
  for (const a of agents) a.child.kill('SIGKILL');
});

describe('the headless agent', () => {
  it('two agents on one repository run a scheduled backup exactly once; the CLI and the desktop see it', async () => {
    // Schedule a logical backup for one moment 35 s from now (both agents start well before it).
    const slot = new Date(Math.ceil((Date.now() + 35_000) / 1000) * 1000);
    const t = await startTestCore(dir);
    try {
      const view = await t.call('services.get', { id: 'orders' });
      await t.call('services.update', { service: { ...view.service, policy: { ...view.service.policy, schedules: [{ kind: 'logical', cron: cronAt(slot), timeZone: 'UTC' }] } } });
    } finally {
      await t.close();
    }

    const a = startAgent('agent-a');
    const b = startAgent('agent-b');
    await Promise.all([a.waitFor(/agent\.started/), b.waitFor(/agent\.started/)]);
    for (const agent of [a, b]) expect(await agent.waitFor(/schedule: orders logical/)).toContain(`next ${slot.toISOString()}`);
    expect(Date.now()).toBeLessThan(slot.getTime()); // else the test proves nothing

    // Each agent decides for this slot: one starts the backup, the other finds the lock taken.
    const slotText = slot.toISOString();
    const [decisionA, decisionB] = await Promise.all([a, b].map((x) => x.waitFor(new RegExp(`schedule\\.(started|skipped-locked): orders logical ${slotText.replace(/\./g, '\\.')}`))));
    const decisions = [decisionA!, decisionB!];
    expect(decisions.filter((d) => d.includes('schedule.started'))).toHaveLength(1);
    expect(decisions.filter((d) => d.includes('schedule.skipped-locked'))).toHaveLength(1);
    const winner = decisionA!.includes('schedule.started') ? a : b;
    const loser = winner === a ? b : a;
    expect(decisions.find((d) => d.includes('skipped-locked'))).toContain(`run by agent ${winner.name}`);
    await winner.waitFor(/schedule\.succeeded: orders logical/, 90_000);

    // One backup in the repository, listed by the CLI; one lock record, the winner's, marked done.
    const listed = await runCli(['backups', 'orders', '--json', '--config', configPath, '--data-dir', join(dir, 'data-cli')], { env });
    expect(listed.code, listed.stderr).toBe(0);
    const backups = JSON.parse(listed.stdout) as Array<{ id: string; kind: string; finishedAt: string }>;
    expect(backups).toHaveLength(1);
    expect(backups[0]!.kind).toBe('logical');
    expect(Date.parse(backups[0]!.finishedAt)).toBeGreaterThanOrEqual(slot.getTime());
    const locks = (await readdir(join(repoPath, '.lifeboat', 'locks'))).filter((n) => n.endsWith('.lock'));
    expect(locks).toEqual([`orders.logical.${slotText.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.lock`]);
    const lock = JSON.parse(await readFile(join(repoPath, '.lifeboat', 'locks', locks[0]!), 'utf8'));
    expect(lock).toMatchObject({ owner: `agent ${winner.name}`, pid: winner.child.pid, state: 'done', outcome: 'succeeded' });
    expect(loser.lines.some((l) => /job\.running/.test(l))).toBe(false);

    // Both stop cleanly on SIGTERM.
    for (const x of [a, b]) x.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    expect(a.lines.at(-1)).toMatch(/agent\.stopped/);

    // The desktop, pointed at the same fleet file and repository with its own state, sees both agents and the
    // winner's job from the repository's shared journal, and counts it in the dashboard's rates.
    const desktop = await createCore({ configPath, dataDir: join(dir, 'data-desktop'), env: { ...process.env, ...env } });
    try {
      const seen = await desktop.handlers['monitoring.agents']({});
      expect(seen.agents.map((x) => x.name)).toEqual(['agent-a', 'agent-b']);
      const jobs = seen.jobs.filter((j) => j.kind === 'backup.logical');
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ agent: winner.name, state: 'succeeded', serviceId: 'orders', result: { backupId: backups[0]!.id } });
      const dashboard = await desktop.handlers['monitoring.dashboard']({});
      expect(dashboard.rates.find((r) => r.days === 7)).toMatchObject({ succeeded: 1, failed: 0, successRate: 1 });
      expect(dashboard.services[0]!.backup).toMatchObject({ level: 'ok', lastGoodAt: backups[0]!.finishedAt });
      expect(dashboard.agentJobs.filter((j) => j.kind === 'backup.logical').map((j) => j.agent)).toEqual([winner.name]);
      expect(dashboard.agents.map((x) => x.stale)).toEqual([false, false]);
    } finally {
      await desktop.close();
    }
  });

  it('refuses to start without a keychain when the fleet needs one, and names the alternatives', async () => {
    const t = await startTestCore(dir);
    try {
      const view = await t.call('services.get', { id: 'orders' });
      await t.call('services.update', { service: { ...view.service, connection: { ...view.service.connection, password: { kind: 'keychain' } }, policy: { rpo: '1h' } } });
    } finally {
      await t.close();
    }
    const agent = startAgent('no-keychain', { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' });
    expect(await agent.exited).toBe(4);
    const text = agent.lines.join('\n');
    expect(text).toContain('error KEYCHAIN_UNAVAILABLE');
    expect(text).toContain('the password of orders');
    expect(text).toMatch(/"passfile"/);
    expect(text).toMatch(/"env"/);
    expect(text).toContain('LIFEBOAT_KEY_FILE');
  });
});
