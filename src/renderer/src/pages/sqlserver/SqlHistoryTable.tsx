// The backup history as a table: the text version of the timeline, with every LSN a DBA may need.
// data-testid="sqlserver-history-table", rows data-testid="sqlserver-history-row-<id>".
import type { SqlBackupSet } from '../../../../shared/sqlServer';
import { formatInZone, type TimeZoneChoice } from '../../format/zonedTime';

const KIND = { D: 'Full', I: 'Differential', L: 'Log', F: 'File', G: 'File differential', P: 'Partial', Q: 'Partial differential' } as const;

export function SqlHistoryTable({ sets, zone }: { sets: SqlBackupSet[]; zone: TimeZoneChoice }) {
  if (sets.length === 0) return <p className="muted">No backups of this database in msdb.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table" aria-label="Backup history" data-testid="sqlserver-history-table">
        <thead>
          <tr>
            <th scope="col">Finished</th>
            <th scope="col">Kind</th>
            <th scope="col">First LSN</th>
            <th scope="col">Last LSN</th>
            <th scope="col">Flags</th>
            <th scope="col">File on the server</th>
          </tr>
        </thead>
        <tbody>
          {[...sets].reverse().map((s) => (
            <tr key={s.id} data-testid={`sqlserver-history-row-${s.id}`}>
              <td>{formatInZone(Date.parse(s.backupFinishDate), zone)}</td>
              <td>{KIND[s.type]}</td>
              <td className="mono">{s.firstLsn}</td>
              <td className="mono">{s.lastLsn}</td>
              <td>{[s.isCopyOnly && 'copy-only', s.isDamaged && 'DAMAGED', !s.hasBackupChecksums && 'no checksum'].filter(Boolean).join(', ') || '—'}</td>
              <td className="mono">{s.devices.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
