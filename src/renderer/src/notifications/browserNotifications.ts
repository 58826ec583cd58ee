// Browser mode's desktop notifications: the page shows 'monitoring.notification' events with the web
// Notification API once the user has allowed it (asked on a click, never on load). Under Electron the main
// process shows native notifications instead, and the web API stays denied.
import type { LifeboatBridge } from '../../../shared/bridge';
import type { NotificationRecord } from '../../../shared/monitoring';
import { appClient } from '../client/appClient';

export type BrowserNotificationState = 'unsupported' | 'electron' | NotificationPermission;

export function browserNotificationState(): BrowserNotificationState {
  if ((window as Window & { lifeboat?: LifeboatBridge }).lifeboat) return 'electron';
  if (!('Notification' in window)) return 'unsupported';
  return Notification.permission;
}

/** Must run inside a click handler: browsers ignore permission requests made without a user gesture. */
export async function requestBrowserNotifications(): Promise<BrowserNotificationState> {
  if (browserNotificationState() !== 'default') return browserNotificationState();
  return Notification.requestPermission();
}

let started = false;

/** Idempotent: the first call subscribes for the page's lifetime. */
export function startBrowserNotifications(): void {
  if (started || browserNotificationState() === 'electron' || browserNotificationState() === 'unsupported') return;
  started = true;
  appClient().on('monitoring.notification', (n: NotificationRecord) => {
    if (Notification.permission !== 'granted') return;
    void appClient()
      .call('monitoring.notifications', { limit: 1 })
      .then(({ desktop }) => {
        if (desktop) new Notification(n.title, { body: n.hint ? `${n.message}\n${n.hint}` : n.message, tag: n.id });
      })
      .catch(() => undefined);
  });
}
