// A fleet row's actions menu: what can be done to the service here (back up, test, edit, remove), then the
// tabs of its page. Each entry keeps the test id its old row button had (backup-service-<id>,
// test-service-<id>, edit-service-<id>, remove-service-<id>, <tab>-service-<id>).
import type { ServiceView } from '../../../../shared/domain';
import type { ActionsMenuItem } from '../../components/ActionsMenu';
import { serviceHref } from '../../navigation/route';
import { SERVICE_TAB_ENTRIES } from '../service/serviceTabEntries';
import type { ServiceActions } from '../service/useServiceActions';

export function serviceMenuItems(view: ServiceView, actions: Pick<ServiceActions, 'backUp' | 'test' | 'edit' | 'remove'>): ActionsMenuItem[] {
  const { id, engine } = view.service;
  return [
    ...(engine === 'postgres' ? [{ kind: 'action' as const, label: 'Back up…', onSelect: () => actions.backUp([id]), testId: `backup-service-${id}` }] : []),
    { kind: 'action', label: 'Test connection', onSelect: () => void actions.test(id), testId: `test-service-${id}` },
    { kind: 'action', label: 'Edit…', onSelect: () => actions.edit(view), testId: `edit-service-${id}` },
    { kind: 'action', label: 'Remove…', onSelect: () => actions.remove(view), testId: `remove-service-${id}`, danger: true },
    { kind: 'separator', key: 'tabs' },
    ...SERVICE_TAB_ENTRIES[engine].map((t): ActionsMenuItem => ({ kind: 'link', label: t.label, href: serviceHref(id, t.tab), testId: `${t.tab}-service-${id}` })),
  ];
}
