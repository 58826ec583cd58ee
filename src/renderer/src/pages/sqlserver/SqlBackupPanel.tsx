// Backups of a SQL Server database, run by the server itself: FULL, DIFFERENTIAL or LOG, optionally
// copy-only. The file lands where SQL Server writes (policy.sqlServer.backupDirectory), not on this computer.
//
// Names for end-to-end tests: region "Back up" (data-testid="sqlserver-backup-panel"); buttons
// data-testid="sqlserver-backup-full|diff|log"; checkbox "Copy-only"; the destination note
// data-testid="sqlserver-backup-destination"; errors data-testid="sqlserver-backup-error".
import { useState } from 'react';
import type { SqlServerBackupPolicy } from '../../../../shared/domain';
import type { WireError } from '../../../../shared/errors';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { ErrorNotice } from '../../components/ErrorNotice';
import { CheckboxField } from '../../components/Field';
import { useJobsStore } from '../../stores/jobsStore';

const KINDS = [
  { kind: 'full', label: 'Full backup' },
  { kind: 'diff', label: 'Differential' },
  { kind: 'log', label: 'Log backup' },
] as const;

export function SqlBackupPanel({ serviceId, database, policy, announce }: { serviceId: string; database: string; policy?: SqlServerBackupPolicy; announce(text: string): void }) {
  const [copyOnly, setCopyOnly] = useState(false);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<WireError>();
  const remember = useJobsStore((s) => s.remember);
  const folder = policy?.backupDirectory;

  const start = async (kind: 'full' | 'diff' | 'log') => {
    setBusy(kind);
    setError(undefined);
    try {
      remember([await appClient().call('sqlserver.backup', { serviceId, kind, database, copyOnly: kind !== 'diff' && copyOnly })]);
      announce(`${kind.toUpperCase()} backup of ${database} started; its progress is in the jobs panel.`);
    } catch (err) {
      setError(toWireError(err));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section className="panel" aria-labelledby="sqlserver-backup-heading" data-testid="sqlserver-backup-panel">
      <h2 id="sqlserver-backup-heading">Back up</h2>
      <p className="sqlserver__note" data-testid="sqlserver-backup-destination">
        {folder ? (
          <>
            SQL Server writes the backup file itself, into <span className="mono">{folder}</span> <strong>on the database server</strong> (or the share
            it names), not on this computer. Files are named <span className="mono">&lt;service&gt;_&lt;database&gt;_&lt;FULL|DIFF|LOG&gt;_&lt;UTC time&gt;.bak|trn</span>.
          </>
        ) : (
          <>No backup folder is set for this service: add policy.sqlServer.backupDirectory (a folder on the database server, or a share its service account can write) to the fleet file.</>
        )}
      </p>
      <div className="sqlserver__actions">
        {KINDS.map((k) => (
          <Button key={k.kind} variant={k.kind === 'full' ? 'primary' : 'secondary'} disabled={!folder} busy={busy === k.kind} onClick={() => void start(k.kind)} data-testid={`sqlserver-backup-${k.kind}`}>
            {k.label}
          </Button>
        ))}
      </div>
      <CheckboxField label="Copy-only" hint="A copy-only backup does not change the backup chain (full or log); SQL Server ignores it on a differential." checked={copyOnly} onChange={(e) => setCopyOnly(e.target.checked)} />
      <p className="muted">Every backup is taken WITH CHECKSUM, compressed where the edition allows it, and encrypted when the policy names a server certificate.</p>
      {error && <ErrorNotice error={error} testId="sqlserver-backup-error" />}
    </section>
  );
}
