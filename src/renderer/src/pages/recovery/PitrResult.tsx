// A finished point-in-time restore: the point PostgreSQL actually reached (time, LSN, its own words), how to
// connect to the scratch cluster, and what to do next: copy a database out of it, get the commands for a
// whole-cluster restore to the same target, or remove the scratch cluster.
//
// Names for end-to-end tests (Playwright role / label selectors):
//   region "Restore result" (data-testid="pitr-result", data-scratch-id=<id>); data-testid="pitr-reached"
//   (time data-testid="pitr-reached-time", LSN "pitr-reached-lsn", words "pitr-reached-detail");
//   data-testid="pitr-connection" (URI data-testid="pitr-uri" with button "Copy", data-testid="pitr-copy-uri";
//   host "pitr-host", port "pitr-port", user "pitr-user"); buttons "Copy a database to a registered server…"
//   (data-testid="pitr-copy-database", opens CopyDatabaseDialog), "Show commands to restore the whole cluster"
//   (data-testid="pitr-show-commands", opens RestoreCommandsDialog), "Remove scratch cluster"
//   (data-testid="pitr-remove", asks in dialog "Remove scratch cluster <id>?" with button "Remove"); once removed
//   data-testid="pitr-removed".
import { useId, useState } from 'react';
import type { ServiceView } from '../../../../shared/domain';
import type { Job } from '../../../../shared/jobs';
import type { ScratchView } from '../../../../shared/recovery';
import { appClient } from '../../client/appClient';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyButton } from '../../components/CopyButton';
import { StatusBadge } from '../../components/StatusBadge';
import { formatInZone } from '../../format/zonedTime';
import type { TimeZoneChoice } from '../../format/zonedTime';
import { CopyDatabaseDialog } from './CopyDatabaseDialog';
import { RestoreCommandsDialog } from './RestoreCommandsDialog';
import type { RestoreTarget } from './targetDraft';
import { describeTarget } from './targetDraft';

/** The scratch cluster a succeeded restore.pitr job produced; its result crosses the bridge as unknown. */
export function scratchOfJob(job: Job): ScratchView | undefined {
  if (job.kind !== 'restore.pitr' || job.state !== 'succeeded') return undefined;
  const r = job.result as Partial<ScratchView> | undefined;
  if (!r || typeof r.id !== 'string' || typeof r.connection !== 'object' || r.connection === null || typeof r.connection.uri !== 'string') return undefined;
  return r as ScratchView;
}

export interface PitrResultProps {
  scratch: ScratchView;
  target: RestoreTarget;
  serviceId: string;
  postgresServices: ServiceView[];
  zone: TimeZoneChoice;
  announce(text: string): void;
}

