// A core for one CLI command: created when the command needs it (loading the whole core is most of a
// command's start-up), closed when it is done, whatever the outcome.
import type { Core } from '../../core/api';
import type { CommandRun } from './commandCatalog';

export async function withCore(r: CommandRun, fn: (core: Core) => Promise<number>): Promise<number> {
  const { createCore } = await import('../../core/api');
  const core = await createCore({ configPath: r.globals.config, dataDir: r.globals.dataDir });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}
