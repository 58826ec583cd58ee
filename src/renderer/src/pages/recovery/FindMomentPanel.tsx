// "Find the moment": which transaction dropped, truncated or mass-changed a table, read from the archived WAL of a
// time range (PostgreSQL) or the log backups and active log (SQL Server), so the DBA restores to just before it
// instead of guessing a time. A table (searchable, the dropped ones of the backup's catalog included) or any
// table, a range preset from the window, then the findings with their evidence; each sets the restore target in
// one click (and shows as a flag on the timeline). The recovery page and the SQL Server page both show it.
//
// Names for end-to-end tests (Playwright role / label selectors):
//   region "Find the moment" (data-testid="find-panel"); textbox "Table" (data-testid="find-table", a datalist
//   of known tables); combobox "Time range" (data-testid="find-range"); with "From … to …" textboxes "From" and
//   "To" (data-testid="find-from", "find-to"); textbox "Rows at least" (data-testid="find-min-rows"); button
//   "Find" (data-testid="find-start"); while it runs data-testid="find-progress" and button "Cancel search"
//   (data-testid="find-cancel"); errors data-testid="find-error"; the result: data-testid="find-summary", table
//   "Transactions found" (data-testid="find-table-results") with rows data-testid="finding-row-<xid>"
//   (data-action, data-selected), evidence data-testid="finding-evidence-<xid>", buttons "Restore to just before
//   transaction <xid>" (data-testid="finding-before-<xid>") and "… just after …" (data-testid="finding-after-<xid>");
//   none found: data-testid="find-none".
import { useEffect, useId, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import type { WireError } from '../../../../shared/errors';
import type { MomentFinding, MomentScanView, MomentTableView } from '../../../../shared/findMoment';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { DataTable } from '../../components/DataTable';
import type { DataTableColumn } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { SelectField, TextField } from '../../components/Field';
import { JobProgressLine } from '../../components/JobProgressLine';
import { StatusBadge } from '../../components/StatusBadge';
import { timeSortValue } from '../../components/tableSort';
import { formatInZone } from '../../format/zonedTime';
import type { TimeZoneChoice } from '../../format/zonedTime';
import { useJobsStore } from '../../stores/jobsStore';
import { ACTION_WORD, findingKey, findingRows, findingTables, presetRange, RANGE_PRESETS } from './findMomentView';
import type { RangePreset } from './findMomentView';

export interface FindMomentPanelProps {
  serviceId: string;
  /** What the log is read from, for the panel's words: archived WAL or SQL Server's log backups. */
  engine: 'postgres' | 'sqlserver';
  /** The recoverable window's first and last times (ms), for the range presets. */
  bounds?: { start: number; end: number };
  zone: TimeZoneChoice;
  /** The finding whose target the restore form holds. */
  selected?: string;
  onFindings(findings: MomentFinding[]): void;
  onUseTarget(finding: MomentFinding, side: 'before' | 'after'): void;
  announce(text: string): void;
}

const ZONED = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/;

/** The panel's words that differ by engine. */
const WORDS = {
  postgres: {
    lead: 'Lifeboat reads the archived WAL of the range with pg_waldump and names the tables through the nearest base backup\'s catalog, so a dropped table is found by its name.',
    started: 'Reading the archived WAL of the range; the transactions found show below and on the timeline.',
    read: (n: number) => `${n} WAL segments`,
    tableHint: "schema.table or a table's name; empty for any table. Dropped tables the backup's catalog knows are listed too.",
  },
  sqlserver: {
    lead: 'Lifeboat reads, on the server, the log backups msdb lists for the range with fn_dump_dblog (and the active log with fn_dblog), and restores to the transaction\'s log record with STOPBEFOREMARK or STOPATMARK.',
    started: 'Reading the log backups of the range on the server; the transactions found show below and on the timeline.',
    read: (n: number) => `${n} ${n === 1 ? 'log' : 'logs'}`,
    tableHint: "schema.table or a table's name; empty for any table. A dropped table is named by its object ID while the log does not give its name.",
  },
} as const;

export function FindMomentPanel({ serviceId, engine, bounds, zone, selected, onFindings, onUseTarget, announce }: FindMomentPanelProps) {
  const headingId = useId();
  const listId = useId();
  const [table, setTable] = useState('');
  const [preset, setPreset] = useState<RangePreset>('24h');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [minRows, setMinRows] = useState('100');
  const [tables, setTables] = useState<MomentTableView[]>([]);
  const [jobId, setJobId] = useState<string>();
  const [starting, setStarting] = useState(false);
  const [callError, setCallError] = useState<WireError>();
  const remember = useJobsStore((s) => s.remember);
  const cancelJob = useJobsStore((s) => s.cancel);
  const job = useJobsStore((s) => (jobId ? s.byId[jobId] : undefined));
  const running = starting || job?.state === 'queued' || job?.state === 'running' || job?.state === 'cancelling';
  const view = job?.state === 'succeeded' ? (job.result as MomentScanView) : undefined;

  useEffect(() => {
    let live = true;
    appClient()
      .call('findMoment.tables', { serviceId })
      .then((t) => live && setTables(t))
      .catch(() => undefined); // the picker then takes any name typed
    return () => {
      live = false;
    };
  }, [serviceId, view]);

  useEffect(() => {
    if (view) onFindings(view.findings);
  }, [view, onFindings]);

  const range = preset === 'custom' ? (from && to ? { from, to } : undefined) : presetRange(preset, bounds);
  const customError = preset === 'custom' && ((from && !ZONED.test(from)) || (to && !ZONED.test(to))) ? 'Times with their zone, e.g. 2026-11-25T14:03:00+01:00.' : undefined;
  const minRowsValue = Number(minRows);
  const minRowsError = Number.isInteger(minRowsValue) && minRowsValue >= 1 ? undefined : 'A whole number of rows, 1 or more.';

  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (running || customError || minRowsError) return;
    setStarting(true);
    setCallError(undefined);
    onFindings([]);
    try {
      const created = await appClient().call('findMoment.start', { serviceId, ...(table.trim() ? { table: table.trim() } : {}), ...(range ?? {}), minRows: minRowsValue });
      remember([created]);
      setJobId(created.id);
      announce(WORDS[engine].started);
    } catch (err) {
      setCallError(toWireError(err));
    } finally {
      setStarting(false);
    }
  };

  const columns = useMemo(() => findingColumns(zone, onUseTarget), [zone, onUseTarget]);
  const jobError = job?.state === 'failed' ? (job.error as WireError | undefined) : undefined;

  return (
    <section className="panel find-moment" aria-labelledby={headingId} data-testid="find-panel">
      <h2 id={headingId}>Find the moment</h2>
      <p className="muted recovery__panel-lead">Which transaction dropped, truncated, or deleted or updated many rows of a table? {WORDS[engine].lead}</p>
      <form className="find-moment__form" onSubmit={(e) => void start(e)} noValidate aria-labelledby={headingId}>
        <TextField
          label="Table"
          value={table}
          onChange={(e) => setTable(e.target.value)}
          placeholder="Any table"
          hint={WORDS[engine].tableHint}
          list={listId}
          autoComplete="off"
          spellCheck={false}
          className="mono"
          data-testid="find-table"
        />
        <datalist id={listId}>
          {tables.map((t) => (
            <option key={`${t.database}/${t.name}`} value={t.name} label={`${t.name} in ${t.database}${t.live ? '' : ` — dropped; in ${t.source}`}`} />
          ))}
        </datalist>
        <SelectField label="Time range" value={preset} options={RANGE_PRESETS} onChange={(e) => setPreset(e.target.value as RangePreset)} data-testid="find-range" />
        {preset === 'custom' ? (
          <div className="find-moment__custom">
            <TextField label="From" value={from} onChange={(e) => setFrom(e.target.value)} placeholder="2026-11-25T14:00:00+01:00" error={customError} className="mono" autoComplete="off" data-testid="find-from" />
            <TextField label="To" value={to} onChange={(e) => setTo(e.target.value)} placeholder="2026-11-25T15:00:00+01:00" className="mono" autoComplete="off" data-testid="find-to" />
          </div>
        ) : (
          <p className="muted find-moment__range" data-testid="find-range-shown">
            {range ? (
              <>
                <span className="mono">{formatInZone(Date.parse(range.from), zone, true)}</span> to <span className="mono">{formatInZone(Date.parse(range.to), zone, true)}</span>
              </>
            ) : (
              'Nothing is archived yet.'
            )}
          </p>
        )}
        <TextField label="Rows at least" value={minRows} onChange={(e) => setMinRows(e.target.value)} hint="A DELETE or UPDATE of fewer rows of one table is not listed." error={minRowsError} inputMode="numeric" className="mono find-moment__rows" data-testid="find-min-rows" />
        <div>
          <Button variant="primary" type="submit" busy={running} data-testid="find-start">
            Find
          </Button>
        </div>
      </form>

      <div aria-live="polite">
        {job && running && (
          <div data-testid="find-progress">
            <JobProgressLine job={job} label="Search progress" verb="Searching" />
            {job.state !== 'cancelling' && (
              <Button size="sm" onClick={() => void cancelJob(job.id)} data-testid="find-cancel">
                Cancel search
              </Button>
            )}
          </div>
        )}
        {(callError ?? jobError) && <ErrorNotice error={(callError ?? jobError)!} alert={false} testId="find-error" />}
        {view && (
          <p className="find-moment__summary" data-testid="find-summary">
            {view.findings.length === 1 ? 'One transaction' : `${view.findings.length} transactions`} found in {WORDS[engine].read(view.scanned.segments)},{' '}
            {formatInZone(Date.parse(view.from), zone)} to {formatInZone(Date.parse(view.to), zone)}; names from {view.catalogs.join('; ') || 'no catalog'}.
            {view.notes.map((n) => (
              <span key={n} className="muted">
                {' '}
                {n}
              </span>
            ))}
          </p>
        )}
      </div>
      {view && view.findings.length === 0 && (
        <p className="muted" data-testid="find-none">
          No transaction {view.table ? `on ${view.table} ` : ''}dropped or truncated a table, or deleted or updated {view.minRows} rows or more of one, in that range.
          Widen the range, or lower the rows.
        </p>
      )}
      {view && view.findings.length > 0 && (
        <DataTable
          label="Transactions found"
          testId="find-table-results"
          className="find-moment__table"
          rows={view.findings}
          columns={columns}
          rowKey={findingKey}
          initialSort={{ id: 'when' }}
          rowAttributes={(f) => ({ 'data-testid': `finding-row-${f.xid}`, 'data-action': f.action, 'data-selected': findingKey(f) === selected })}
          detail={(f) => <Evidence finding={f} />}
        />
      )}
    </section>
  );
}