export function PitrResult({ scratch, target, serviceId, postgresServices, zone, announce }: PitrResultProps) {
  const headingId = useId();
  const uriId = useId();
  const psqlId = useId();
  const [dialog, setDialog] = useState<'copy' | 'commands' | 'remove'>();
  const [removed, setRemoved] = useState(false);
  const reached = scratch.reached;
  const reachedMs = reached?.time ? Date.parse(reached.time) : undefined;
  const psql = `psql '${scratch.connection.uri}'`;
  const defaultDatabase = postgresServices.find((v) => v.service.id === serviceId)?.service.connection.database ?? 'postgres';

  const remove = async () => {
    await appClient().call('scratch.remove', { id: scratch.id });
    setRemoved(true);
    announce(`Removed scratch cluster ${scratch.id}.`);
  };

  return (
    <section className={`pitr-result${removed ? ' pitr-result--removed' : ''}`} aria-labelledby={headingId} data-testid="pitr-result" data-scratch-id={scratch.id}>
      <h3 id={headingId} className="pitr-result__title">
        <StatusBadge tone={removed ? 'untested' : 'ok'} icon={removed ? '■' : undefined}>
          {removed ? 'Removed' : 'Restored'}
        </StatusBadge>
        <span>Restore result</span>
      </h3>
      <p className="muted">
        Asked for {describeTarget(target)}. Scratch cluster <span className="mono">{scratch.id}</span> from base backup{' '}
        <span className="mono">{scratch.backupId}</span>.
      </p>

      <div className="pitr-result__grid">
        <div className="pitr-result__block" data-testid="pitr-reached">
          <h4>Point reached</h4>
          <dl className="facts">
            <dt>Time</dt>
            <dd className="mono" data-testid="pitr-reached-time">
              {reachedMs !== undefined && !Number.isNaN(reachedMs) ? (
                <>
                  {formatInZone(reachedMs, zone, true)}
                  {zone.kind !== 'utc' && <span className="muted pitr-result__utc"> = {formatInZone(reachedMs, { kind: 'utc' }, true)}</span>}
                </>
              ) : (
                <span className="muted">not reported</span>
              )}
            </dd>
            <dt>LSN</dt>
            <dd className="mono" data-testid="pitr-reached-lsn">
              {reached?.lsn ?? <span className="muted">not reported</span>}
            </dd>
            <dt>PostgreSQL says</dt>
            <dd data-testid="pitr-reached-detail">{reached?.detail ?? 'recovery finished'}</dd>
          </dl>
        </div>

        <div className="pitr-result__block" data-testid="pitr-connection">
          <h4>Connection</h4>
          <dl className="facts">
            <dt>URI</dt>
            <dd className="pitr-result__copyable">
              <code id={uriId} className="pitr-result__code" data-testid="pitr-uri">
                {scratch.connection.uri}
              </code>
              <CopyButton text={scratch.connection.uri} describedBy={uriId} testId="pitr-copy-uri" />
            </dd>
            <dt>psql</dt>
            <dd className="pitr-result__copyable">
              <code id={psqlId} className="pitr-result__code">
                {psql}
              </code>
              <CopyButton text={psql} describedBy={psqlId} testId="pitr-copy-psql" />
            </dd>
            <dt>Host (socket folder)</dt>
            <dd className="mono" data-testid="pitr-host">
              {scratch.connection.host}
            </dd>
            <dt>Port</dt>
            <dd className="mono" data-testid="pitr-port">
              {scratch.connection.port}
            </dd>
            <dt>User</dt>
            <dd className="mono" data-testid="pitr-user">
              {scratch.connection.user}
            </dd>
          </dl>
          <p className="muted pitr-result__note">
            No password: the socket lives in a private folder of the operating-system user <span className="mono">{scratch.osUser}</span>.
          </p>
        </div>
      </div>

      {removed ? (
        <p className="muted" data-testid="pitr-removed">
          The scratch cluster was stopped and its files removed.
        </p>
      ) : (
        <div className="page__actions">
          <Button onClick={() => setDialog('copy')} data-testid="pitr-copy-database">
            Copy a database to a registered server…
          </Button>
          <Button onClick={() => setDialog('commands')} data-testid="pitr-show-commands">
            Show commands to restore the whole cluster
          </Button>
          <Button variant="danger" onClick={() => setDialog('remove')} data-testid="pitr-remove">
            Remove scratch cluster
          </Button>
        </div>
      )}

      {dialog === 'copy' && <CopyDatabaseDialog scratch={scratch} services={postgresServices} defaultDatabase={defaultDatabase} onClose={() => setDialog(undefined)} />}
      {dialog === 'commands' && <RestoreCommandsDialog serviceId={serviceId} target={target} onClose={() => setDialog(undefined)} />}
      {dialog === 'remove' && (
        <ConfirmDialog title={`Remove scratch cluster ${scratch.id}?`} confirmLabel="Remove" testId="pitr-remove-dialog" onConfirm={remove} onClose={() => setDialog(undefined)}>
          <p>The scratch cluster is stopped and its data directory deleted. Copy out what you need first.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
