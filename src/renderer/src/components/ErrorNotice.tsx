// An error as the DBA should see it: what happened, what to do, and the code to search for; never a stack.
import type { WireError } from '../../../shared/errors';
import './ErrorNotice.css';

export interface ErrorNoticeProps {
  error: WireError;
  /** Announce immediately (role=alert); off for errors shown inside a region that is already live. */
  alert?: boolean;
  testId?: string;
}

export function ErrorNotice({ error, alert = true, testId }: ErrorNoticeProps) {
  return (
    <div className="error-notice" role={alert ? 'alert' : undefined} data-testid={testId}>
      <p className="error-notice__message">
        <span className="error-notice__icon" aria-hidden="true">
          ✕
        </span>
        <span>
          <strong>{error.message}</strong> <code className="error-notice__code">{error.code}</code>
        </span>
      </p>
      {error.hint && <p className="error-notice__hint">{error.hint}</p>}
    </div>
  );
}
