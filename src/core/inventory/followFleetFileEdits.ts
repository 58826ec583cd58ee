// What a long-lived core (desktop, browser mode, the agent) does when its fleet file is edited outside
// Lifeboat: an applied edit is logged and published as 'services.changed', so schedules, the fleet page and
// the runbooks follow without a restart; a refused one is logged, printed by the agent and notified.
import type { EventHub } from '../eventHub';
import type { ActivityLog, LogEntry } from '../logging/activityLog';
import type { Notifier } from '../monitoring/notifier';
import type { FleetFile } from './fleetFile';
import { watchFleetFile, type FleetFileWatcher } from './fleetFileWatcher';

export interface FleetEditFollowers {
  events: EventHub;
  log: ActivityLog;
  notifier: Pick<Notifier, 'notify'>;
  /** Also receives the log lines (the agent prints them on stdout). */
  onLog?: (entry: LogEntry) => void;
}

export function followFleetFileEdits(fleet: FleetFile, f: FleetEditFollowers): FleetFileWatcher {
  const say = (entry: LogEntry) => {
    void f.log.write(entry);
    f.onLog?.(entry);
  };
  return watchFleetFile(fleet, {
    onApplied: (ids) => {
      say({ level: 'info', event: 'fleet.reloaded', detail: `${fleet.path} was edited and applied; ${ids.length ? `services changed: ${ids.join(', ')}` : 'no service changed'}` });
      f.events.publish('services.changed', { ids });
    },
    onRejected: (error) => {
      say({ level: 'error', event: 'fleet.rejected', code: error.code, detail: `${error.message} ${error.hint}` });
      void f.notifier.notify({ kind: 'config-invalid', severity: 'critical', title: 'The edited fleet file was not applied', message: error.message, hint: error.hint });
    },
  });
}
