// The monitoring slice of the contract (see src/shared/monitoringContract.ts).
import type { Handlers } from '../../shared/contract';
import type { monitoringMethodInputs } from '../../shared/monitoringContract';
import type { NotificationSettings, WebhookView } from '../../shared/monitoring';
import type { CoreDeps } from '../coreDeps';
import { LifeboatError } from '../lifeboatError';
import type { Monitor } from './monitor';
import { webhookSecretAccount } from './notifier';

type MonitoringHandlers = Pick<Handlers, keyof typeof monitoringMethodInputs>;

export function monitoringHandlers(deps: CoreDeps, monitor: Monitor): MonitoringHandlers {
  const { fleet, secrets, log } = deps;

  async function webhookView(name: string): Promise<WebhookView> {
    const w = (fleet.notifications.webhooks ?? []).find((x) => x.name === name);
    if (!w) throw new LifeboatError('NOT_FOUND', `No webhook named "${name}".`, 'List the webhooks to see their names.');
    const hasSecret = await secrets.get(webhookSecretAccount(w.name)).then((s) => s !== undefined, () => false);
    return { name: w.name, url: w.url, secretHeader: w.secretHeader, kinds: w.kinds, hasSecret };
  }

  async function saveNotifications(patch: (current: NotificationSettings) => NotificationSettings): Promise<NotificationSettings> {
    const next = patch(fleet.notifications);
    fleet.setNotifications(next);
    await fleet.save();
    return next;
  }

  return {
    'monitoring.dashboard': () => monitor.dashboard(),
    'monitoring.fleet': () => monitor.fleet(),
    'monitoring.schedules': async () => monitor.scheduler.views(),
    'monitoring.notifications': async ({ limit }) => ({
      desktop: fleet.notifications.desktop ?? true,
      notifications: monitor.notifier.list(limit),
      deliveries: monitor.notifier.recentDeliveries(),
    }),
    'monitoring.webhooks': async () => Promise.all((fleet.notifications.webhooks ?? []).map((w) => webhookView(w.name))),
    'monitoring.setWebhook': async ({ webhook, secret }) => {
      if (secret !== undefined && !webhook.secretHeader)
        throw new LifeboatError('INVALID_INPUT', 'A secret needs the name of the header that carries it.', 'Set secretHeader, e.g. X-Lifeboat-Token.');
      // The secret first: a webhook in the file whose secret never reached the keychain would send without it.
      if (secret !== undefined) await secrets.set(webhookSecretAccount(webhook.name), secret);
      await saveNotifications((n) => ({ ...n, webhooks: [...(n.webhooks ?? []).filter((w) => w.name !== webhook.name), webhook] }));
      await log.write({ level: 'info', event: 'webhook.saved', detail: webhook.name });
      return webhookView(webhook.name);
    },
    'monitoring.removeWebhook': async ({ name }) => {
      if (!(fleet.notifications.webhooks ?? []).some((w) => w.name === name)) throw new LifeboatError('NOT_FOUND', `No webhook named "${name}".`, 'List the webhooks to see their names.');
      await saveNotifications((n) => ({ ...n, webhooks: (n.webhooks ?? []).filter((w) => w.name !== name) }));
      await secrets.delete(webhookSecretAccount(name)).catch(() => false);
      await log.write({ level: 'info', event: 'webhook.removed', detail: name });
      return { removed: name };
    },
    'monitoring.testWebhook': ({ name }) => monitor.notifier.test(name),
    'monitoring.setDesktopNotifications': async ({ enabled }) => {
      const next = await saveNotifications((n) => ({ ...n, desktop: enabled }));
      return { desktop: next.desktop ?? true };
    },
    'monitoring.agents': () => monitor.agents(),
  };
}
