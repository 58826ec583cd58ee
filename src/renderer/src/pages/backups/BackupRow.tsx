// One backup in the backups table: when, how big, how well compressed, encrypted, verified, its extra
// tablespaces (list "Tablespaces", data-testid="backup-tablespaces-<id>"), and its actions.
// A failed verification's findings open in a row beneath it.
import { useState } from 'react';
import type { BackupView } from '../../../../shared/backups';
import { Button } from '../../components/Button';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCompressionRatio } from '../../format/compressionRatio';
import { formatCompactDateTime, formatDateTime, formatUtc } from '../../format/dateTime';
import { formatDuration } from '../../format/duration';
import { formatBytes } from '../../format/jobQuantities';
import { verificationState } from './backupRows';

export interface BackupRowProps {
  backup: BackupView;
  verifying: boolean;
  onVerify(): void;
  onRestore(): void;
}

export const BACKUP_COLUMNS = 9;

const KIND_TEXT: Record<BackupView['kind'], string> = { physical: 'Physical', logical: 'Logical' };

export function BackupRow({ backup, verifying, onVerify, onRestore }: BackupRowProps) {
  const [open, setOpen] = useState(false);
  const { id } = backup;
  const idId = `backup-id-${id}`;
  const detailId = `backup-detail-${id}`;
  const verification = verificationState(backup);
  const lsns = backup.startLsn && backup.stopLsn ? `WAL ${backup.startLsn} – ${backup.stopLsn}, timeline ${backup.timeline ?? '?'}` : undefined;
  const showDetail = open && verification.state === 'failed' && !verifying;

  return (
    <>
      <tr className="backups__row" data-testid={`backup-row-${id}`}>
        <th scope="row" className="backups__backup">
          <span className="backups__id mono" id={idId}>
            {id}
          </span>
          <span className="backups__sub muted">PostgreSQL {backup.serverVersion}</span>
        </th>
        <td title={lsns}>
          {KIND_TEXT[backup.kind]}
          {backup.tablespaces && backup.tablespaces.length > 0 && (
            <ul className="backups__sub backups__tablespaces muted plain-list" aria-label="Tablespaces" data-testid={`backup-tablespaces-${id}`}>
              {backup.tablespaces.map((t) => (
                <li key={t.oid} title={`Tablespace ${t.name} (OID ${t.oid}); restored to ${t.location} unless mapped elsewhere`}>
                  + <span className="mono">{t.name}</span> at <span className="mono">{t.location}</span>
                </li>
              ))}
            </ul>
          )}
        </td>
        <td className="backups__when">
          <time dateTime={backup.finishedAt} title={formatUtc(backup.finishedAt)}>
            {formatCompactDateTime(backup.finishedAt)}
          </time>
        </td>
        <td className="backups__number" title={`${formatBytes(backup.sourceBytes)} before compression`}>
          {formatBytes(backup.storedBytes)}
        </td>
        <td className="backups__number">
          {formatCompressionRatio(backup.sourceBytes, backup.storedBytes)}
          <span className="backups__sub muted">{backup.compression}</span>
        </td>
        <td className="backups__number">{formatDuration(backup.durationMs)}</td>
        <td>
          {backup.encrypted ? (
            <StatusBadge tone="ok" title="AES-256-GCM">
              Yes
            </StatusBadge>
          ) : (
            <StatusBadge tone="warn" icon="–">
              No
            </StatusBadge>
          )}
        </td>
        <td data-testid={`backup-verified-${id}`} data-state={verifying ? 'verifying' : verification.state}>
          {verifying ? (
            <span className="backups__verifying">
              <span className="spinner" aria-hidden="true" />
              Verifying…
            </span>
          ) : verification.state === 'verified' ? (
            <>
              <StatusBadge tone="ok" title={verification.detail}>
                Verified
              </StatusBadge>{' '}
              <VerifiedAt at={verification.at} />
            </>
          ) : verification.state === 'failed' ? (
            <>
              <StatusBadge tone="error">Failed</StatusBadge> <VerifiedAt at={verification.at} />
              <Button
                className="backups__details-toggle"
                size="sm"
                variant="ghost"
                aria-expanded={open}
                aria-controls={open ? detailId : undefined}
                aria-describedby={idId}
                onClick={() => setOpen(!open)}
                data-testid={`backup-detail-toggle-${id}`}
              >
                <span aria-hidden="true">{open ? '▾' : '▸'}</span>
                Details
              </Button>
            </>
          ) : (
            <StatusBadge tone="untested" icon="—" title="This backup has not been verified yet.">
              Never
            </StatusBadge>
          )}
        </td>
        <td>
          <div className="backups__actions">
            <Button size="sm" onClick={onVerify} busy={verifying} aria-describedby={idId} data-testid={`verify-${id}`}>
              Verify
            </Button>
            {backup.kind === 'logical' && (
              <Button size="sm" onClick={onRestore} aria-describedby={idId} data-testid={`restore-${id}`}>
                Restore…
              </Button>
            )}
          </div>
        </td>
      </tr>
      {showDetail && (
        <tr className="backups__detail" id={detailId}>
          <td colSpan={BACKUP_COLUMNS}>
            <div className="backups__detail-inner" data-testid={`backup-verify-detail-${id}`}>
              <p>
                <strong>Verification failed {formatDateTime(verification.at)}</strong> <span className="muted">({formatUtc(verification.at)})</span>
              </p>
              <p className="mono">{verification.detail}</p>
              <p className="muted">Do not restore from this backup; take a new one and check the repository's disk.</p>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}

/** The date under a verification badge; the cell's text reads "Verified <date>" / "Failed <date>". */
function VerifiedAt({ at }: { at: string }) {
  return (
    <time className="backups__sub muted" dateTime={at} title={formatUtc(at)}>
      {formatCompactDateTime(at)}
    </time>
  );
}
