// The backups table's columns: when, how big, how well compressed, encrypted, verified, its extra tablespaces
// (list "Tablespaces", data-testid="backup-tablespaces-<id>"), a pgBackRest or Barman backup's type and what it
// builds on (data-testid="backup-engine-<id>"), and its actions. A failed verification's
// findings open in a row beneath (BackupsTable.tsx).
import type { BackupView } from '../../../../shared/backups';
import { Button } from '../../components/Button';
import type { DataTableColumn } from '../../components/DataTable';
import { StatusBadge } from '../../components/StatusBadge';
import { timeSortValue } from '../../components/tableSort';
import { formatCompressionRatio } from '../../format/compressionRatio';
import { formatCompactDateTime, formatUtc } from '../../format/dateTime';
import { formatDuration } from '../../format/duration';
import { formatBytes } from '../../format/jobQuantities';
import { BACKUP_ENGINE_LABEL } from '../../format/engineLabel';
import { verificationState } from './backupRows';

export interface BackupColumnsOptions {
  isVerifying(id: string): boolean;
  isOpen(id: string): boolean;
  onToggleDetail(id: string): void;
  onVerify(backup: BackupView): void;
  onRestore(backup: BackupView): void;
}

const KIND_TEXT: Record<BackupView['kind'], string> = { physical: 'Physical', logical: 'Logical' };
/** pgBackRest's and Barman's backup types, in the engine's own words. */
const ENGINE_TYPE_TEXT = { full: 'full', diff: 'differential', incr: 'incremental' } as const;

export function backupIdElementId(id: string): string {
  return `backup-id-${id}`;
}

export function backupDetailElementId(id: string): string {
  return `backup-detail-${id}`;
}

export function backupColumns(o: BackupColumnsOptions): DataTableColumn<BackupView>[] {
  return [
    {
      id: 'backup',
      header: 'Backup',
      rowHeader: true,
      className: 'backups__backup',
      sortValue: (b) => b.id,
      cell: (b) => (
        <>
          <span className="backups__id mono" id={backupIdElementId(b.id)}>
            {b.id}
          </span>
          <span className="backups__sub muted">PostgreSQL {b.serverVersion}</span>
        </>
      ),
    },
    {
      id: 'kind',
      header: 'Kind',
      sortValue: (b) => b.kind,
      cellAttributes: (b) => ({ title: b.startLsn && b.stopLsn ? `WAL ${b.startLsn} – ${b.stopLsn}, timeline ${b.timeline ?? '?'}` : undefined }),
      cell: (b) => (
        <>
          {b.engine ? (
            <span data-testid={`backup-engine-${b.id}`}>
              {BACKUP_ENGINE_LABEL[b.engine.name]} {ENGINE_TYPE_TEXT[b.engine.type]}
              {b.engine.references.length > 0 && <span className="backups__sub muted">on {b.engine.references.at(-1)}</span>}
              {b.engine.problem && <span className="backups__sub">{b.engine.problem}</span>}
            </span>
          ) : (
            KIND_TEXT[b.kind]
          )}
          {b.tablespaces && b.tablespaces.length > 0 && (
            <ul className="backups__sub backups__tablespaces muted plain-list" aria-label="Tablespaces" data-testid={`backup-tablespaces-${b.id}`}>
              {b.tablespaces.map((t) => (
                <li key={t.oid} title={`Tablespace ${t.name} (OID ${t.oid}); restored to ${t.location} unless mapped elsewhere`}>
                  + <span className="mono">{t.name}</span> at <span className="mono">{t.location}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      ),
    },
    {
      id: 'finished',
      header: 'Finished',
      className: 'backups__when',
      sortValue: (b) => timeSortValue(b.finishedAt),
      sortDescFirst: true,
      cell: (b) => (
        <time dateTime={b.finishedAt} title={formatUtc(b.finishedAt)}>
          {formatCompactDateTime(b.finishedAt)}
        </time>
      ),
    },
    {
      id: 'stored',
      header: 'Stored',
      className: 'backups__number',
      sortValue: (b) => b.storedBytes,
      sortDescFirst: true,
      cellAttributes: (b) => ({ title: `${formatBytes(b.sourceBytes)} before compression` }),
      cell: (b) => formatBytes(b.storedBytes),
    },
    {
      id: 'ratio',
      header: 'Ratio',
      className: 'backups__number',
      cell: (b) => (
        <>
          {formatCompressionRatio(b.sourceBytes, b.storedBytes)}
          <span className="backups__sub muted">{b.compression}</span>
        </>
      ),
    },
    {
      id: 'duration',
      header: 'Duration',
      className: 'backups__number',
      sortValue: (b) => b.durationMs,
      sortDescFirst: true,
      cell: (b) => formatDuration(b.durationMs),
    },
    {
      id: 'encrypted',
      header: 'Encrypted',
      cell: (b) =>
        b.encrypted ? (
          <StatusBadge tone="ok" title="AES-256-GCM">
            Yes
          </StatusBadge>
        ) : (
          <StatusBadge tone="warn" icon="–">
            No
          </StatusBadge>
        ),
    },
    {
      id: 'verified',
      header: 'Verified',
      cellAttributes: (b) => ({ 'data-testid': `backup-verified-${b.id}`, 'data-state': o.isVerifying(b.id) ? 'verifying' : verificationState(b).state }),
      cell: (b) => <VerifiedCell backup={b} verifying={o.isVerifying(b.id)} open={o.isOpen(b.id)} onToggle={() => o.onToggleDetail(b.id)} />,
    },
    {
      id: 'actions',
      header: 'Actions',
      hideHeader: true,
      cell: (b) => (
        <div className="backups__actions">
          <Button size="sm" onClick={() => o.onVerify(b)} busy={o.isVerifying(b.id)} aria-describedby={backupIdElementId(b.id)} data-testid={`verify-${b.id}`}>
            Verify
          </Button>
          {b.kind === 'logical' && (
            <Button size="sm" onClick={() => o.onRestore(b)} aria-describedby={backupIdElementId(b.id)} data-testid={`restore-${b.id}`}>
              Restore…
            </Button>
          )}
        </div>
      ),
    },
  ];
}

function VerifiedCell({ backup, verifying, open, onToggle }: { backup: BackupView; verifying: boolean; open: boolean; onToggle(): void }) {
  const verification = verificationState(backup);
  if (verifying)
    return (
      <span className="backups__verifying">
        <span className="spinner" aria-hidden="true" />
        Verifying…
      </span>
    );
  if (verification.state === 'verified')
    return (
      <>
        <StatusBadge tone="ok" title={verification.detail}>
          Verified
        </StatusBadge>{' '}
        <VerifiedAt at={verification.at} />
      </>
    );
  if (verification.state === 'failed')
    return (
      <>
        <StatusBadge tone="error">Failed</StatusBadge> <VerifiedAt at={verification.at} />
        <Button
          className="backups__details-toggle"
          size="sm"
          variant="ghost"
          aria-expanded={open}
          aria-controls={open ? backupDetailElementId(backup.id) : undefined}
          aria-describedby={backupIdElementId(backup.id)}
          onClick={onToggle}
          data-testid={`backup-detail-toggle-${backup.id}`}
        >
          <span aria-hidden="true">{open ? '▾' : '▸'}</span>
          Details
        </Button>
      </>
    );
  return (
    <StatusBadge tone="untested" icon="—" title="This backup has not been verified yet.">
      Never
    </StatusBadge>
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
