// Continuous WAL for one service: streaming or not, what has been archived, and the replication slot that
// makes the server keep WAL until Lifeboat has it (with a warning when it retains a lot or nobody reads it).
//
// Names for end-to-end tests (Playwright role / label selectors):
//   region "WAL streaming" (data-testid="wal-panel"); status data-testid="wal-state" (data-streaming=true|false)
//   reading "Streaming" or "Not streaming"; buttons "Start streaming" (data-testid="wal-start") and
//   "Stop streaming" (data-testid="wal-stop"), one at a time; "Drop slot…" (data-testid="wal-drop-slot",
//   opens DropSlotDialog); facts data-testid="wal-archived-count", "wal-last-archived", "wal-slot-name",
//   "wal-slot-state" (Active/Inactive), "wal-retained" (data-tone=ok|warn|error), "wal-slot-status";
//   warnings data-testid="wal-warnings"; the last streaming job's failure data-testid="wal-job-error".
import { useMemo, useState } from 'react';
import type { WireError } from '../../../../shared/errors';
import type { WalStatusView } from '../../../../shared/recovery';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, formatUtc } from '../../format/dateTime';
import { formatBytes } from '../../format/jobQuantities';
import { useJobsStore } from '../../stores/jobsStore';
import { jobsNewestFirst } from '../../stores/mergeJob';
import { DropSlotDialog } from './DropSlotDialog';
import { ServerArchivingLines } from './ServerArchivingLines';
import { retainedTone, slotWarnings, walStatusTone } from './slotHealth';

export interface WalPanelProps {
  serviceId: string;
  status?: WalStatusView;
  error?: WireError;
  refresh(): Promise<void>;
  announce(text: string): void;
}

