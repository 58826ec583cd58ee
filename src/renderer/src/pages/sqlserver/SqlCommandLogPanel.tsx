// Ola Hallengren's Maintenance Solution beside msdb: on request, his dbo.CommandLog (the database it is
// installed in, master by default) as a table of his jobs' backups and verifications, their durations, and
// failures with SQL Server's error.
//
// Names for end-to-end tests: region "Maintenance Solution jobs" (data-testid="sqlserver-commandlog"); textbox
// "Installed in database"; button "Read dbo.CommandLog"; table data-testid="sqlserver-commandlog-table" with
// rows data-testid="sqlserver-commandlog-row-<ID>".
import { useMemo, useState } from 'react';
import type { SqlCommandLogEntry, SqlCommandLogView } from '../../../../shared/sqlServerViews';
import type { WireError } from '../../../../shared/errors';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { DataTable, type DataTableColumn } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/Field';
import { StatusBadge } from '../../components/StatusBadge';
import { timeSortValue } from '../../components/tableSort';
import { formatDuration } from '../../format/duration';
import { formatInZone, type TimeZoneChoice } from '../../format/zonedTime';

const KIND = { full: 'Full', diff: 'Differential', log: 'Log', verify: 'Verify' } as const;

function columns(zone: TimeZoneChoice): DataTableColumn<SqlCommandLogEntry>[] {
  return [
    { id: 'started', header: 'Started', sortValue: (e) => timeSortValue(e.startedAt), sortDescFirst: true, cell: (e) => formatInZone(Date.parse(e.startedAt), zone) },
    { id: 'kind', header: 'Kind', sortValue: (e) => KIND[e.kind], cell: (e) => KIND[e.kind] },
    { id: 'duration', header: 'Duration', sortValue: (e) => e.durationMs ?? -1, cell: (e) => (e.durationMs === undefined ? '—' : formatDuration(e.durationMs)) },
    {
      id: 'outcome',
      header: 'Outcome',
      sortValue: (e) => e.state,
      cell: (e) =>
        e.state === 'failed' ? (
          <>
            <StatusBadge tone="error">Failed</StatusBadge> error {e.errorNumber}: {e.errorMessage}
          </>
        ) : e.state === 'unfinished' ? (
          <StatusBadge tone="warn">No end time</StatusBadge>
        ) : (
          <StatusBadge tone="ok">Succeeded</StatusBadge>
        ),
    },
    { id: 'file', header: 'File', className: 'mono', cell: (e) => e.files.join(', ') || '—' },
  ];
}

export function SqlCommandLogPanel({ serviceId, database, zone }: { serviceId: string; database: string; zone: TimeZoneChoice }) {
  const [logDatabase, setLogDatabase] = useState('master');
  const [view, setView] = useState<SqlCommandLogView>();
  const [error, setError] = useState<WireError>();
  const [busy, setBusy] = useState(false);
  const cols = useMemo(() => columns(zone), [zone]);

  const read = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setView(await appClient().call('sqlserver.commandLog', { serviceId, database, logDatabase: logDatabase.trim() || 'master' }));
    } catch (err) {
      setError(toWireError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="sqlserver-commandlog-heading" data-testid="sqlserver-commandlog">
      <h2 id="sqlserver-commandlog-heading">Maintenance Solution jobs</h2>
      <p className="muted">
        For Ola Hallengren&apos;s DatabaseBackup run with @LogToTable = &apos;Y&apos;: every backup and verification his jobs ran for {database},
        read from his dbo.CommandLog.
      </p>
      <div className="wizard__grid wizard__grid--even">
        <TextField label="Installed in database" value={logDatabase} onChange={(e) => setLogDatabase(e.target.value)} autoComplete="off" spellCheck={false} />
        <div>
          <Button onClick={read} busy={busy}>
            Read dbo.CommandLog
          </Button>
        </div>
      </div>
      {error && <ErrorNotice error={error} />}
      {view &&
        (view.entries.length ? (
          <DataTable label="Maintenance Solution jobs" testId="sqlserver-commandlog-table" rows={view.entries} columns={cols} rowKey={(e) => e.id} rowAttributes={(e) => ({ 'data-testid': `sqlserver-commandlog-row-${e.id}` })} />
        ) : (
          <p className="muted">No backups of {database} in {view.source}.</p>
        ))}
    </section>
  );
}
