// A service's page has the tabs its engine needs, and a row's menu leads to them and to the row's actions,
// each with the test id its old row button had.
import { describe, expect, it } from 'vitest';
import type { ServiceView } from '../../../src/shared/domain';
import { serviceMenuItems } from '../../../src/renderer/src/pages/fleet/serviceMenuItems';
import { SERVICE_TAB_ENTRIES, tabForEngine } from '../../../src/renderer/src/pages/service/serviceTabEntries';

function view(id: string, engine: 'postgres' | 'sqlserver'): ServiceView {
  return {
    service: { id, name: id, engine, tags: [], policy: {}, connection: { host: 'db', port: 1, database: 'd', user: 'u', tls: 'prefer', password: { kind: 'none' } } },
    hasStoredPassword: false,
    health: 'untested',
  };
}

const noop = { backUp() {}, async test() {}, edit() {}, remove() {} };

describe('service tabs', () => {
  it('gives PostgreSQL backups and recovery apart and SQL Server one backups-and-recovery tab', () => {
    expect(SERVICE_TAB_ENTRIES.postgres.map((t) => t.label)).toEqual(['Overview', 'Backups', 'Recovery', 'Replication/HA', 'Runbook', 'Settings']);
    expect(SERVICE_TAB_ENTRIES.sqlserver.map((t) => t.tab)).toEqual(['overview', 'sqlserver', 'replication', 'runbook', 'settings']);
  });

  it("opens an old address on the engine's own tab", () => {
    expect(tabForEngine('sqlserver', 'backups')).toBe('sqlserver');
    expect(tabForEngine('sqlserver', 'recovery')).toBe('sqlserver');
    expect(tabForEngine('postgres', 'sqlserver')).toBe('backups');
    expect(tabForEngine('postgres', 'recovery')).toBe('recovery');
  });

  it("puts a row's actions first, then its page's tabs, with the old buttons' test ids", () => {
    const items = serviceMenuItems(view('orders', 'postgres'), noop);
    expect(items.map((i) => (i.kind === 'separator' ? '—' : i.testId))).toEqual([
      'backup-service-orders',
      'test-service-orders',
      'edit-service-orders',
      'remove-service-orders',
      '—',
      'overview-service-orders',
      'backups-service-orders',
      'recovery-service-orders',
      'replication-service-orders',
      'runbook-service-orders',
      'settings-service-orders',
    ]);
    expect(items.find((i) => i.kind === 'link' && i.testId === 'recovery-service-orders')).toMatchObject({ href: '#/service/orders/recovery' });
  });

  it('offers no backup for a SQL Server service (the server takes its own)', () => {
    const items = serviceMenuItems(view('sales', 'sqlserver'), noop);
    expect(items.some((i) => i.kind === 'action' && i.label.startsWith('Back up'))).toBe(false);
    expect(items.find((i) => i.kind === 'link' && i.testId === 'sqlserver-service-sales')).toMatchObject({ href: '#/service/sales/sqlserver', label: 'Backups & recovery' });
  });
});
