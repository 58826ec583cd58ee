// A service's backups as a table, newest first (rows data-testid="backup-row-<id>"); a failed verification's
// findings open beneath its row (data-testid="backup-verify-detail-<id>").
import { useMemo, useState } from 'react';
import type { BackupView } from '../../../../shared/backups';
import { DataTable } from '../../components/DataTable';
import { formatDateTime, formatUtc } from '../../format/dateTime';
import { backupColumns, backupDetailElementId } from './backupColumns';
import { backupsNewestFirst, verificationState } from './backupRows';

export interface BackupsTableProps {
  backups: BackupView[];
  verifying: ReadonlySet<string>;
  onVerify(backup: BackupView): void;
  onRestore(backup: BackupView): void;
}

export function BackupsTable({ backups, verifying, onVerify, onRestore }: BackupsTableProps) {
  const sorted = useMemo(() => backupsNewestFirst(backups), [backups]);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const columns = useMemo(
    () =>
      backupColumns({
        isVerifying: (id) => verifying.has(id),
        isOpen: (id) => open.has(id),
        onToggleDetail: (id) => setOpen((o) => (o.has(id) ? new Set([...o].filter((x) => x !== id)) : new Set([...o, id]))),
        onVerify,
        onRestore,
      }),
    [verifying, open, onVerify, onRestore],
  );

  const detail = (backup: BackupView) => {
    const verification = verificationState(backup);
    if (!open.has(backup.id) || verification.state !== 'failed' || verifying.has(backup.id)) return undefined;
    return (
      <div className="backups__detail-inner" id={backupDetailElementId(backup.id)} data-testid={`backup-verify-detail-${backup.id}`}>
        <p>
          <strong>Verification failed {formatDateTime(verification.at)}</strong> <span className="muted">({formatUtc(verification.at)})</span>
        </p>
        <p className="mono">{verification.detail}</p>
        <p className="muted">Do not restore from this backup; take a new one and check the repository's disk.</p>
      </div>
    );
  };

  return (
    <DataTable
      label="Backups"
      testId="backups-table"
      className="backups"
      rows={sorted}
      columns={columns}
      rowKey={(b) => b.id}
      rowAttributes={(b) => ({ className: 'backups__row', 'data-testid': `backup-row-${b.id}` })}
      detail={detail}
      initialSort={{ id: 'finished', desc: true }}
    />
  );
}
