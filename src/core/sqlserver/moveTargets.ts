// Where each database file goes when a backup is restored under a new name: WITH MOVE for every file RESTORE
// FILELISTONLY lists, named after the new database so it never collides with the original's files.
import type { SqlDatabaseFile } from '../../shared/sqlServer';

export interface MoveTarget {
  logicalName: string;
  physicalName: string;
}

function isWindowsPath(path: string): boolean {
  return /^[A-Za-z]:/.test(path) || path.startsWith('\\\\') || (path.includes('\\') && !path.includes('/'));
}

function split(path: string): { dir: string; name: string; sep: string } {
  const sep = isWindowsPath(path) ? '\\' : '/';
  const at = Math.max(path.lastIndexOf(sep), sep === '\\' ? path.lastIndexOf('/') : -1);
  return { dir: at >= 0 ? path.slice(0, at) : '', name: path.slice(at + 1), sep };
}

function join(dir: string, name: string, fallbackSep: string): string {
  if (!dir) return name;
  const sep = isWindowsPath(dir) ? '\\' : dir.includes('/') ? '/' : fallbackSep;
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

/** A file-name part from a database or logical name: characters Windows or Linux refuse become "_". */
function fileSafe(text: string): string {
  return text.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_').replace(/[. ]+$/, '') || 'db';
}

/**
 * The first data file becomes <new>.mdf, the first log <new>_log.ldf, every other file <new>_<logical>.<ext>
 * (a FILESTREAM container is a folder: no extension). Directories stay unless dataDirectory/logDirectory say.
 */
export function moveTargets(files: SqlDatabaseFile[], asDatabase: string, dataDirectory?: string, logDirectory?: string): MoveTarget[] {
  const base = fileSafe(asDatabase);
  const used = new Set<string>();
  let firstData = true;
  let firstLog = true;
  return files.map((file) => {
    const { dir, name, sep } = split(file.physicalName);
    const dot = name.lastIndexOf('.');
    const ext = file.type === 'S' || dot <= 0 ? '' : name.slice(dot);
    let stem: string;
    if (file.type === 'D' && firstData) stem = base;
    else if (file.type === 'L' && firstLog) stem = `${base}_log`;
    else stem = `${base}_${fileSafe(file.logicalName)}`;
    if (file.type === 'D') firstData = false;
    if (file.type === 'L') firstLog = false;
    const directory = (file.type === 'L' ? logDirectory : dataDirectory) || dir;
    let candidate = join(directory, stem + ext, sep);
    for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = join(directory, `${stem}_${n}${ext}`, sep);
    used.add(candidate.toLowerCase());
    return { logicalName: file.logicalName, physicalName: candidate };
  });
}
