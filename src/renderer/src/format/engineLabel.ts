// How each engine is named on screen (database engines and backup engines), and its default port for the wizard.
import type { BackupEngine, EngineKind, Service } from '../../../shared/domain';

export const ENGINE_LABEL: Record<EngineKind, string> = { postgres: 'PostgreSQL', sqlserver: 'SQL Server' };

export const DEFAULT_PORT: Record<EngineKind, number> = { postgres: 5432, sqlserver: 1433 };

/** The engines that may back a PostgreSQL service up, as their authors spell them. */
export const BACKUP_ENGINE_LABEL: Record<BackupEngine, string> = { lifeboat: 'Lifeboat', pgbackrest: 'pgBackRest', barman: 'Barman' };

/** Where the service lives in its engine: "stanza main (repo2)", "server pg". */
export function enginePlace(service: Service): string {
  const p = service.policy;
  if (p.engine === 'pgbackrest' && p.pgbackrest) return `stanza ${p.pgbackrest.stanza}${p.pgbackrest.repo ? ` (repo${p.pgbackrest.repo})` : ''}`;
  if (p.engine === 'barman' && p.barman) return `server ${p.barman.server}`;
  return "Lifeboat's repository";
}
