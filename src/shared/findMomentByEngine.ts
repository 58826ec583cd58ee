// Why "find the moment" does not run on a service that pgBackRest or Barman backs up, in one text for every door
// (the core's refusal, the CLI's exit and the recovery page's note): the search reads Lifeboat's own WAL archive
// and names tables through a Lifeboat base backup restored once into a scratch cluster; an engine's service has
// neither, and reading a day of its WAL through archive-get / get-wal one segment per call is not done yet.
import type { BackupEngine } from './domain';
import type { WireError } from './errors';

const LABEL: Record<Exclude<BackupEngine, 'lifeboat'>, string> = { pgbackrest: 'pgBackRest', barman: 'Barman' };

/** `place`: the engine's name for the service, its pgBackRest stanza or Barman server. */
export function findMomentByEngineError(serviceId: string, engine: Exclude<BackupEngine, 'lifeboat'>, place: string): WireError {
  const label = LABEL[engine];
  const fetch = engine === 'pgbackrest' ? `pgbackrest --stanza=${place} archive-get <segment> <file>` : `barman get-wal ${place} <segment> > <file>`;
  return {
    code: 'INVALID_INPUT',
    message: `Find the moment reads Lifeboat's own WAL archive and base backups; ${serviceId} is backed up by ${label}, whose WAL and backups Lifeboat does not scan yet.`,
    hint: `Pick the time in the engine's window (lifeboat window ${serviceId}) and restore a copy beside production: lifeboat pitr ${serviceId} --at <time-with-zone>. To find the transaction by hand, fetch the segments (${fetch}), read them with pg_waldump, then: lifeboat pitr ${serviceId} --before-xid <xid>.`,
  };
}
