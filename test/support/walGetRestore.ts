// A whole-cluster restore as the README tells a DBA to do one by hand: backup-fetch into an empty data
// directory, recovery.signal, the CLI's `wal-get --prefetch 8` as restore_command and a recovery target time;
// started as a cluster of its own and waited for until recovery has reached the target and promoted. The
// archive-door tests use it on a folder repository and on S3; the caller asserts on rows and stops it.
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { startClusterFromDataDir, type PgCluster } from './pgCluster';
import { runCli } from './runCli';
import { until } from './until';

export interface WalGetRestore {
  configPath: string;
  backupId: string;
  service: string;
  /** The backed-up cluster's superuser password. */
  password: string;
  /** An ISO time; recovery stops before the first commit after it. */
  targetTime: string;
  keyFile: string;
  /** Variable assignments put before the command in restore_command (an object store's credentials). */
  commandEnv?: string;
}

export async function restoreThroughWalGet(o: WalGetRestore): Promise<PgCluster> {
  const cli = `${process.execPath} ${resolve('bin/lifeboat.mjs')} --config ${o.configPath}`;
  const restored = await startClusterFromDataDir(
    async (dataDir) => {
      const fetched = await runCli(['--config', o.configPath, 'backup-fetch', o.backupId, '--to', dataDir]);
      expect(fetched.code, fetched.stderr).toBe(0);
      await writeFile(join(dataDir, 'recovery.signal'), '');
    },
    o.password,
    {
      settings: {
        archive_mode: 'off',
        restore_command: `${o.commandEnv ? `${o.commandEnv} ` : ''}LIFEBOAT_KEY_FILE=${o.keyFile} ${cli} wal-get --prefetch 8 %f %p --service ${o.service}`,
        recovery_target_time: o.targetTime.replace('T', ' ').replace('Z', '+00'),
        recovery_target_action: 'promote',
      },
      startTimeoutMs: 60_000,
    },
  );
  try {
    await until('recovery to reach the target and promote', async () => (await restored.query<{ r: boolean }>('select pg_is_in_recovery() as r'))[0]!.r === false, 120_000);
  } catch (err) {
    await restored.stop();
    throw err;
  }
  return restored;
}
