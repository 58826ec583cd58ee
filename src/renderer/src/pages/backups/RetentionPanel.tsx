// Retention for one service: the policy in words, then the dry run — what would be removed and why, what is kept
// and why — and the button that applies it (behind a confirmation, in the page).
import type { RetentionPlanView } from '../../../../shared/backups';
import type { WireError } from '../../../../shared/errors';
import { Button } from '../../components/Button';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StatusBadge } from '../../components/StatusBadge';
import { describeRetentionPolicy } from './retentionPolicyText';

export interface RetentionPanelProps {
  plan?: RetentionPlanView;
  error?: WireError;
  onApply(): void;
}

export function RetentionPanel({ plan, error, onApply }: RetentionPanelProps) {
  const removing = plan?.remove.length ?? 0;
  return (
    <section className="panel retention" aria-labelledby="retention-heading" data-testid="retention-panel">
      <div className="retention__head">
        <h2 id="retention-heading">Retention</h2>
        <Button variant="danger" size="sm" onClick={onApply} disabled={removing === 0} data-testid="retention-apply">
          Apply retention
        </Button>
      </div>
      {error && <ErrorNotice error={error} alert={false} />}
      {!plan && !error && <p className="muted">Working out what the policy keeps…</p>}
      {plan && (
        <>
          <p data-testid="retention-policy">{plan.enginePolicy ? `Retention as ${plan.enginePolicy}. Applying it runs the engine's own removal.` : describeRetentionPolicy(plan.policy)}</p>
          <p className="muted">A dry run of the policy against the backups above; nothing is removed until you apply it.</p>
          <div className="retention__lists">
            <div>
              <h3 className="retention__title">Would be removed ({removing})</h3>
              {removing === 0 ? (
                <p className="muted" data-testid="retention-remove-none">
                  Nothing: every backup is kept.
                </p>
              ) : (
                <ul className="plain-list retention__list" data-testid="retention-remove">
                  {plan.remove.map((r) => (
                    <li key={r.id} data-testid={`retention-remove-${r.id}`}>
                      <StatusBadge tone="warn" icon="−">
                        Remove
                      </StatusBadge>{' '}
                      <span className="mono">{r.id}</span> <span className="muted">— {r.reason}</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <div>
              <h3 className="retention__title">Kept ({plan.keep.length})</h3>
              {plan.keep.length === 0 ? (
                <p className="muted">No backups to keep.</p>
              ) : (
                <ul className="plain-list retention__list" data-testid="retention-keep">
                  {plan.keep.map((k) => (
                    <li key={k.id} data-testid={`retention-keep-${k.id}`}>
                      <StatusBadge tone="ok">Keep</StatusBadge> <span className="mono">{k.id}</span>{' '}
                      <span className="muted">— {k.reasons.join('; ')}</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
