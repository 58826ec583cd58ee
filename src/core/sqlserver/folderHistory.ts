// Backup history read from the files in a folder on the server: xp_dirtree lists them, RESTORE HEADERONLY
// reads each. A file that is not a readable backup becomes a warning, not a failure of the whole listing.
import { loadMssql } from '../engines/sqlserver/mssqlDriver';
import type { SqlBackupSet } from '../../shared/sqlServer';
import { toWireError } from '../lifeboatError';
import { headerOnlyBatch, headerRowToBackupSet, type HeaderRow } from './backupFileHeaders';
import { serverPath } from './backupStatement';
import type { SqlSession } from './sqlServerSession';
import { FOLDER_FILES_QUERY, type FolderFileRow } from './sqlServerQueries';

export async function folderHistory(
  session: SqlSession,
  folder: string,
  server: { majorVersion: number; utcOffsetMinutes: number },
): Promise<{ sets: SqlBackupSet[]; warnings: string[] }> {
  // The bind callback is synchronous, so the driver (for its NVarChar) is loaded before it runs.
  const mssql = await loadMssql();
  const files = (await session.run<FolderFileRow>(FOLDER_FILES_QUERY, { bind: (r) => r.input('folder', mssql.NVarChar(1024), folder) }))
    .filter((row) => Number(row.file) === 1)
    .map((row) => row.subdirectory)
    .sort();
  const sets: SqlBackupSet[] = [];
  const warnings: string[] = [];
  for (const name of files) {
    const device = serverPath(folder, name);
    try {
      const rows = await session.run<HeaderRow>(headerOnlyBatch(device, server.majorVersion), { long: true });
      for (const row of rows) {
        const set = headerRowToBackupSet(row, device, server.utcOffsetMinutes);
        if (set) sets.push(set);
      }
    } catch (error) {
      warnings.push(`${device}: not read (${toWireError(error).message})`);
    }
  }
  if (files.length === 0) warnings.push(`No files in ${folder} (as the SQL Server service sees it).`);
  return { sets, warnings };
}
