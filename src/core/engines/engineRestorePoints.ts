// The named restore points (pg_create_restore_point) in a pgBackRest or Barman archive, oldest first, with the
// LSN and timeline of each: neither engine lists them, so every archived segment is scanned once (remembered
// per segment, engineWalScan.ts). A restore to a name then starts from the newest backup that stopped before
// that point, as for any other target, instead of from the oldest backup.
import { isSegmentName, parseSegmentName } from '../wal/walNames';
import { openEngineWalScan } from './engineWalScan';
import type { ExistingEngine } from './existingEngine';

export interface EngineRestorePoint {
  name: string;
  lsn: string;
  timeline: number;
}

export async function engineRestorePoints(engine: ExistingEngine, o: { stateDir: string; serviceId: string; signal?: AbortSignal; onSegment?: (done: number, total: number) => void }): Promise<EngineRestorePoint[]> {
  const names = await engine.archivedWal(o.signal);
  const segments = names.filter(isSegmentName).sort();
  const scan = await openEngineWalScan(engine, o);
  const points: EngineRestorePoint[] = [];
  try {
    for (const [i, name] of segments.entries()) {
      const { timeline } = parseSegmentName(name);
      for (const p of (await scan.segment(name, 'points')).points ?? []) points.push({ ...p, timeline });
      o.onSegment?.(i + 1, segments.length);
    }
  } finally {
    await scan.close(new Set(names));
  }
  return points;
}
