// The file names of backups Lifeboat takes: <service>_<database>_<FULL|DIFF|LOG>_<yyyyMMddTHHmmssZ>.<bak|trn>,
// in UTC so names sort by time on any server and never repeat an hour at a DST change.
import { LifeboatError } from '../lifeboatError';

export type BackupFileKind = 'FULL' | 'DIFF' | 'LOG';

export interface ParsedBackupFileName {
  service: string;
  database: string;
  kind: BackupFileKind;
  /** ISO UTC time, seconds precision. */
  at: string;
}

/**
 * A name part safe on Windows and Linux and unambiguous to parse: "_" separates the parts, so it and every
 * character outside letters, digits, "-" and "." become "-".
 */
export function fileNamePart(text: string): string {
  const safe = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 80);
  if (!safe) throw new LifeboatError('INVALID_INPUT', `"${text}" leaves nothing for a file name once sanitised.`, 'Use a service id and database name with some letters or digits.');
  return safe;
}

function stamp(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new LifeboatError('INVALID_INPUT', 'The backup time is not a valid date.', 'Pass the time the backup starts.');
  return at.toISOString().slice(0, 19).replace(/[-:]/g, '') + 'Z';
}

export function backupFileName(serviceId: string, database: string, kind: BackupFileKind, at: Date): string {
  return `${fileNamePart(serviceId)}_${fileNamePart(database)}_${kind}_${stamp(at)}.${kind === 'LOG' ? 'trn' : 'bak'}`;
}

const PATTERN = /^([A-Za-z0-9.-]+)_([A-Za-z0-9.-]+)_(FULL|DIFF|LOG)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.(bak|trn)$/;

/** The parts of a name backupFileName wrote (a path is fine: only its last segment is read), or null. */
export function parseBackupFileName(nameOrPath: string): ParsedBackupFileName | null {
  const name = nameOrPath.slice(Math.max(nameOrPath.lastIndexOf('/'), nameOrPath.lastIndexOf('\\')) + 1);
  const m = PATTERN.exec(name);
  if (!m) return null;
  const kind = m[3] as BackupFileKind;
  if ((kind === 'LOG') !== (m[10] === 'trn')) return null;
  const at = `${m[4]}-${m[5]}-${m[6]}T${m[7]}:${m[8]}:${m[9]}Z`;
  if (Number.isNaN(Date.parse(at))) return null;
  return { service: m[1]!, database: m[2]!, kind, at: new Date(at).toISOString().slice(0, 19) + 'Z' };
}
