// The whole-cluster restore of a pgBackRest or Barman service as its runbook prints it: the engine's own
// commands for the newest usable backup, the target time left as a placeholder, and the window it serves.
import type { RestoreCommandsView } from '../../shared/recovery';
import type { Service } from '../../shared/domain';
import { LifeboatError } from '../lifeboatError';
import { engineWindow } from './engineWindow';
import type { ExistingEngine } from './existingEngine';
import { engineBackupId } from './planEngineRestore';

export async function engineRunbookCommands(service: Service, engine: ExistingEngine, stateDir: string, timePlaceholder: string): Promise<{ commands: RestoreCommandsView; backupFinishedAt: string; windowTo: string }> {
  const { window, backups } = await engineWindow(engine, { stateDir, serviceId: service.id });
  const last = [...window.intervals].sort((a, b) => a.to.localeCompare(b.to)).at(-1);
  const backup = last && backups.filter((b) => last.backupIds.includes(b.label)).sort((a, b) => b.consistentAt.localeCompare(a.consistentAt))[0];
  if (!last || !backup) throw new LifeboatError('OUT_OF_WINDOW', `${engine.label} has no backup of ${service.id} with its archived WAL.`, `Check the engine (${engine.place}) and take a backup.`);
  const steps = engine.wholeClusterSteps({ backupLabel: backup.label, target: { kind: 'time', time: timePlaceholder, inclusive: true }, timeline: last.timeline, timePlaceholder });
  return {
    commands: { serviceId: service.id, backupId: engineBackupId(service.id, backup.label), target: `a time you choose, on or after ${backup.consistentAt}`, steps },
    backupFinishedAt: backup.consistentAt,
    windowTo: last.to,
  };
}
