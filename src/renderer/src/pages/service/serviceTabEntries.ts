// The tabs of a service's page by engine. PostgreSQL has Backups and Recovery apart (Lifeboat takes the backups
// and keeps the WAL); SQL Server's backups, history, restores and drills are one tab, because the server runs
// them and they read one msdb history.
import type { EngineKind } from '../../../../shared/domain';
import type { ServiceTab } from '../../navigation/route';

export interface ServiceTabEntry {
  tab: ServiceTab;
  label: string;
}

const OVERVIEW: ServiceTabEntry = { tab: 'overview', label: 'Overview' };
const AFTER: ServiceTabEntry[] = [
  { tab: 'replication', label: 'Replication/HA' },
  { tab: 'runbook', label: 'Runbook' },
  { tab: 'settings', label: 'Settings' },
];

export const SERVICE_TAB_ENTRIES: Record<EngineKind, ServiceTabEntry[]> = {
  postgres: [OVERVIEW, { tab: 'backups', label: 'Backups' }, { tab: 'recovery', label: 'Recovery' }, ...AFTER],
  sqlserver: [OVERVIEW, { tab: 'sqlserver', label: 'Backups & recovery' }, ...AFTER],
};

/** The tab an address means for this engine: an old "backups" link of a SQL Server service opens its one
 * backups-and-recovery tab, and "sqlserver" on a PostgreSQL service its backups. */
export function tabForEngine(engine: EngineKind, tab: ServiceTab): ServiceTab {
  if (engine === 'sqlserver' && (tab === 'backups' || tab === 'recovery')) return 'sqlserver';
  if (engine === 'postgres' && tab === 'sqlserver') return 'backups';
  return tab;
}
