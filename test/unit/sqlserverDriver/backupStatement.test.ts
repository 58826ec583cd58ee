// The BACKUP statement and the edition rules behind it, as plain data.
import { describe, expect, it } from 'vitest';
import { backupStatement, compressionSupport, serverPath, statsPercent } from '../../../src/core/sqlserver/backupStatement';
import { LifeboatError } from '../../../src/core/lifeboatError';

const at = new Date('2026-11-25T13:05:09.123Z');

describe('backup compression by edition', () => {
  it.each([
    [{ productVersion: '16.0.4135.4', edition: 'Enterprise Edition (64-bit)', engineEdition: 3 }, true],
    [{ productVersion: '16.0.4135.4', edition: 'Developer Edition (64-bit)', engineEdition: 3 }, true],
    [{ productVersion: '10.50.6000.34', edition: 'Standard Edition (64-bit)', engineEdition: 2 }, true],
    [{ productVersion: '10.0.6000.29', edition: 'Standard Edition (64-bit)', engineEdition: 2 }, false],
    [{ productVersion: '15.0.2000.5', edition: 'Web Edition (64-bit)', engineEdition: 2 }, false],
    [{ productVersion: '15.0.2000.5', edition: 'Express Edition (64-bit)', engineEdition: 4 }, false],
  ])('%o compresses: %s', (server, allowed) => {
    const support = compressionSupport(server);
    expect(support.allowed).toBe(allowed);
    if (!allowed) expect(support.why).toBeTruthy();
  });
});

describe('the BACKUP statement', () => {
  const policy = { backupDirectory: '\\\\backup01\\sql\\' };

  it('writes a FULL to a share with CHECKSUM, COMPRESSION and STATS, escaping the name', () => {
    const s = backupStatement({ serviceId: 'orders-prod', database: "o'rd]ers", kind: 'full', copyOnly: false, policy, compress: true, at });
    expect(s.device).toBe("\\\\backup01\\sql\\orders-prod_o-rd-ers_FULL_20261125T130509Z.bak");
    expect(s.sql).toBe("BACKUP DATABASE [o'rd]]ers] TO DISK = N'\\\\backup01\\sql\\orders-prod_o-rd-ers_FULL_20261125T130509Z.bak' WITH CHECKSUM, COMPRESSION, STATS = 10;");
  });

  it('writes a copy-only LOG backup as .trn, uncompressed when the edition cannot', () => {
    const s = backupStatement({ serviceId: 'svc', database: 'db', kind: 'log', copyOnly: true, policy: { backupDirectory: '/var/opt/mssql/backup' }, compress: false, at });
    expect(s.sql).toBe("BACKUP LOG [db] TO DISK = N'/var/opt/mssql/backup/svc_db_LOG_20261125T130509Z.trn' WITH CHECKSUM, COPY_ONLY, STATS = 10;");
  });

  it('encrypts with the server certificate the policy names (AES_256 by default)', () => {
    const s = backupStatement({ serviceId: 'svc', database: 'db', kind: 'diff', copyOnly: false, policy: { backupDirectory: 'E:\\b', encryptionCertificate: 'BackupCert' }, compress: true, at });
    expect(s.sql).toBe("BACKUP DATABASE [db] TO DISK = N'E:\\b\\svc_db_DIFF_20261125T130509Z.bak' WITH DIFFERENTIAL, CHECKSUM, COMPRESSION, ENCRYPTION (ALGORITHM = AES_256, SERVER CERTIFICATE = [BackupCert]), STATS = 10;");
    expect(s.encrypted).toBe(true);
  });

  it('needs a backup folder, and refuses COPY_ONLY on a differential', () => {
    expect(() => backupStatement({ serviceId: 's', database: 'd', kind: 'full', copyOnly: false, policy: {}, compress: true, at })).toThrow(LifeboatError);
    expect(() => backupStatement({ serviceId: 's', database: 'd', kind: 'diff', copyOnly: true, policy, compress: true, at })).toThrow(/COPY_ONLY/);
  });
});

describe('helpers', () => {
  it('joins server paths with the separator of the server', () => {
    expect(serverPath('D:\\Backups', 'a.bak')).toBe('D:\\Backups\\a.bak');
    expect(serverPath('/var/opt/mssql/backup/', 'a.bak')).toBe('/var/opt/mssql/backup/a.bak');
  });

  it("reads STATS messages and ignores the others", () => {
    expect(statsPercent('10 percent processed.')).toBe(10);
    expect(statsPercent('100 percent processed.')).toBe(100);
    expect(statsPercent("Processed 360 pages for database 'orders'")).toBeUndefined();
  });
});
