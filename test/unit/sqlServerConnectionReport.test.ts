import { describe, expect, it } from 'vitest';
import type { LoginPrivilegesRow, ServerIdentityRow } from '../../src/core/engines/sqlserver/connectionQueries';
import { sqlServerConnectionReport } from '../../src/core/engines/sqlserver/sqlServerConnectionReport';
import { driverTls, sqlServerPoolConfig } from '../../src/core/engines/sqlserver/sqlServerPoolConfig';
import { connectionSchema } from '../../src/shared/domain';

const identity: ServerIdentityRow = {
  product_version: '15.0.4375.4',
  edition: 'Standard Edition (64-bit)',
  engine_edition: 2,
  version_banner: 'Microsoft SQL Server 2019 (RTM-CU27) (KB5040948) - 15.0.4375.4 (X64) \n\tJul 2 2024 ...\n',
};
const privileges: LoginPrivilegesRow = {
  login_name: 'backup',
  database_name: 'orders',
  is_sysadmin: 0,
  is_db_owner: 0,
  is_db_backupoperator: 0,
  can_backup_database: 0,
  can_select: 1,
};
const facts = { identity, privileges, user: 'backup', database: 'orders', tls: 'verify-full' as const, latencyMs: 3, testedAt: '2024-07-01T10:00:00.000Z' };

describe('SQL Server connection report', () => {
  it('reads the major version from ProductVersion and trims the banner', () => {
    const report = sqlServerConnectionReport(facts);
    expect(report).toMatchObject({ serverVersion: '15.0.4375.4', majorVersion: 15, edition: 'Standard Edition (64-bit)', warnings: [] });
    expect(report.versionString.endsWith('...')).toBe(true);
  });

  it('accepts a direct GRANT BACKUP DATABASE, and says unknown when SQL Server cannot tell', () => {
    const granted = sqlServerConnectionReport({ ...facts, privileges: { ...privileges, can_backup_database: 1 } });
    expect(granted.privileges.physicalBackup).toEqual({ state: 'ok', detail: 'login backup has BACKUP DATABASE on orders (granted directly)' });
    const unsure = sqlServerConnectionReport({ ...facts, privileges: { ...privileges, is_db_backupoperator: null, can_select: null } });
    expect(unsure.privileges.physicalBackup.state).toBe('unknown');
    expect(unsure.privileges.logicalBackup.state).toBe('unknown');
  });

  it.each([
    [4, 'Express edition cannot compress backups'],
    [5, 'Azure SQL Database does not allow BACKUP DATABASE'],
    [8, 'only COPY_ONLY backups to URL'],
  ])('warns about what engine edition %i cannot do', (engineEdition, warning) => {
    const report = sqlServerConnectionReport({ ...facts, identity: { ...identity, engine_edition: engineEdition } });
    expect(report.warnings).toEqual([expect.stringContaining(warning)]);
  });

  it('warns that disable and prefer leave the connection unencrypted', () => {
    for (const tls of ['disable', 'prefer'] as const) {
      expect(sqlServerConnectionReport({ ...facts, tls }).warnings).toEqual([expect.stringContaining(`TLS mode '${tls}' leaves this SQL Server connection unencrypted`)]);
    }
  });
});

describe('SQL Server driver settings', () => {
  it('maps TLS modes to encrypt and trustServerCertificate', () => {
    expect(driverTls('disable')).toEqual({ encrypt: false, trustServerCertificate: false });
    expect(driverTls('prefer')).toEqual({ encrypt: false, trustServerCertificate: false });
    expect(driverTls('require')).toEqual({ encrypt: true, trustServerCertificate: true });
    expect(driverTls('verify-ca')).toEqual({ encrypt: true, trustServerCertificate: false });
    expect(driverTls('verify-full')).toEqual({ encrypt: true, trustServerCertificate: false });
  });

  it('asks SQL Server Browser for a named instance instead of using the port, with one connection at most', () => {
    const connection = connectionSchema.parse({ host: 'sql01', port: 1433, instance: 'SQLEXPRESS', database: 'orders', user: 'backup', tls: 'require' });
    const config = sqlServerPoolConfig(connection, { password: 'pw', timeoutMs: 5000 });
    expect(config).toMatchObject({
      server: 'sql01',
      port: undefined,
      database: 'orders',
      user: 'backup',
      connectionTimeout: 5000,
      requestTimeout: 5000,
      pool: { max: 1, min: 0 },
      options: { instanceName: 'SQLEXPRESS', encrypt: true, trustServerCertificate: true, appName: 'Lifeboat' },
    });
  });
});
