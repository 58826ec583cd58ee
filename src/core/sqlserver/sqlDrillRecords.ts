// SQL Server drill results, kept in Lifeboat's data folder (state/sqlserver-drills/<service>/<id>.json):
// SQL Server writes its backups itself, so a SQL Server service may have no Lifeboat repository to hold them.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DrillView } from '../../shared/recovery';
import { writeFileAtomic } from '../storage/atomicWrite';

export function sqlDrillFolder(dataDir: string, serviceId: string): string {
  return join(dataDir, 'state', 'sqlserver-drills', serviceId);
}

export async function saveSqlDrill(dataDir: string, drill: DrillView): Promise<void> {
  const dir = sqlDrillFolder(dataDir, drill.serviceId);
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, `${drill.id}.json`), JSON.stringify(drill, null, 2) + '\n');
}

export async function listSqlDrills(dataDir: string, serviceId: string): Promise<DrillView[]> {
  const dir = sqlDrillFolder(dataDir, serviceId);
  const names = await readdir(dir).catch(() => [] as string[]);
  const drills: DrillView[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    try {
      drills.push(JSON.parse(await readFile(join(dir, name), 'utf8')) as DrillView);
    } catch {
      // A torn record from a crash is skipped; the others still list.
    }
  }
  return drills.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}
