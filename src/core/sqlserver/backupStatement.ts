// The BACKUP statement Lifeboat sends, and whether the server's edition may compress it. Pure: the job
// decides with the server's SERVERPROPERTY answers and the service's policy.
import type { SqlServerBackupPolicy } from '../../shared/domain';
import type { SqlBackupKind } from '../../shared/sqlServerViews';
import { LifeboatError } from '../lifeboatError';
import { backupFileName } from './backupFileName';
import { quoteName, quoteString } from './tsqlQuote';

/** STATS = n: SQL Server sends "n percent processed." every n percent (message 3211). */
export const BACKUP_STATS_PERCENT = 10;

export interface ServerEdition {
  productVersion: string;
  edition: string;
  /** SERVERPROPERTY('EngineEdition'): 2 Standard/Web, 3 Enterprise/Developer/Evaluation, 4 Express, 5 Azure SQL Database, 8 Managed Instance. */
  engineEdition: number;
}

export interface CompressionSupport {
  allowed: boolean;
  /** Why not, in a sentence for the job's result and the UI. */
  why?: string;
}

/** Backup compression: Enterprise/Developer since 2008, Standard since 2008 R2; never Express or Web. */
export function compressionSupport(server: ServerEdition): CompressionSupport {
  const [major = 0, minor = 0] = server.productVersion.split('.').map((n) => Number.parseInt(n, 10));
  if (server.engineEdition === 4) return { allowed: false, why: `${server.edition} (Express) cannot compress backups, so the backup is written uncompressed.` };
  if (/\bweb\b/i.test(server.edition)) return { allowed: false, why: `${server.edition} cannot compress backups, so the backup is written uncompressed.` };
  if (server.engineEdition === 3 && major >= 10) return { allowed: true };
  if (server.engineEdition === 2 && (major > 10 || (major === 10 && minor >= 50))) return { allowed: true };
  if (server.engineEdition === 2) return { allowed: false, why: `Standard edition compresses backups only from SQL Server 2008 R2 (10.50) on; this server is ${server.productVersion}.` };
  return { allowed: false, why: `Lifeboat does not know whether ${server.edition || 'this edition'} (EngineEdition ${server.engineEdition}) compresses backups, so it does not ask for it.` };
}

/** Refuses editions where BACKUP ... TO DISK cannot work at all. */
export function requireDiskBackups(server: ServerEdition): void {
  if (server.engineEdition === 5)
    throw new LifeboatError('INVALID_INPUT', 'Azure SQL Database does not allow BACKUP DATABASE.', 'Azure keeps its own automated backups of this database; use its point-in-time restore.');
  if (server.engineEdition === 8)
    throw new LifeboatError('INVALID_INPUT', 'Azure SQL Managed Instance takes only COPY_ONLY backups to URL (Azure Blob Storage), not to disk.', 'Use BACKUP ... TO URL with a credential, outside Lifeboat for now.');
}

/** Joins the server-side folder and the file name with the server's separator (Windows paths and shares use \\). */
export function serverPath(directory: string, fileName: string): string {
  const windows = /^[A-Za-z]:/.test(directory) || directory.startsWith('\\\\') || directory.includes('\\');
  const separator = windows ? '\\' : '/';
  return directory.endsWith(separator) ? directory + fileName : directory + separator + fileName;
}

export interface BackupRequest {
  serviceId: string;
  database: string;
  kind: SqlBackupKind;
  copyOnly: boolean;
  policy: SqlServerBackupPolicy | undefined;
  compress: boolean;
  at: Date;
}

export interface BackupStatement {
  sql: string;
  device: string;
  encrypted: boolean;
}

const FILE_KIND = { full: 'FULL', diff: 'DIFF', log: 'LOG' } as const;

export function backupStatement(request: BackupRequest): BackupStatement {
  const directory = request.policy?.backupDirectory;
  if (!directory) {
    throw new LifeboatError(
      'CONFIG_INVALID',
      `Service ${request.serviceId} has no SQL Server backup folder (policy.sqlServer.backupDirectory).`,
      'Set a folder on the database server, or a share the SQL Server service account can write (e.g. \\\\backup01\\sql or /var/opt/mssql/backup): SQL Server writes the file itself.',
    );
  }
  if (request.kind === 'diff' && request.copyOnly) {
    throw new LifeboatError('INVALID_INPUT', 'COPY_ONLY applies to FULL and LOG backups; SQL Server ignores it on a DIFFERENTIAL.', 'Take a copy-only FULL backup instead, or a normal DIFFERENTIAL.');
  }
  const device = serverPath(directory, backupFileName(request.serviceId, request.database, FILE_KIND[request.kind], request.at));
  const options: string[] = [];
  if (request.kind === 'diff') options.push('DIFFERENTIAL');
  options.push('CHECKSUM');
  if (request.compress) options.push('COMPRESSION');
  if (request.copyOnly) options.push('COPY_ONLY');
  const certificate = request.policy?.encryptionCertificate;
  if (certificate) options.push(`ENCRYPTION (ALGORITHM = ${request.policy?.encryptionAlgorithm ?? 'AES_256'}, SERVER CERTIFICATE = ${quoteName(certificate)})`);
  options.push(`STATS = ${BACKUP_STATS_PERCENT}`);
  const verb = request.kind === 'log' ? 'BACKUP LOG' : 'BACKUP DATABASE';
  return { sql: `${verb} ${quoteName(request.database)} TO DISK = ${quoteString(device)} WITH ${options.join(', ')};`, device, encrypted: !!certificate };
}

/** "40 percent processed." -> 40 (message 3211 from STATS = n). */
export function statsPercent(message: string): number | undefined {
  const match = /^\s*(\d{1,3}) percent processed\.?/i.exec(message);
  return match ? Math.min(100, Number(match[1])) : undefined;
}
