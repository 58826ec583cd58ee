// Where notifications go: desktop notifications on or off (for the whole fleet file), and the webhooks (a
// JSON POST per notification) with the secret header whose value goes to the keychain and never comes back.
//
// Names for end-to-end tests: region "Webhooks" (data-testid="webhooks-panel"), list data-testid="webhook-list"
// with items data-testid="webhook-<name>"; form fields "Name", "URL", "Secret header", "Secret value"; buttons
// "Save webhook", "Send a test" (data-testid="webhook-test-<name>"), "Remove"; result data-testid="webhook-result".
import { useCallback, useState, type FormEvent } from 'react';
import type { WireError } from '../../../../shared/errors';
import type { WebhookDelivery } from '../../../../shared/monitoring';
import { appClient } from '../../client/appClient';
import { toWireError } from '../../client/lifeboatClient';
import { Button } from '../../components/Button';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/Field';
import { StatusBadge } from '../../components/StatusBadge';
import { useLoaded } from '../recovery/useLoaded';

export function WebhooksPanel() {
  const webhooks = useLoaded(useCallback(() => appClient().call('monitoring.webhooks', {}), []), true);
  const settings = useLoaded(useCallback(() => appClient().call('monitoring.notifications', { limit: 1 }), []), true);
  const [draft, setDraft] = useState({ name: '', url: '', secretHeader: '', secret: '' });
  const [error, setError] = useState<WireError>();
  const [result, setResult] = useState<WebhookDelivery>();
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      await webhooks.refresh();
    } catch (err) {
      setError(toWireError(err));
    } finally {
      setBusy(false);
    }
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await appClient().call('monitoring.setWebhook', {
        webhook: { name: draft.name.trim(), url: draft.url.trim(), secretHeader: draft.secretHeader.trim() || undefined },
        secret: draft.secret || undefined,
      });
      setDraft({ name: '', url: '', secretHeader: '', secret: '' });
    });
  };

  const desktop = settings.value?.desktop ?? true;
  return (
    <section className="panel" aria-labelledby="webhooks-title" data-testid="webhooks-panel">
      <h2 id="webhooks-title">Webhooks</h2>
      <label className="dashboard__toggle">
        <input
          type="checkbox"
          checked={desktop}
          onChange={(e) => void run(async () => {
            await appClient().call('monitoring.setDesktopNotifications', { enabled: e.target.checked });
            await settings.refresh();
          })}
        />{' '}
        Desktop notifications for this fleet
      </label>
      {webhooks.value && webhooks.value.length > 0 && (
        <ul className="dashboard__list" data-testid="webhook-list">
          {webhooks.value.map((w) => (
            <li key={w.name} data-testid={`webhook-${w.name}`}>
              <strong>{w.name}</strong> <span className="mono dashboard__sub">{w.url}</span>{' '}
              {w.secretHeader && <StatusBadge tone={w.hasSecret ? 'ok' : 'warn'}>{w.hasSecret ? `${w.secretHeader} set` : `${w.secretHeader} has no secret`}</StatusBadge>}
              <div className="page__actions">
                <Button size="sm" busy={busy} data-testid={`webhook-test-${w.name}`} onClick={() => void run(async () => setResult(await appClient().call('monitoring.testWebhook', { name: w.name })))}>
                  Send a test
                </Button>
                <Button size="sm" onClick={() => void run(() => appClient().call('monitoring.removeWebhook', { name: w.name }))}>
                  Remove
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {result && (
        <p data-testid="webhook-result" role="status">
          <StatusBadge tone={result.ok ? 'ok' : 'error'}>{result.ok ? 'Delivered' : 'Not delivered'}</StatusBadge>{' '}
          {result.webhook}: {result.ok ? `HTTP ${result.status}` : result.error} after {result.attempts} attempt(s)
        </p>
      )}
      {error && <ErrorNotice error={error} />}
      <form className="dashboard__form" onSubmit={save}>
        <TextField label="Name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} hint="e.g. dba-chat" required />
        <TextField label="URL" value={draft.url} onChange={(e) => setDraft({ ...draft, url: e.target.value })} hint="Receives a JSON POST per notification" required />
        <TextField label="Secret header" optional value={draft.secretHeader} onChange={(e) => setDraft({ ...draft, secretHeader: e.target.value })} hint="e.g. X-Lifeboat-Token" />
        <TextField label="Secret value" optional type="password" autoComplete="off" value={draft.secret} onChange={(e) => setDraft({ ...draft, secret: e.target.value })} hint="Stored in the keychain only" />
        <Button type="submit" variant="primary" busy={busy}>
          Save webhook
        </Button>
      </form>
    </section>
  );
}
