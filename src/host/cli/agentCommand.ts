// `lifeboat agent --config fleet.yaml`: schedules, notifications and WAL streaming on a server with no
// display. Logs one line per event to stdout (JSON lines with --json), the schedules again after an edit of
// the fleet file is applied; stops cleanly on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { createCore, type Core } from '../../core/api';
import { resolveAppPaths } from '../../core/appPaths';
import { FleetFile } from '../../core/inventory/fleetFile';
import { toWireError } from '../../core/lifeboatError';
import { agentPreflight } from '../../core/monitoring/agentPreflight';
import { defaultAgentName } from '../../core/monitoring/agentJournal';
import { KeytarSecretStore } from '../../core/secrets/keytarSecretStore';
import type { Job } from '../../shared/jobs';
import type { Output } from './cliOutput';
import type { CommandRun } from './commandCatalog';

/** How long running jobs get to stop (and clean up) after SIGTERM. */
const STOP_GRACE_MS = 30_000;

export async function agentCommand(globals: { config?: string; dataDir?: string }, args: string[], out: Output): Promise<number> {
  let name: string;
  try {
    const { values } = parseArgs({ args, options: { name: { type: 'string' } }, strict: true });
    name = values.name ?? defaultAgentName();
    if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(name)) return out.error({ code: 'INVALID_INPUT', message: `Invalid agent name "${name}".`, hint: 'Use lower-case letters, digits, ".", "-" and "_".' });
  } catch (err) {
    return out.error({ code: 'INVALID_INPUT', message: (err as Error).message, hint: 'Usage: lifeboat agent [--config fleet.yaml] [--data-dir DIR] [--name NAME]' });
  }
  const say = (level: string, event: string, detail: string, extra: Record<string, unknown> = {}) => {
    const time = new Date().toISOString();
    process.stdout.write(out.json ? JSON.stringify({ time, level, event, detail, ...extra }) + '\n' : `${time} ${level.padEnd(5)} ${event}: ${detail}\n`);
  };

  let core: Core;
  try {
    const paths = resolveAppPaths({ configPath: globals.config, dataDir: globals.dataDir });
    const secrets = new KeytarSecretStore();
    const { warnings } = await agentPreflight(await FleetFile.load(paths.configPath), secrets, process.env);
    for (const w of warnings) say('warn', 'agent.keychain', w);
    core = await createCore({ configPath: paths.configPath, dataDir: paths.dataDir, secrets, runSchedules: true, resumeWalStreams: true, agentName: name,
      onScheduleLog: (e) => say(e.level, e.event, `${e.serviceId ? `${e.serviceId} ` : ''}${e.detail ?? ''}`) });
  } catch (err) {
    return out.error(toWireError(err));
  }

  const printSchedules = () => {
    for (const s of core.monitor.scheduler.views()) {
      const state = s.error ? `cannot run: ${s.error}` : `next ${s.nextRun ?? 'never'}`;
      say(s.error ? 'error' : 'info', 'schedule', `${s.serviceId} ${s.kind} ${s.description}; ${state}${s.missed ? `; ${s.missed.count} run(s) missed since ${s.missed.first}${s.missed.ranAtStart ? ', running once now' : ''}` : ''}`);
    }
    if (!core.monitor.scheduler.views().length) say('warn', 'schedule', 'No schedules in the fleet file (policy.schedules): the agent only streams WAL and watches.');
  };

  const lastState = new Map<string, string>();
  const unsubscribe = core.events.subscribe((event, payload) => {
    // An edit of the fleet file was applied (the core has rebuilt the schedules by now): say what runs next.
    if (event === 'services.changed') printSchedules();
    else if (event === 'job.changed') {
      const job = payload as Job;
      if (lastState.get(job.id) === job.state) return; // progress, not a state change
      lastState.set(job.id, job.state);
      const tail = job.error ? ` (${job.error.code}: ${job.error.message})` : '';
      say(job.state === 'failed' ? 'error' : 'info', `job.${job.state}`, `${job.title} [${job.id}]${tail}`, { job: { id: job.id, kind: job.kind, serviceId: job.serviceId, state: job.state } });
    } else if (event === 'monitoring.notification') {
      const n = payload as { severity: string; title: string; message: string };
      say(n.severity === 'critical' ? 'error' : 'warn', 'notification', `${n.title}: ${n.message}`);
    }
  });

  say('info', 'agent.started', `${name} (pid ${process.pid}), fleet ${core.info.configPath}, data ${core.info.dataDir}`, { agent: name, pid: process.pid });
  printSchedules();

  // Timers of the core never hold the process; this one does, until a signal arrives.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  say('info', 'agent.stopping', `${signal}: cancelling running jobs`);
  await core.close({ graceMs: STOP_GRACE_MS });
  unsubscribe();
  clearInterval(keepAlive);
  say('info', 'agent.stopped', name);
  return 0;
}

export async function run(r: CommandRun): Promise<number> {
  return agentCommand(r.globals, r.args, r.out);
}
