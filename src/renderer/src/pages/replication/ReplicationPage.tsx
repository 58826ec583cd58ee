// One service's replication and HA status (#/service/<id>/replication, a tab of its page): health and issues, live lag charts
// fed by the sampling job, then PostgreSQL's standbys, slots, archiver and topology (with promotion for a
// standby) or SQL Server's availability groups and log shipping (with failover guidance).
//
// Names for end-to-end tests: heading "Replication of <service name>"; health badge
// data-testid="replication-health" (data-health); issues list data-testid="replication-issues"; region
// "Lag" (data-testid="lag-charts", data-sampling) with one chart per standby (see LagChart.tsx); buttons
// "Stop sampling" / "Start sampling" (data-testid="sampling-toggle"), "Refresh" (data-testid="replication-refresh"),
// "Promote to primary…" (data-testid="promote-open", standbys only, opens PromotionDialog.tsx); tables in
// PostgresPanels.tsx and SqlServerPanels.tsx.
import { useMemo, useState } from 'react';
import { Button } from '../../components/Button';
import { ServicePageHeader } from '../../components/ServicePageHeader';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StatusBadge } from '../../components/StatusBadge';
import { ENGINE_LABEL } from '../../format/engineLabel';
import { formatDateTime } from '../../format/dateTime';
import { formatDuration } from '../../format/duration';
import { useDocumentTitle } from '../../navigation/useDocumentTitle';
import { useServicesStore } from '../../stores/servicesStore';
import { LagChart } from './LagChart';
import { lagSeries } from './lagSeries';
import { PostgresPanels } from './PostgresPanels';
import { PromotionDialog } from './PromotionDialog';
import { HEALTH_LABEL, HEALTH_TONE } from './replicationFormat';
import { SqlServerPanels } from './SqlServerPanels';
import { useReplication } from './useReplication';
import '../../styles/page.css';
import '../recovery/RecoveryPage.css';
import './ReplicationPage.css';

export function ReplicationPage({ serviceId }: { serviceId: string }) {
  const services = useServicesStore((s) => s.services);
  const view = services.find((v) => v.service.id === serviceId);
  const name = view?.service.name ?? serviceId;
  const data = useReplication(serviceId, !!view);
  const status = data.status.value;
  const series = useMemo(() => lagSeries(data.samples), [data.samples]);
  const [promoting, setPromoting] = useState(false);
  const [announcement, setAnnouncement] = useState('');

  useDocumentTitle(`Replication of ${name}`);

  return (
    <div className="page replication">
      <ServicePageHeader
        serviceId={serviceId}
        title={`Replication of ${name}`}
        lead={
          <>
            {view && ` · ${ENGINE_LABEL[view.service.engine]}`}
            {status?.engine === 'postgres' && ` · ${status.role} · timeline ${status.timeline ?? '?'} · ${status.role === 'primary' ? 'end of WAL' : 'received up to'} ${status.currentLsn ?? '—'}`}
            {status && ` · read ${formatDateTime(status.checkedAt)}`}
          </>
        }
        actions={
          <div className="replication__actions">
            {status && (
              <span data-testid="replication-health" data-health={status.health}>
                <StatusBadge tone={HEALTH_TONE[status.health]}>{HEALTH_LABEL[status.health]}</StatusBadge>
              </span>
            )}
            <Button size="sm" onClick={() => void data.status.refresh()} data-testid="replication-refresh">
              Refresh
            </Button>
            {status?.engine === 'postgres' && status.role === 'standby' && (
              <Button size="sm" variant="danger" onClick={() => setPromoting(true)} data-testid="promote-open">
                Promote to primary…
              </Button>
            )}
          </div>
        }
        announcement={announcement}
      />

      {data.status.error && <ErrorNotice error={data.status.error} testId="replication-error" />}
      {view && !status && !data.status.error && <p className="muted">Reading replication status…</p>}

      {status && status.issues.length > 0 && (
        <section className="panel replication__issues" aria-labelledby="issues-title">
          <h2 id="issues-title">Needs attention</h2>
          <ul data-testid="replication-issues">
            {status.issues.map((i) => (
              <li key={i}>{i}</li>
            ))}
          </ul>
        </section>
      )}

      {view && (
        <section className="panel" aria-labelledby="lag-title" data-testid="lag-charts" data-sampling={String(data.sampling)}>
          <div className="recovery__panel-head">
            <h2 id="lag-title">Lag</h2>
            <Button
              size="sm"
              data-testid="sampling-toggle"
              onClick={() => {
                void (data.sampling ? data.stopSampling() : data.startSampling());
                setAnnouncement(data.sampling ? 'Sampling stopped.' : 'Sampling started.');
              }}
            >
              {data.sampling ? 'Stop sampling' : 'Start sampling'}
            </Button>
          </div>
          <p className="recovery__panel-lead muted">
            {data.sampling ? `Sampled every ${formatDuration(data.intervalMs)}` : 'Not sampling'}; {data.samples.length} sample{data.samples.length === 1 ? '' : 's'} this session. Bytes behind the
            {status?.engine === 'sqlserver' ? ' primary (log send + redo queue)' : " primary's end of WAL (replay position)"}.
          </p>
          {data.samplingError && <ErrorNotice error={data.samplingError} />}
          {series.length === 0 && <p className="muted">No standby in the samples yet.</p>}
          <div className="replication__charts">
            {series.map((s) => (
              <LagChart key={s.standby} series={s} warnBytes={status?.engine === 'postgres' ? status.thresholds.warnLagBytes : undefined} />
            ))}
          </div>
        </section>
      )}

      {status?.engine === 'postgres' && <PostgresPanels view={status} />}
      {status?.engine === 'sqlserver' && <SqlServerPanels view={status} />}

      {promoting && (
        <PromotionDialog
          serviceId={serviceId}
          onClose={() => setPromoting(false)}
          onPromoted={(r) => {
            setAnnouncement(`Promoted ${r.serviceId} to primary on timeline ${r.newTimeline}.`);
            void data.status.refresh();
          }}
        />
      )}
    </div>
  );
}
