// Whether Lifeboat can restore through pgBackRest or Barman into a scratch cluster from the account it runs as.
// The engine's account writes the restored files and the scratch account runs them, and handing files from one
// account to the other takes root (chown). Lifeboat running as root, or as the engine's account itself, can;
// reaching the engine's account through sudo cannot (a sudo rule for pgbackrest or barman gives no chown), so
// such a restore or drill is refused before its job starts, naming what works instead.
import { userInfo } from 'node:os';
import { LifeboatError } from '../lifeboatError';
import type { ExistingEngine } from './existingEngine';

export function restoreThroughSudoRefusal(engine: Pick<ExistingEngine, 'label' | 'account'>, serviceId: string, me = userInfo().username): LifeboatError | undefined {
  if (!engine.account.sudo) return undefined;
  const owner = engine.account.name;
  return new LifeboatError(
    'PERMISSION_DENIED',
    `Lifeboat cannot restore ${serviceId} through ${engine.label} into a scratch cluster from the account ${me}: it reaches ${owner} (the owner of ${engine.label}'s repository, the service's osUser) through sudo, and only root can hand the files ${owner} restores to the account that runs the scratch cluster.`,
    `Run Lifeboat as root or as ${owner} for restores and drills (e.g. sudo -u ${owner} npx lifeboat pitr ${serviceId} --at <time-with-zone>), or restore on the database server with ${engine.label}'s own commands: lifeboat restore-commands ${serviceId} --latest.`,
  );
}