function Evidence({ finding: f }: { finding: MomentFinding }) {
  return (
    <div className="find-moment__evidence" data-testid={`finding-evidence-${f.xid}`}>
      <ul className="plain-list">
        {f.evidence.map((e) => (
          <li key={e}>{e}</li>
        ))}
        {f.relations
          .filter((r) => r.unresolved)
          .map((r) => (
            <li key={r.file}>
              <span className="mono">{r.file}</span> has no name: {r.unresolved}.
            </li>
          ))}
        <li>
          {f.role.name ? (
            <>
              Role: <strong>{f.role.name}</strong> — {f.role.source}
            </>
          ) : (
            <>Role {f.role.source}</>
          )}
          {f.role.line && <code className="find-moment__log-line">{f.role.line}</code>}
        </li>
      </ul>
    </div>
  );
}

function findingColumns(zone: TimeZoneChoice, onUseTarget: FindMomentPanelProps['onUseTarget']): DataTableColumn<MomentFinding>[] {
  return [
    { id: 'when', header: 'Committed', rowHeader: true, className: 'mono', sortValue: (f) => timeSortValue(f.commitTime), cell: (f) => <time dateTime={f.commitTime}>{formatInZone(Date.parse(f.commitTime), zone, true)}</time> },
    {
      id: 'action',
      header: 'What',
      sortValue: (f) => f.action,
      cell: (f) => <StatusBadge tone={f.action === 'drop' || f.action === 'truncate' ? 'error' : 'warn'}>{ACTION_WORD[f.action]}</StatusBadge>,
    },
    { id: 'table', header: 'Table', className: 'mono', sortValue: (f) => findingTables(f), cell: (f) => `${findingTables(f)} (${f.database})` },
    { id: 'rows', header: 'Rows', cell: (f) => findingRows(f) },
    { id: 'xid', header: 'Transaction', className: 'mono', cell: (f) => `${f.xid} at ${f.lsn}` },
    { id: 'role', header: 'Role', cell: (f) => f.role.name ?? <span className="muted">unknown</span> },
    {
      id: 'restore',
      header: 'Restore',
      hideHeader: true,
      cell: (f) => (
        <div className="find-moment__actions">
          <Button size="sm" variant="primary" onClick={() => onUseTarget(f, 'before')} aria-label={`Restore to just before transaction ${f.xid}`} data-testid={`finding-before-${f.xid}`}>
            Just before
          </Button>
          <Button size="sm" onClick={() => onUseTarget(f, 'after')} aria-label={`Restore to just after transaction ${f.xid}`} data-testid={`finding-after-${f.xid}`}>
            Just after
          </Button>
        </div>
      ),
    },
  ];
}
