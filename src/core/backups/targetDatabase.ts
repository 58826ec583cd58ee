// The typed-confirmation rule for writing a database: a new name is created; an existing one is dropped and
// recreated only when the user typed its name. What this created is dropped again if the restore fails.
import type { Service } from '../../shared/domain';
import { quoteIdent, withPgClient } from '../engines/postgres/pgClient';
import { LifeboatError } from '../lifeboatError';

export interface PreparedTarget {
  replaced: boolean;
  serverMajor: number;
  /** Drops the database again after a failed restore. */
  discard(): Promise<void>;
}

/** Checks the rule without changing anything, so a refusal can come before any job starts. */
export async function checkTargetDatabase(target: Service, password: string | undefined, name: string, confirmReplace: string | undefined): Promise<{ exists: boolean }> {
  const exists = await withPgClient(target.connection, password, async (c) => ((await c.query('select 1 from pg_database where datname = $1', [name])).rowCount ?? 0) > 0);
  if (exists && confirmReplace !== name)
    throw new LifeboatError('CONFLICT', `Database "${name}" already exists on ${target.id}.`, `Choose a new name, or type "${name}" to confirm that it will be dropped and replaced.`);
  if (exists && name === target.connection.database)
    throw new LifeboatError('CONFLICT', `"${name}" is the database Lifeboat connects to for ${target.id}; it cannot drop it while connected.`, 'Restore under a new name, then swap names during a maintenance window.');
  return { exists };
}

export async function prepareTargetDatabase(target: Service, password: string | undefined, name: string, confirmReplace: string | undefined): Promise<PreparedTarget> {
  const { exists } = await checkTargetDatabase(target, password, name, confirmReplace);
  const serverMajor = await withPgClient(target.connection, password, async (c) => {
    if (exists) await c.query(`drop database ${quoteIdent(name)} with (force)`);
    await c.query(`create database ${quoteIdent(name)}`);
    return Math.floor(Number((await c.query('show server_version_num')).rows[0].server_version_num) / 10_000);
  });
  return {
    replaced: exists,
    serverMajor,
    discard: () => withPgClient(target.connection, password, (c) => c.query(`drop database if exists ${quoteIdent(name)} with (force)`)).then(() => undefined, () => undefined),
  };
}
