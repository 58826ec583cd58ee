// What a headless agent leaves in the shared repository so a desktop pointed at the same repository sees it:
// .lifeboat/agents/<name>/agent.json (who, where, last heartbeat) and one object per finished job under
// .lifeboat/agents/<name>/jobs/<finished-at>-<job id>.json: object stores cannot append, and a key per job
// never tears and sorts by time. Journals written as jobs.jsonl (before repositories were on object stores)
// are still read.
import { hostname } from 'node:os';
import { Readable } from 'node:stream';
import type { Job } from '../../shared/jobs';
import type { AgentJob, AgentView } from '../../shared/monitoring';
import type { RepositoryStore } from '../repository/store/repositoryStore';

export const HEARTBEAT_MS = 60_000;
const AGENTS = '.lifeboat/agents/';
/** Job records kept per agent: older ones are removed when a new one is written. */
const KEEP_JOBS = 1000;

/** A folder-safe agent name: the host name by default. */
export function defaultAgentName(): string {
  return hostname().toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+/, '') || 'agent';
}

const putText = (store: RepositoryStore, key: string, text: string) => store.put(key, Readable.from([Buffer.from(text)]), { fileMode: 0o644 });

export class AgentJournal {
  private readonly prefix: string;
  private chain: Promise<void> = Promise.resolve();
  private written = 0;

  constructor(
    private readonly store: RepositoryStore,
    readonly name: string,
    private readonly startedAt: string,
  ) {
    this.prefix = `${AGENTS}${name}/`;
  }

  async heartbeat(now: number): Promise<void> {
    const view: Omit<AgentView, 'stale'> = { name: this.name, host: hostname(), pid: process.pid, startedAt: this.startedAt, lastSeen: new Date(now).toISOString() };
    await putText(this.store, `${this.prefix}agent.json`, JSON.stringify(view, null, 2) + '\n');
  }

  /** Resolves when every record so far is stored. */
  flush(): Promise<void> {
    return this.chain;
  }

  /** Stores a job that reached its final state; records are written one at a time, in order. */
  record(job: Job): Promise<void> {
    this.chain = this.chain
      .then(async () => {
        const stamp = (job.finishedAt ?? new Date().toISOString()).replace(/[-:]/g, '');
        await putText(this.store, `${this.prefix}jobs/${stamp}-${job.id}.json`, JSON.stringify(job) + '\n');
        if (++this.written % 100 === 0) await this.prune();
      })
      .catch(() => undefined);
    return this.chain;
  }

  private async prune(): Promise<void> {
    const keys: string[] = [];
    for await (const found of this.store.list(`${this.prefix}jobs/`)) keys.push(found.key);
    for (const key of keys.slice(0, Math.max(0, keys.length - KEEP_JOBS))) await this.store.delete(key);
  }
}

/** Every agent that wrote into this repository, and their most recent jobs (newest first). */
export async function readAgents(store: RepositoryStore, now: number, jobsPerAgent = 200): Promise<{ agents: AgentView[]; jobs: AgentJob[] }> {
  const agents: AgentView[] = [];
  const jobs: AgentJob[] = [];
  for (const name of await store.listFolders(AGENTS)) {
    const prefix = `${AGENTS}${name}/`;
    try {
      const view = JSON.parse((await store.getBytes(`${prefix}agent.json`)).toString('utf8')) as Omit<AgentView, 'stale'>;
      agents.push({ ...view, stale: now - Date.parse(view.lastSeen) > 3 * HEARTBEAT_MS });
    } catch {
      continue;
    }
    const keys: string[] = [];
    for await (const found of store.list(`${prefix}jobs/`)) keys.push(found.key);
    const texts = await Promise.all(keys.slice(-jobsPerAgent).map((k) => store.getBytes(k).then((b) => b.toString('utf8'), () => '')));
    const legacy = await store.getBytes(`${prefix}jobs.jsonl`).then((b) => b.toString('utf8'), () => '');
    for (const line of [...legacy.split('\n').filter(Boolean).slice(-jobsPerAgent), ...texts]) {
      try {
        jobs.push({ ...(JSON.parse(line) as Job), agent: name });
      } catch {
        // A torn last line of a legacy journal.
      }
    }
  }
  jobs.sort((a, b) => (b.finishedAt ?? b.createdAt).localeCompare(a.finishedAt ?? a.createdAt));
  return { agents: agents.sort((a, b) => a.name.localeCompare(b.name)), jobs };
}
