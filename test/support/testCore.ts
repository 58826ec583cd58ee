// A real core in a temp folder (fleet file, state, logs), with a registered service for a cluster and a
// repository, for tests that drive the contract the way the doors do.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../src/core/api';
import { dispatchCall } from '../../src/core/doorDispatch';
import type { MethodInput, MethodName, MethodOutput } from '../../src/shared/contract';
import type { WireError } from '../../src/shared/errors';

export interface TestCore {
  core: Core;
  dir: string;
  configPath: string;
  dataDir: string;
  /** Calls through the same dispatcher the doors use; rejects with the WireError. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  close(): Promise<void>;
}

/** A core in dir (a new temp folder by default); start one again in the same dir to test a restart. */
export async function startTestCore(dir?: string, options: Omit<CoreOptions, 'configPath' | 'dataDir'> = {}): Promise<TestCore> {
  dir ??= await mkdtemp(join(tmpdir(), 'lifeboat-core-'));
  const configPath = join(dir, 'fleet.yaml');
  const dataDir = join(dir, 'data');
  const core = await createCore({ ...options, configPath, dataDir });
  return {
    core,
    dir,
    configPath,
    dataDir,
    async call(method, input) {
      const outcome = await dispatchCall(core, method, input);
      if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error) as Error & WireError;
      return outcome.value as never;
    },
    close: () => core.close(),
  };
}
