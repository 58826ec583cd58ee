// Where a service's database is and how Lifeboat signs in, as terms and values (never a password), with the
// last connection test's outcome; as a panel for the overview and settings tabs.
import type { PasswordSource, ServiceView } from '../../../../shared/domain';
import { formatDateTime } from '../../format/dateTime';
import { HealthBadge } from '../fleet/HealthBadge';

function passwordText(source: PasswordSource, stored: boolean): string {
  switch (source.kind) {
    case 'keychain':
      return stored ? 'OS keychain (stored)' : 'OS keychain (nothing stored yet)';
    case 'env':
      return `environment variable ${source.variable}`;
    case 'passfile':
      return `passfile ${source.path ?? '~/.pgpass'}`;
    case 'none':
      return 'none';
  }
}

export function ConnectionFacts({ view }: { view: ServiceView }) {
  const { connection } = view.service;
  const report = view.lastTest?.report;
  return (
    <dl className="facts" data-testid="connection-facts">
      <dt>Server</dt>
      <dd className="mono">
        {connection.host}
        {connection.instance ? `\\${connection.instance}` : ''}:{connection.port}
      </dd>
      <dt>Database</dt>
      <dd className="mono">{connection.database}</dd>
      <dt>User</dt>
      <dd className="mono">{connection.user}</dd>
      <dt>TLS</dt>
      <dd>{connection.tls}</dd>
      <dt>Password</dt>
      <dd>{passwordText(connection.password, view.hasStoredPassword)}</dd>
      <dt>Connection</dt>
      <dd>
        <HealthBadge view={view} />
        {view.lastTest && <span className="muted"> tested {formatDateTime(view.lastTest.at)}</span>}
      </dd>
      {report && (
        <>
          <dt>Server version</dt>
          <dd>
            {report.serverVersion}
            {report.edition ? ` (${report.edition})` : ''}
          </dd>
        </>
      )}
    </dl>
  );
}

export function ConnectionPanel({ view, testId }: { view: ServiceView; testId: string }) {
  return (
    <section className="panel" aria-labelledby={`${testId}-title`} data-testid={testId}>
      <h2 id={`${testId}-title`}>Connection</h2>
      <ConnectionFacts view={view} />
    </section>
  );
}