export function WalPanel({ serviceId, status, error, refresh, announce }: WalPanelProps) {
  const [busy, setBusy] = useState<'start' | 'stop'>();
  const [actionError, setActionError] = useState<WireError>();
  const [dropping, setDropping] = useState(false);
  const remember = useJobsStore((s) => s.remember);
  const jobs = useJobsStore((s) => s.byId);
  // The newest streaming job of this service: its phase while it runs, its error when it stopped by itself.
  const streamJob = useMemo(() => jobsNewestFirst(jobs).find((j) => j.kind === 'wal.stream' && j.serviceId === serviceId), [jobs, serviceId]);
  const streaming = status?.streaming ?? false;
  const slot = status?.slot;
  const warnings = slot ? slotWarnings(slot) : [];

  const start = async () => {
    setBusy('start');
    setActionError(undefined);
    try {
      remember([await appClient().call('wal.start', { serviceId })]);
      announce(`Started WAL streaming for ${serviceId}.`);
      await refresh();
    } catch (err) {
      setActionError(toWireError(err));
    } finally {
      setBusy(undefined);
    }
  };

  const stop = async () => {
    setBusy('stop');
    setActionError(undefined);
    try {
      await appClient().call('wal.stop', { serviceId });
      announce(`Stopped WAL streaming for ${serviceId}. The slot keeps the WAL until streaming resumes.`);
      await refresh();
    } catch (err) {
      setActionError(toWireError(err));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section className="panel wal" aria-labelledby="wal-heading" data-testid="wal-panel">
      <div className="wal__head">
        <h2 id="wal-heading">WAL streaming</h2>
        {status && (
          <span data-testid="wal-state" data-streaming={streaming}>
            {streaming ? (
              <StatusBadge tone="ok" icon="▶">
                Streaming
              </StatusBadge>
            ) : (
              <StatusBadge tone="warn" icon="■">
                Not streaming
              </StatusBadge>
            )}
          </span>
        )}
        <div className="wal__actions">
          {streaming ? (
            <Button onClick={() => void stop()} busy={busy === 'stop'} data-testid="wal-stop">
              Stop streaming
            </Button>
          ) : (
            <Button variant="primary" onClick={() => void start()} busy={busy === 'start'} disabled={!status} data-testid="wal-start">
              Start streaming
            </Button>
          )}
          {slot && (
            <Button variant="ghost" className="wal__drop" onClick={() => setDropping(true)} data-testid="wal-drop-slot">
              Drop slot…
            </Button>
          )}
        </div>
      </div>
      <p className="muted wal__lead">
        Lifeboat reads the server's WAL through a replication slot and archives every segment; with a base backup, that makes
        every committed second restorable.
      </p>
      {error && <ErrorNotice error={error} alert={false} />}
      {actionError && <ErrorNotice error={actionError} testId="wal-action-error" />}
      {!status && !error && <p className="muted">Asking the server about its WAL…</p>}
      {status && (
        <dl className="facts wal__facts">
          <dt>Archived segments</dt>
          <dd data-testid="wal-archived-count">{status.archivedSegments}</dd>
          <dt>Last archived</dt>
          <dd data-testid="wal-last-archived">
            {status.lastArchived ? (
              <>
                <span className="mono">{status.lastArchived.name}</span>{' '}
                <span className="muted">
                  at{' '}
                  <time dateTime={status.lastArchived.at} title={formatUtc(status.lastArchived.at)}>
                    {formatDateTime(status.lastArchived.at)}
                  </time>
                </span>
              </>
            ) : (
              <span className="muted">Nothing yet</span>
            )}
          </dd>
          {streaming && streamJob?.state === 'running' && (
            <>
              <dt>Stream</dt>
              <dd className="muted">{streamJob.progress.phase}</dd>
            </>
          )}
          <dt>Replication slot</dt>
          <dd>
            {slot ? (
              <span className="wal__slot">
                <span className="mono" data-testid="wal-slot-name">
                  {slot.name}
                </span>
                <span data-testid="wal-slot-state">
                  {slot.active ? (
                    <StatusBadge tone="ok">Active</StatusBadge>
                  ) : (
                    <StatusBadge tone="warn" icon="■">
                      Inactive
                    </StatusBadge>
                  )}
                </span>
              </span>
            ) : (
              <span className="muted">None — starting streaming creates one.</span>
            )}
          </dd>
          {slot && (
            <>
              <dt>Retained WAL</dt>
              <dd data-testid="wal-retained" data-tone={retainedTone(slot.retainedBytes)}>
                <StatusBadge tone={retainedTone(slot.retainedBytes)} title={`${slot.retainedBytes} bytes`}>
                  {formatBytes(slot.retainedBytes)}
                </StatusBadge>
              </dd>
              <dt>
                <code>wal_status</code>
              </dt>
              <dd data-testid="wal-slot-status">
                <StatusBadge tone={walStatusTone(slot.walStatus)}>{slot.walStatus ?? 'unknown'}</StatusBadge>
              </dd>
              <dt>Restart LSN</dt>
              <dd className="mono">{slot.restartLsn ?? '—'}</dd>
            </>
          )}
        </dl>
      )}
      {warnings.length > 0 && (
        <ul className="plain-list wal__warnings" data-testid="wal-warnings">
          {warnings.map((w) => (
            <li key={w.text} className={`wal__warning wal__warning--${w.tone}`}>
              <StatusBadge tone={w.tone}>{w.tone === 'error' ? 'Danger' : 'Warning'}</StatusBadge> {w.text}
            </li>
          ))}
        </ul>
      )}
      {!streaming && streamJob?.state === 'failed' && streamJob.error && (
        <div className="wal__job-error" data-testid="wal-job-error">
          <p className="muted">The last streaming job stopped with an error:</p>
          <ErrorNotice error={streamJob.error as WireError} alert={false} />
        </div>
      )}
      {status && <ServerArchivingLines commands={status.serverCommands} />}
      {dropping && slot && (
        <DropSlotDialog
          serviceId={serviceId}
          slotName={slot.name}
          streaming={streaming}
          onClose={() => setDropping(false)}
          onDropped={async () => {
            announce(`Dropped replication slot ${slot.name}.`);
            await refresh();
          }}
        />
      )}
    </section>
  );
}
