// A service's health as a badge: OK, Error with its code (message and hint on hover), or Untested.
import type { ServiceView } from '../../../../shared/domain';
import { formatDateTime } from '../../format/dateTime';
import { StatusBadge } from '../../components/StatusBadge';

export function HealthBadge({ view }: { view: ServiceView }) {
  const id = view.service.id;
  const at = view.lastTest ? `Last tested ${formatDateTime(view.lastTest.at)}` : undefined;
  if (view.health === 'ok') {
    return (
      <StatusBadge tone="ok" title={at} testId={`health-${id}`}>
        OK
      </StatusBadge>
    );
  }
  if (view.health === 'error') {
    const error = view.lastTest?.error;
    return (
      <StatusBadge tone="error" title={[error?.message, error?.hint, at].filter(Boolean).join('\n')} testId={`health-${id}`}>
        Error{error ? <code className="health__code"> {error.code}</code> : null}
      </StatusBadge>
    );
  }
  return (
    <StatusBadge tone="untested" title="Not tested yet" testId={`health-${id}`}>
      Untested
    </StatusBadge>
  );
}
