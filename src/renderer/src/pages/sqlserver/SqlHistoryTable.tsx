// The backup history as a table: the text version of the timeline, with every LSN a DBA may need, newest first.
// data-testid="sqlserver-history-table", rows data-testid="sqlserver-history-row-<id>".
import { useMemo } from 'react';
import type { SqlBackupSet } from '../../../../shared/sqlServer';
import { DataTable } from '../../components/DataTable';
import type { DataTableColumn } from '../../components/DataTable';
import { timeSortValue } from '../../components/tableSort';
import { formatInZone, type TimeZoneChoice } from '../../format/zonedTime';

const KIND = { D: 'Full', I: 'Differential', L: 'Log', F: 'File', G: 'File differential', P: 'Partial', Q: 'Partial differential' } as const;

function historyColumns(zone: TimeZoneChoice): DataTableColumn<SqlBackupSet>[] {
  return [
    { id: 'finished', header: 'Finished', sortValue: (s) => timeSortValue(s.backupFinishDate), sortDescFirst: true, cell: (s) => formatInZone(Date.parse(s.backupFinishDate), zone) },
    { id: 'kind', header: 'Kind', sortValue: (s) => KIND[s.type], cell: (s) => KIND[s.type] },
    { id: 'first-lsn', header: 'First LSN', className: 'mono', cell: (s) => s.firstLsn },
    { id: 'last-lsn', header: 'Last LSN', className: 'mono', cell: (s) => s.lastLsn },
    { id: 'flags', header: 'Flags', cell: (s) => [s.isCopyOnly && 'copy-only', s.isDamaged && 'DAMAGED', !s.hasBackupChecksums && 'no checksum'].filter(Boolean).join(', ') || '—' },
    { id: 'file', header: 'File on the server', className: 'mono', cell: (s) => s.devices.join(', ') },
  ];
}

export function SqlHistoryTable({ sets, zone }: { sets: SqlBackupSet[]; zone: TimeZoneChoice }) {
  const newestFirst = useMemo(() => [...sets].reverse(), [sets]);
  const columns = useMemo(() => historyColumns(zone), [zone]);
  if (sets.length === 0) return <p className="muted">No backups of this database in msdb.</p>;
  return (
    <DataTable
      label="Backup history"
      testId="sqlserver-history-table"
      rows={newestFirst}
      columns={columns}
      rowKey={(s) => String(s.id)}
      rowAttributes={(s) => ({ 'data-testid': `sqlserver-history-row-${s.id}` })}
    />
  );
}
