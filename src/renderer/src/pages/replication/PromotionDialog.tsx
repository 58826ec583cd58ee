// Promotes a PostgreSQL standby after the DBA has seen what it would lose, whether the old primary still
// answers (or confirmed it is fenced), and typed the service id.
//
// Names for end-to-end tests: dialog "Promote <id> to primary?" (data-testid="promotion-dialog"); the
// check's figures data-testid="promotion-unreplayed", "promotion-unreceived", "promotion-old-primary";
// checkbox "The old primary is fenced" (data-testid="promotion-fenced"); field "Type <id> to confirm"
// (data-testid="promotion-confirm"); button "Promote" (data-testid="promotion-submit"); the outcome
// data-testid="promotion-result".
import { useEffect, useState } from 'react';
import type { WireError } from '../../../../shared/errors';
import type { PromotionCheck, PromotionRecord } from '../../../../shared/replication';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/Field';
import { bytesText, orDash, secondsText } from './replicationFormat';

export function PromotionDialog({ serviceId, onClose, onPromoted }: { serviceId: string; onClose(): void; onPromoted(record: PromotionRecord): void }) {
  const [check, setCheck] = useState<PromotionCheck>();
  const [error, setError] = useState<WireError>();
  const [typed, setTyped] = useState('');
  const [fenced, setFenced] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PromotionRecord>();

  useEffect(() => {
    let live = true;
    appClient()
      .call('replication.promotionCheck', { serviceId })
      .then((c) => live && setCheck(c))
      .catch((err: unknown) => live && setError(toWireError(err)));
    return () => {
      live = false;
    };
  }, [serviceId]);

  const ready = !!check?.isStandby && typed === serviceId && (!check.needsFencingConfirmation || fenced) && !result;

  const promote = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const record = await appClient().call('replication.promote', { serviceId, confirm: typed, fencedConfirmed: fenced });
      setResult(record);
      onPromoted(record);
    } catch (err) {
      setError(toWireError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`Promote ${serviceId} to primary?`}
      onClose={onClose}
      size="lg"
      testId="promotion-dialog"
      footer={
        <>
          <Button onClick={onClose}>{result ? 'Close' : 'Cancel'}</Button>
          {!result && (
            <Button variant="danger" onClick={() => void promote()} disabled={!ready} busy={busy} data-testid="promotion-submit">
              Promote
            </Button>
          )}
        </>
      }
    >
      {!check && !error && <p className="muted">Reading the standby's position and probing its old primary…</p>}
      {check && (
        <>
          {!check.isStandby && <p className="recovery__danger-text">{check.wouldLose}</p>}
          {check.isStandby && (
            <dl className="facts">
              <dt>Received / replayed</dt>
              <dd className="mono">
                {orDash(check.receiveLsn)} / {orDash(check.replayLsn)}
                {check.replayPaused && ' (replay paused)'}
              </dd>
              <dt>Not replayed yet</dt>
              <dd data-testid="promotion-unreplayed">{bytesText(check.unreplayedBytes)} — applied before promotion completes</dd>
              <dt>Never received</dt>
              <dd data-testid="promotion-unreceived">{bytesText(check.unreceivedBytes)} — lost on promotion</dd>
              <dt>Last replayed commit</dt>
              <dd>{check.replayDelaySeconds === null ? '—' : `${secondsText(check.replayDelaySeconds)} ago`}{check.unreplayedBytes === 0 ? ' (caught up: an idle primary makes this grow with nothing missing)' : ''}</dd>
              <dt>Old primary</dt>
              <dd data-testid="promotion-old-primary" data-reachable={String(check.oldPrimary.reachable)}>
                <span className="mono">{orDash(check.oldPrimary.address)}</span>
                {check.oldPrimary.serviceId && ` (${check.oldPrimary.serviceId})`}:{' '}
                {check.oldPrimary.reachable === null ? 'unknown' : check.oldPrimary.reachable ? <strong className="recovery__danger-text">still accepts connections</strong> : 'unreachable'} — {check.oldPrimary.detail}
              </dd>
            </dl>
          )}
          {check.isStandby && <p>{check.wouldLose}</p>}
          {check.isStandby && check.needsFencingConfirmation && (
            <label className="replication__check">
              <input type="checkbox" checked={fenced} onChange={(e) => setFenced(e.target.checked)} data-testid="promotion-fenced" /> The old primary is fenced: no client can write to it (stopped, firewalled or
              rejected in pg_hba.conf).
            </label>
          )}
          {check.isStandby && (
            <TextField
              label={
                <>
                  Type <span className="mono">{serviceId}</span> to confirm
                </>
              }
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="off"
              className="mono"
              data-testid="promotion-confirm"
            />
          )}
          <details>
            <summary>The same steps by hand</summary>
            <pre className="replication__steps">{check.manualSteps}</pre>
          </details>
        </>
      )}
      {error && <ErrorNotice error={error} testId="promotion-error" />}
      {result && (
        <p data-testid="promotion-result" role="status">
          Promoted {result.serviceId}: primary on timeline {result.newTimeline} at <span className="mono">{result.lsnAfter}</span> in {result.durationMs} ms. Repoint clients and the other standbys, restart WAL
          streaming and take a base backup.
        </p>
      )}
    </Dialog>
  );
}
