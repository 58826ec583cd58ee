// Verify and drill a SQL Server database: RESTORE VERIFYONLY WITH CHECKSUM of the latest chain, and a drill
// that restores it under a scratch name, runs DBCC CHECKDB, measures the RTO and drops the copy.
//
// Names for end-to-end tests: region "Verify and drill" (data-testid="sqlserver-drills-panel"); buttons
// data-testid="sqlserver-verify" and "sqlserver-drill"; table "Drills" (data-testid="sqlserver-drills-table").
import { useCallback, useEffect, useState } from 'react';
import type { WireError } from '../../../../shared/errors';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInZone, type TimeZoneChoice } from '../../format/zonedTime';
import { useJobsStore } from '../../stores/jobsStore';
import { useLoaded } from '../recovery/useLoaded';

export function SqlDrillsPanel({ serviceId, database, zone, announce }: { serviceId: string; database: string; zone: TimeZoneChoice; announce(text: string): void }) {
  const remember = useJobsStore((s) => s.remember);
  const [error, setError] = useState<WireError>();
  const load = useCallback(() => appClient().call('sqlserver.drills', { serviceId }), [serviceId]);
  const drills = useLoaded(load, true);
  const { refresh } = drills;

  useEffect(
    () =>
      appClient().on('job.changed', (job) => {
        if (job.kind === 'sqlserver.drill' && job.serviceId === serviceId && (job.state === 'succeeded' || job.state === 'failed')) void refresh();
      }),
    [serviceId, refresh],
  );

  const start = async (method: 'sqlserver.verify' | 'sqlserver.drill') => {
    setError(undefined);
    try {
      remember([await appClient().call(method, { serviceId, database })]);
      announce(method === 'sqlserver.verify' ? 'Verification started.' : 'Drill started.');
    } catch (err) {
      setError(toWireError(err));
    }
  };

  return (
    <section className="panel" aria-labelledby="sqlserver-drills-heading" data-testid="sqlserver-drills-panel">
      <h2 id="sqlserver-drills-heading">Verify and drill</h2>
      <p className="muted">
        Verify reads every backup of the latest restore chain on the server (RESTORE VERIFYONLY WITH CHECKSUM). A drill restores that chain under a
        scratch name (lifeboat_drill_…), runs DBCC CHECKDB, measures the time to an online database (the RTO) and always drops the copy.
      </p>
      <div className="sqlserver__actions">
        <Button onClick={() => void start('sqlserver.verify')} data-testid="sqlserver-verify">
          Verify backups
        </Button>
        <Button variant="primary" onClick={() => void start('sqlserver.drill')} data-testid="sqlserver-drill">
          Run drill
        </Button>
      </div>
      {error && <ErrorNotice error={error} />}
      {drills.error && <ErrorNotice error={drills.error} alert={false} />}
      {drills.value && drills.value.length > 0 && (
        <div className="table-scroll">
          <table className="data-table" aria-label="Drills" data-testid="sqlserver-drills-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Result</th>
                <th scope="col">RTO</th>
                <th scope="col">Checks</th>
              </tr>
            </thead>
            <tbody>
              {drills.value.map((d) => (
                <tr key={d.id} data-ok={d.ok}>
                  <td>{formatInZone(Date.parse(d.startedAt), zone)}</td>
                  <td>{d.ok ? 'Passed' : `FAILED${d.error ? `: ${d.error.message}` : ''}`}</td>
                  <td>{d.rtoMs !== undefined ? `${(d.rtoMs / 1000).toFixed(1)} s` : '—'}</td>
                  <td>{d.checks.map((c) => `${c.ok ? '✓' : '✕'} ${c.name}`).join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
