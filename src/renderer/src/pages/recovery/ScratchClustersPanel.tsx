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
import { DataTable } from '../../components/DataTable';
import type { DataTableColumn } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StatusBadge } from '../../components/StatusBadge';
import { timeSortValue } from '../../components/tableSort';
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
        <DataTable
          label="Scratch clusters"
          testId="scratch-table"
          className="scratch__table"
          rows={clusters}
          columns={scratchColumns(setRemoving)}
          rowKey={(s) => s.id}
          rowAttributes={(s) => ({ 'data-testid': `scratch-row-${s.id}`, 'data-running': s.running })}
        />
      )}
      {removing && (
        <ConfirmDialog title={`Remove scratch cluster ${removing.id}?`} confirmLabel="Remove" testId="scratch-remove-dialog" onConfirm={() => remove(removing)} onClose={() => setRemoving(undefined)}>
          <p>The scratch cluster is stopped and its data directory deleted. Copy out what you need first.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function scratchColumns(onRemove: (scratch: ScratchView) => void): DataTableColumn<ScratchView>[] {
  const idId = (s: ScratchView) => `scratch-id-${s.id}`;
  const uriId = (s: ScratchView) => `scratch-uri-${s.id}`;
  return [
    {
      id: 'scratch',
      header: 'Scratch cluster',
      rowHeader: true,
      className: 'scratch__name',
      sortValue: (s) => timeSortValue(s.createdAt),
      sortDescFirst: true,
      cell: (s) => (
        <>
          <span className="mono scratch__id" id={idId(s)}>
            {s.id}
          </span>
          <span className="muted scratch__sub">
            {s.purpose === 'drill' ? 'Drill' : 'Restore'} ·{' '}
            <time dateTime={s.createdAt} title={formatUtc(s.createdAt)}>
              {formatCompactDateTime(s.createdAt)}
            </time>
          </span>
        </>
      ),
    },
    {
      id: 'state',
      header: 'State',
      sortValue: (s) => (s.running ? 0 : 1),
      cell: (s) =>
        s.running ? (
          <StatusBadge tone="ok" icon="▶">
            Running
          </StatusBadge>
        ) : (
          <StatusBadge tone="untested" icon="■">
            Stopped
          </StatusBadge>
        ),
    },
    { id: 'target', header: 'Target', className: 'scratch__text', cell: (s) => s.target },
    { id: 'reached', header: 'Reached', className: 'scratch__text', cell: (s) => s.reached?.detail ?? <span className="muted">—</span> },
    {
      id: 'connection',
      header: 'Connection',
      className: 'scratch__connection',
      cell: (s) => (
        <>
          <code id={uriId(s)} className="scratch__uri">
            {s.connection.uri}
          </code>
          <CopyButton text={s.connection.uri} describedBy={`${uriId(s)} ${idId(s)}`} testId={`scratch-copy-uri-${s.id}`} />
        </>
      ),
    },
    {
      id: 'actions',
      header: 'Actions',
      hideHeader: true,
      cell: (s) => (
        <Button size="sm" variant="ghost" className="recovery__danger-text" onClick={() => onRemove(s)} aria-describedby={idId(s)} data-testid={`scratch-remove-${s.id}`}>
          Remove
        </Button>
      ),
    },
  ];
}
