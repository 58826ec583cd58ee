// What a headless agent leaves in the shared repository so a desktop pointed at the same repository sees it:
// .lifeboat/agents/<name>/agent.json (who, where, last heartbeat) and jobs.jsonl (each job's final state).
import { appendFile, mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Job } from '../../shared/jobs';
import type { AgentJob, AgentView } from '../../shared/monitoring';
import { writeFileAtomic } from '../storage/atomicWrite';

export const HEARTBEAT_MS = 60_000;
const ROTATE_BYTES = 4 * 1024 * 1024;

export function agentsDir(repositoryRoot: string): string {
  return join(repositoryRoot, '.lifeboat', 'agents');
}

/** A folder-safe agent name: the host name by default. */
export function defaultAgentName(): string {
  return hostname().toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+/, '') || 'agent';
}

export class AgentJournal {
  private readonly dir: string;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    repositoryRoot: string,
    readonly name: string,
    private readonly startedAt: string,
  ) {
    this.dir = join(agentsDir(repositoryRoot), name);
  }

  async heartbeat(now: number): Promise<void> {
    const view: Omit<AgentView, 'stale'> = { name: this.name, host: hostname(), pid: process.pid, startedAt: this.startedAt, lastSeen: new Date(now).toISOString() };
    await writeFileAtomic(join(this.dir, 'agent.json'), JSON.stringify(view, null, 2) + '\n', 0o644);
  }

  /** Resolves when every append so far is on disk. */
  flush(): Promise<void> {
    return this.chain;
  }

  /** Appends a job that reached its final state; appends are serialised so lines never interleave. */
  record(job: Job): Promise<void> {
    this.chain = this.chain
      .then(async () => {
        await mkdir(this.dir, { recursive: true });
        const path = join(this.dir, 'jobs.jsonl');
        const size = await stat(path).then((s) => s.size, () => 0);
        if (size > ROTATE_BYTES) await rename(path, join(this.dir, 'jobs.old.jsonl'));
        await appendFile(path, JSON.stringify(job) + '\n', { mode: 0o644 });
      })
      .catch(() => undefined);
    return this.chain;
  }
}

/** Every agent that wrote into this repository, and their most recent jobs (newest first). */
export async function readAgents(repositoryRoot: string, now: number, jobsPerAgent = 200): Promise<{ agents: AgentView[]; jobs: AgentJob[] }> {
  const root = agentsDir(repositoryRoot);
  const names = await readdir(root).catch(() => [] as string[]);
  const agents: AgentView[] = [];
  const jobs: AgentJob[] = [];
  for (const name of names) {
    try {
      const view = JSON.parse(await readFile(join(root, name, 'agent.json'), 'utf8')) as Omit<AgentView, 'stale'>;
      agents.push({ ...view, stale: now - Date.parse(view.lastSeen) > 3 * HEARTBEAT_MS });
    } catch {
      continue;
    }
    const text = await readFile(join(root, name, 'jobs.jsonl'), 'utf8').catch(() => '');
    const lines = text.split('\n').filter(Boolean).slice(-jobsPerAgent);
    for (const line of lines) {
      try {
        jobs.push({ ...(JSON.parse(line) as Job), agent: name });
      } catch {
        // A torn last line while the agent appends.
      }
    }
  }
  jobs.sort((a, b) => (b.finishedAt ?? b.createdAt).localeCompare(a.finishedAt ?? a.createdAt));
  return { agents: agents.sort((a, b) => a.name.localeCompare(b.name)), jobs };
}
