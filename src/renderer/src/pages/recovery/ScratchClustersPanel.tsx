// The scratch clusters restored for this service: running or not, to what target, the point reached, how
// to connect, and a button to remove each one (they use disk until removed).
//
// Names for end-to-end tests (Playwright role / label selectors):
//   region "Scratch clusters" (data-testid="scratch-list"); table "Scratch clusters"
//   (data-testid="scratch-table") with rows data-testid="scratch-row-<id>" (data-running=true|false); per row
//   button "Copy" for the URI (data-testid="scratch-copy-uri-<id>") and "Remove" (data-testid=
//   "scratch-remove-<id>"), which asks in dialog "Remove scratch cluster <id>?" (data-testid=
//   "scratch-remove-dialog") with button "Remove"; empty list data-testid="scratch-empty".
import { useState } from 'react';
import type { WireError } from '../../../../shared/errors';
import type { ScratchView } from '../../../../shared/recovery';
import { appClient } from '../../client/appClient';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCompactDateTime, formatUtc } from '../../format/dateTime';

export interface ScratchClustersPanelProps {
  clusters?: ScratchView[];
  error?: WireError;
  refresh(): Promise<void>;
  announce(text: string): void;
}

export function ScratchClustersPanel({ clusters, error, refresh, announce }: ScratchClustersPanelProps) {
  const [removing, setRemoving] = useState<ScratchView>();

  const remove = async (scratch: ScratchView) => {
    await appClient().call('scratch.remove', { id: scratch.id });
    announce(`Removed scratch cluster ${scratch.id}.`);
    await refresh();
  };

  return (
    <section className="panel scratch" aria-labelledby="scratch-heading" data-testid="scratch-list">
      <div className="recovery__panel-head">
        <h2 id="scratch-heading">Scratch clusters</h2>
        <Button size="sm" variant="ghost" onClick={() => void refresh()}>
          Refresh
        </Button>
      </div>
      <p className="muted recovery__panel-lead">
        Point-in-time restores land here, on this computer, on a private socket. They use disk until you remove them; drills remove
        their own.
      </p>
      {error && <ErrorNotice error={error} alert={false} />}
      {!clusters && !error && <p className="muted">Loading…</p>}
      {clusters && clusters.length === 0 && (
        <p className="muted" data-testid="scratch-empty">
          No scratch clusters for this service.
        </p>
      )}
      {clusters && clusters.length > 0 && (
        <div className="table-scroll">
          <table className="data-table scratch__table" aria-label="Scratch clusters" data-testid="scratch-table">
            <thead>
              <tr>
                <th scope="col">Scratch cluster</th>
                <th scope="col">State</th>
                <th scope="col">Target</th>
                <th scope="col">Reached</th>
                <th scope="col">Connection</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {clusters.map((s) => {
                const idId = `scratch-id-${s.id}`;
                const uriId = `scratch-uri-${s.id}`;
                return (
                  <tr key={s.id} data-testid={`scratch-row-${s.id}`} data-running={s.running}>
                    <th scope="row" className="scratch__name">
                      <span className="mono scratch__id" id={idId}>
                        {s.id}
                      </span>
                      <span className="muted scratch__sub">
                        {s.purpose === 'drill' ? 'Drill' : 'Restore'} ·{' '}
                        <time dateTime={s.createdAt} title={formatUtc(s.createdAt)}>
                          {formatCompactDateTime(s.createdAt)}
                        </time>
                      </span>
                    </th>
                    <td>
                      {s.running ? (
                        <StatusBadge tone="ok" icon="▶">
                          Running
                        </StatusBadge>
                      ) : (
                        <StatusBadge tone="untested" icon="■">
                          Stopped
                        </StatusBadge>
                      )}
                    </td>
                    <td className="scratch__text">{s.target}</td>
                    <td className="scratch__text">{s.reached?.detail ?? <span className="muted">—</span>}</td>
                    <td className="scratch__connection">
                      <code id={uriId} className="scratch__uri">
                        {s.connection.uri}
                      </code>
                      <CopyButton text={s.connection.uri} describedBy={`${uriId} ${idId}`} testId={`scratch-copy-uri-${s.id}`} />
                    </td>
                    <td>
                      <Button size="sm" variant="ghost" className="recovery__danger-text" onClick={() => setRemoving(s)} aria-describedby={idId} data-testid={`scratch-remove-${s.id}`}>
                        Remove
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {removing && (
        <ConfirmDialog title={`Remove scratch cluster ${removing.id}?`} confirmLabel="Remove" testId="scratch-remove-dialog" onConfirm={() => remove(removing)} onClose={() => setRemoving(undefined)}>
          <p>The scratch cluster is stopped and its data directory deleted. Copy out what you need first.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
