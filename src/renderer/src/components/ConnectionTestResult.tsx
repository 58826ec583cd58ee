// What a connection test found — server version, backup privileges, warnings — or why it failed, in a live region.
import { useEffect, useRef } from 'react';
import type { ConnectionReport, PrivilegeCheck } from '../../../shared/domain';
import type { WireError } from '../../../shared/errors';
import { formatDateTime } from '../format/dateTime';
import { ENGINE_LABEL } from '../format/engineLabel';
import { DataTable } from './DataTable';
import type { DataTableColumn } from './DataTable';
import { ErrorNotice } from './ErrorNotice';
import { StatusBadge } from './StatusBadge';
import type { StatusTone } from './StatusBadge';
import './ConnectionTestResult.css';

export type ConnectionTestState =
  | { status: 'idle' }
  | { status: 'testing' }
  | { status: 'ok'; report: ConnectionReport }
  | { status: 'error'; error: WireError };

export interface ConnectionTestResultProps {
  state: ConnectionTestState;
  /** The region's accessible name; starts with "Connection test result" everywhere. */
  label?: string;
  testId?: string;
  idleText?: string;
}

const PRIVILEGE_TONE: Record<PrivilegeCheck['state'], StatusTone> = { ok: 'ok', missing: 'warn', unknown: 'untested' };
const PRIVILEGE_TEXT: Record<PrivilegeCheck['state'], string> = { ok: 'OK', missing: 'Missing', unknown: 'Unknown' };

const PRIVILEGE_COLUMNS: DataTableColumn<{ name: string; check: PrivilegeCheck }>[] = [
  { id: 'backup', header: 'Backup', rowHeader: true, cell: (p) => p.name },
  { id: 'state', header: 'Privilege', cell: (p) => <StatusBadge tone={PRIVILEGE_TONE[p.check.state]}>{PRIVILEGE_TEXT[p.check.state]}</StatusBadge> },
  { id: 'detail', header: 'Detail', cell: (p) => p.check.detail },
];

export function ConnectionTestResult({ state, label = 'Connection test result', testId = 'connection-test-result', idleText }: ConnectionTestResultProps) {
  const ref = useRef<HTMLElement>(null);
  // A result that lands below the fold (long wizard step, long fleet) is brought into view once.
  useEffect(() => {
    if (state.status === 'ok' || state.status === 'error') ref.current?.scrollIntoView({ block: 'nearest' });
  }, [state.status]);
  return (
    <section ref={ref} className={`test-result test-result--${state.status}`} aria-label={label} aria-live="polite" data-testid={testId} data-status={state.status}>
      {state.status === 'idle' && <p className="muted">{idleText ?? 'Not tested yet.'}</p>}
      {state.status === 'testing' && (
        <p className="test-result__testing">
          <span className="spinner test-result__spinner" aria-hidden="true" /> Testing the connection…
        </p>
      )}
      {state.status === 'error' && <ErrorNotice error={state.error} alert={false} />}
      {state.status === 'ok' && <ReportView report={state.report} />}
    </section>
  );
}

function ReportView({ report }: { report: ConnectionReport }) {
  const { physicalBackup, logicalBackup } = report.privileges;
  return (
    <div className="test-result__report">
      <p className="test-result__headline">
        <StatusBadge tone="ok">Connected</StatusBadge>
        {/* The full banner is on hover only: a second "PostgreSQL 15.18…" text would make text queries ambiguous. */}
        <span className="test-result__version" data-testid="server-version" title={report.versionString}>
          {ENGINE_LABEL[report.engine]} {report.serverVersion}
          {report.edition ? ` (${report.edition})` : ''}
        </span>
      </p>
      <dl className="test-result__facts">
        <dt>Signed in as</dt>
        <dd className="mono">{report.currentUser}</dd>
        <dt>Round trip</dt>
        <dd>{Math.round(report.latencyMs)} ms</dd>
        <dt>Tested</dt>
        <dd>
          <time dateTime={report.testedAt}>{formatDateTime(report.testedAt)}</time>
        </dd>
      </dl>
      <div className="test-result__privileges">
        <p className="test-result__caption">Privileges for backups</p>
        <DataTable
          label="Privileges for backups"
          rows={[
            { name: 'Physical backup', check: physicalBackup },
            { name: 'Logical backup', check: logicalBackup },
          ]}
          columns={PRIVILEGE_COLUMNS}
          rowKey={(p) => p.name}
        />
      </div>
      {report.warnings.length > 0 && (
        <div className="test-result__warnings">
          <p className="test-result__caption">Warnings</p>
          <ul className="plain-list">
            {report.warnings.map((w) => (
              <li key={w}>
                <StatusBadge tone="warn">Warning</StatusBadge> {w}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
