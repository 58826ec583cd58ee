// Native notifications for the core's 'monitoring.notification' events (a failed job, an RPO breach,
// replication lag, a stopped archiver), unless the fleet file turns them off. Clicking one shows the window.
import { Notification, type BrowserWindow } from 'electron';
import type { Core } from '../core/api';
import type { NotificationRecord } from '../shared/monitoring';

export function showDesktopNotifications(core: Core, windows: () => BrowserWindow[]): () => void {
  return core.events.subscribe((name, payload) => {
    if (name !== 'monitoring.notification' || !Notification.isSupported()) return;
    const n = payload as NotificationRecord;
    void core.handlers['monitoring.notifications']({ limit: 1 }).then(({ desktop }) => {
      if (!desktop) return;
      const notification = new Notification({ title: n.title, body: n.hint ? `${n.message}\n${n.hint}` : n.message, urgency: n.severity === 'critical' ? 'critical' : 'normal' });
      notification.on('click', () => {
        const [window] = windows();
        if (!window || window.isDestroyed()) return;
        if (window.isMinimized()) window.restore();
        window.focus();
      });
      notification.show();
    });
  });
}
