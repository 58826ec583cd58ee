// Tells the DBA, at the top of every page, that the window lost the Lifeboat host and what to do about it.
import { useConnectionStore } from '../stores/connectionStore';
import { Button } from './Button';
import './DisconnectedBanner.css';

export function DisconnectedBanner() {
  const connection = useConnectionStore();
  if (connection.status !== 'closed') return null;
  return (
    <div className="disconnected-banner" role="alert" data-testid="disconnected-banner">
      <span className="disconnected-banner__icon" aria-hidden="true">
        ✕
      </span>
      {connection.reason === 'host-stopped' ? (
        <p>
          <strong>Disconnected — the Lifeboat host stopped.</strong> Nothing you do here reaches your databases now. Start the
          host again, then reload this page.
        </p>
      ) : (
        <p>
          <strong>Disconnected — this page was opened without its access token.</strong> Open the full address the Lifeboat
          host printed (it ends with <code>?token=…</code>).
        </p>
      )}
      <Button size="sm" onClick={() => window.location.reload()}>
        Reload
      </Button>
    </div>
  );
}
