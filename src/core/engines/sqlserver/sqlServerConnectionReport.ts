// What a SQL Server connection test concludes from the server's answers: version, edition, and whether
// the login can take physical (BACKUP DATABASE) and logical (read the data) backups. Pure, for plain tests.
import type { ConnectionReport, PrivilegeCheck, TlsMode } from '../../../shared/domain';
import type { LoginPrivilegesRow, ServerIdentityRow } from './connectionQueries';
import { requiresEncryption } from './sqlServerPoolConfig';

export interface ConnectionFacts {
  identity: ServerIdentityRow;
  privileges: LoginPrivilegesRow;
  /** The login Lifeboat connected as, when the server does not say (SUSER_SNAME() returned NULL). */
  user: string;
  database: string;
  tls: TlsMode;
  latencyMs: number;
  testedAt: string;
}

export function sqlServerConnectionReport(facts: ConnectionFacts): ConnectionReport {
  const { identity, privileges } = facts;
  const serverVersion = identity.product_version ?? '';
  const major = Number.parseInt(serverVersion.split('.')[0] ?? '', 10);
  const login = privileges.login_name ?? facts.user;
  const database = privileges.database_name ?? facts.database;
  const warnings: string[] = [];

  if (!requiresEncryption(facts.tls)) {
    warnings.push(
      `TLS mode '${facts.tls}' leaves this SQL Server connection unencrypted: the login and the data cross the network in clear. Use 'verify-full', or 'require' to encrypt without checking the certificate.`,
    );
  }
  switch (identity.engine_edition) {
    case 4:
      warnings.push('Express edition cannot compress backups: BACKUP ... WITH COMPRESSION fails there.');
      break;
    case 5:
      warnings.push('Azure SQL Database does not allow BACKUP DATABASE: Azure keeps its own backups; Lifeboat can only make logical copies.');
      break;
    case 8:
      warnings.push('Azure SQL Managed Instance takes only COPY_ONLY backups to URL (Azure Blob Storage), not to disk.');
      break;
    default:
      break;
  }
  if (!Number.isFinite(major)) warnings.push(`The server reported an unreadable version ('${serverVersion}').`);

  return {
    engine: 'sqlserver',
    serverVersion,
    majorVersion: Number.isFinite(major) ? major : 0,
    versionString: (identity.version_banner ?? '').trim(),
    edition: identity.edition ?? undefined,
    currentUser: login,
    privileges: {
      physicalBackup: physicalBackupCheck(privileges, login, database),
      logicalBackup: logicalBackupCheck(privileges, login, database),
    },
    warnings,
    latencyMs: facts.latencyMs,
    testedAt: facts.testedAt,
  };
}

function physicalBackupCheck(p: LoginPrivilegesRow, login: string, database: string): PrivilegeCheck {
  if (p.is_sysadmin === 1) return { state: 'ok', detail: `login ${login} is sysadmin` };
  if (p.is_db_owner === 1) return { state: 'ok', detail: `login ${login} is db_owner of ${database}` };
  if (p.is_db_backupoperator === 1) return { state: 'ok', detail: `login ${login} is db_backupoperator in ${database}` };
  if (p.can_backup_database === 1) return { state: 'ok', detail: `login ${login} has BACKUP DATABASE on ${database} (granted directly)` };
  const checks = [p.is_sysadmin, p.is_db_owner, p.is_db_backupoperator, p.can_backup_database];
  if (checks.some((value) => value === null)) {
    return { state: 'unknown', detail: `SQL Server could not say whether login ${login} may back up ${database}` };
  }
  return {
    state: 'missing',
    detail: `login ${login} is neither sysadmin nor db_owner or db_backupoperator in ${database}, so BACKUP DATABASE will fail; fix: USE [${database}]; ALTER ROLE db_backupoperator ADD MEMBER [${login}];`,
  };
}

function logicalBackupCheck(p: LoginPrivilegesRow, login: string, database: string): PrivilegeCheck {
  if (p.can_select === 1) return { state: 'ok', detail: `login ${login} can read ${database}` };
  if (p.can_select === null) return { state: 'unknown', detail: `SQL Server could not say whether login ${login} may read ${database}` };
  return {
    state: 'missing',
    detail: `login ${login} cannot SELECT in ${database}; fix: USE [${database}]; ALTER ROLE db_datareader ADD MEMBER [${login}];`,
  };
}
