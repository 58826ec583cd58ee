// Verify and drill a SQL Server database: RESTORE VERIFYONLY WITH CHECKSUM of the latest chain, and a drill
// that restores it under a scratch name, runs DBCC CHECKDB, measures the RTO and drops the copy.
//
// Names for end-to-end tests: region "Verify and drill" (data-testid="sqlserver-drills-panel"); buttons
// data-testid="sqlserver-verify" and "sqlserver-drill"; table "Drills" (data-testid="sqlserver-drills-table").
import { useCallback, useEffect, useState } from 'react';
import type { DrillView } from '../../../../shared/recovery';
import type { WireError } from '../../../../shared/errors';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { DataTable } from '../../components/DataTable';
import type { DataTableColumn } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { timeSortValue } from '../../components/tableSort';
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
        <DataTable label="Drills" testId="sqlserver-drills-table" rows={drills.value} columns={sqlDrillColumns(zone)} rowKey={(d) => d.id} rowAttributes={(d) => ({ 'data-ok': d.ok })} />
      )}
    </section>
  );
}

function sqlDrillColumns(zone: TimeZoneChoice): DataTableColumn<DrillView>[] {
  return [
    { id: 'when', header: 'When', sortValue: (d) => timeSortValue(d.startedAt), sortDescFirst: true, cell: (d) => formatInZone(Date.parse(d.startedAt), zone) },
    { id: 'result', header: 'Result', sortValue: (d) => (d.ok ? 1 : 0), cell: (d) => (d.ok ? 'Passed' : `FAILED${d.error ? `: ${d.error.message}` : ''}`) },
    { id: 'rto', header: 'RTO', sortValue: (d) => d.rtoMs, cell: (d) => (d.rtoMs !== undefined ? `${(d.rtoMs / 1000).toFixed(1)} s` : '—') },
    { id: 'checks', header: 'Checks', cell: (d) => d.checks.map((c) => `${c.ok ? '✓' : '✕'} ${c.name}`).join('; ') },
  ];
}
