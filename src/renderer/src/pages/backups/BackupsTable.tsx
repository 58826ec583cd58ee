// A service's backups as a table, newest first.
import { useMemo } from 'react';
import type { BackupView } from '../../../../shared/backups';
import { BackupRow } from './BackupRow';
import { backupsNewestFirst } from './backupRows';

export interface BackupsTableProps {
  backups: BackupView[];
  verifying: ReadonlySet<string>;
  onVerify(backup: BackupView): void;
  onRestore(backup: BackupView): void;
}

export function BackupsTable({ backups, verifying, onVerify, onRestore }: BackupsTableProps) {
  const sorted = useMemo(() => backupsNewestFirst(backups), [backups]);
  return (
    <div className="table-scroll">
      <table className="data-table backups" aria-label="Backups" data-testid="backups-table">
        <thead>
          <tr>
            <th scope="col">Backup</th>
            <th scope="col">Kind</th>
            <th scope="col">Finished</th>
            <th scope="col" className="backups__number">
              Stored
            </th>
            <th scope="col" className="backups__number">
              Ratio
            </th>
            <th scope="col" className="backups__number">
              Duration
            </th>
            <th scope="col">Encrypted</th>
            <th scope="col">Verified</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((backup) => (
            <BackupRow
              key={backup.id}
              backup={backup}
              verifying={verifying.has(backup.id)}
              onVerify={() => onVerify(backup)}
              onRestore={() => onRestore(backup)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
