// A real core in a temp folder whose fleet has SQL Server services pointing at a TDS test double, with
// passwords in an in-memory secret store (no keychain needed), driven through the doors' dispatcher.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../../src/core/api';
import { dispatchCall } from '../../../src/core/doorDispatch';
import type { SecretStore } from '../../../src/core/secrets/secretStore';
import type { MethodInput, MethodName, MethodOutput } from '../../../src/shared/contract';
import type { SqlServerBackupPolicy } from '../../../src/shared/domain';
import type { WireError } from '../../../src/shared/errors';
import type { Job } from '../../../src/shared/jobs';
import type { TdsTestDouble } from './tdsTestDouble';

export class MemorySecretStore implements SecretStore {
  readonly backend = 'memory (tests)';
  private values = new Map<string, string>();
  async get(account: string) {
    return this.values.get(account);
  }
  async set(account: string, secret: string) {
    this.values.set(account, secret);
  }
  async delete(account: string) {
    return this.values.delete(account);
  }
}

export interface SqlServiceFixture {
  id: string;
  user: string;
  password: string;
  database?: string;
  policy?: SqlServerBackupPolicy;
}

export interface SqlServerTestCore {
  core: Core;
  dir: string;
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** The WireError a call rejects with (fails the test if it succeeds). */
  failure<M extends MethodName>(method: M, input: MethodInput<M>): Promise<WireError>;
  waitForJob(job: Job): Promise<Job>;
  close(): Promise<void>;
}

export async function startSqlServerTestCore(double: Pick<TdsTestDouble, 'host' | 'port'>, services: SqlServiceFixture[]): Promise<SqlServerTestCore> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-sqlserver-'));
  const core = await createCore({ configPath: join(dir, 'fleet.yaml'), dataDir: join(dir, 'data'), secrets: new MemorySecretStore(), env: {} });
  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const outcome = await dispatchCall(core, method, input);
    if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error) as Error & WireError;
    return outcome.value as MethodOutput<M>;
  };
  for (const s of services) {
    await call('services.add', {
      service: {
        id: s.id,
        name: s.id,
        engine: 'sqlserver',
        connection: { host: double.host, port: double.port, database: s.database ?? 'orders', user: s.user, tls: 'disable' },
        policy: { sqlServer: s.policy ?? { backupDirectory: 'D:\\SQLBackups\\orders' } },
      },
      password: s.password,
    });
  }
  return {
    core,
    dir,
    call,
    async failure(method, input) {
      const outcome = await dispatchCall(core, method, input);
      if (outcome.ok) throw new Error(`${method} succeeded; a failure was expected`);
      return outcome.error;
    },
    waitForJob: (job) => core.jobs.wait(job.id),
    async close() {
      await core.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
