// The desktop app's native notifications, with Electron's Notification replaced by a recorder (the binary is
// not needed): each 'monitoring.notification' event is shown, unless the fleet turned them off.
import { describe, expect, it, vi } from 'vitest';
import { EventHub } from '../../../src/core/eventHub';
import type { Core } from '../../../src/core/api';
import type { NotificationRecord } from '../../../src/shared/monitoring';

const shown: Array<{ title: string; body: string; urgency: string }> = [];
vi.mock('electron', () => ({
  Notification: class {
    static isSupported = () => true;
    constructor(private readonly o: { title: string; body: string; urgency: string }) {}
    on() {}
    show() {
      shown.push(this.o);
    }
  },
}));

const { showDesktopNotifications } = await import('../../../src/main/desktopNotifications');

const note = (title: string): NotificationRecord => ({ id: title, at: '2026-11-25T02:00:00Z', kind: 'job-failed', severity: 'critical', serviceId: 'orders', title, message: 'Nothing accepts connections', hint: 'Check the port' });
const settle = () => new Promise((r) => setImmediate(r));

describe('desktop notifications (Electron main)', () => {
  it('shows each notification natively while the fleet has them on, and none when it turned them off', async () => {
    const events = new EventHub();
    let desktop = true;
    const core = { events, handlers: { 'monitoring.notifications': async () => ({ desktop, notifications: [], deliveries: [] }) } } as unknown as Core;
    const stop = showDesktopNotifications(core, () => []);
    events.publish('monitoring.notification', note('Failed: Physical backup of orders'));
    events.publish('job.changed', { id: 'x' } as never);
    await settle();
    expect(shown).toEqual([{ title: 'Failed: Physical backup of orders', body: 'Nothing accepts connections\nCheck the port', urgency: 'critical' }]);
    desktop = false;
    events.publish('monitoring.notification', note('RPO breached for orders'));
    await settle();
    expect(shown).toHaveLength(1);
    stop();
  });
});
