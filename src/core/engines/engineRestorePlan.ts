// Reads what a restore through pgBackRest or Barman needs to be planned by Lifeboat's rule (the engine's window,
// and for a restore point its place in the archive) and plans it: one path for the restore job, the drill, the
// plan checked before a job starts and the printed whole-cluster commands.
import { engineRestorePoints } from './engineRestorePoints';
import { engineWindow, type EngineWindow } from './engineWindow';
import type { ExistingEngine } from './existingEngine';
import { planEngineRestore, type EnginePlan, type EngineRestoreTarget } from './planEngineRestore';

export async function planThroughEngine(engine: ExistingEngine, o: { stateDir: string; serviceId: string; signal?: AbortSignal; onSegment?: (done: number, total: number) => void }, target: EngineRestoreTarget): Promise<EnginePlan & { window: EngineWindow }> {
  const window = await engineWindow(engine, o);
  const points = target.kind === 'name' ? await engineRestorePoints(engine, o) : [];
  return { ...planEngineRestore(window.window, window.backups, target, o.serviceId, points), window };
}
