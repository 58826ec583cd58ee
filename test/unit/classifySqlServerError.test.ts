import mssql from 'mssql';
import { describe, expect, it } from 'vitest';
import { classifySqlServerError, type SqlServerErrorContext } from '../../src/core/engines/sqlserver/classifySqlServerError';
import { LifeboatError } from '../../src/core/lifeboatError';

const connection = { host: 'sql01', port: 1433, database: 'orders', user: 'backup', tls: 'verify-full' } as const;
const context = (extra: Partial<SqlServerErrorContext> = {}): SqlServerErrorContext => ({ connection, ...extra });

/** What tedious throws: an Error with a code, sometimes a cause; mssql wraps it keeping originalError. */
function driverError(message: string, code: string, cause?: Error): Error {
  return Object.assign(new Error(message, cause ? { cause } : undefined), { code });
}
function systemError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}
function connectionError(inner: Error): mssql.ConnectionError {
  return new mssql.ConnectionError(inner);
}
function serverError(number: number, message: string, preceding: Error[] = []): Error {
  return Object.assign(new mssql.RequestError(message, 'EREQUEST'), { number, state: 1, class: 14, precedingErrors: preceding });
}
const loginMessage = (number: number, message: string) => ({ number, state: 1, class: 14, message });

describe('classifying SQL Server driver errors', () => {
  it('AUTH_FAILED for 18456, with what the error log states mean', () => {
    const error = connectionError(driverError("Login failed for user 'backup'.", 'ELOGIN'));
    const result = classifySqlServerError(error, context({ serverMessages: [loginMessage(18456, "Login failed for user 'backup'.")] }));
    expect(result).toMatchObject({ code: 'AUTH_FAILED', message: "SQL Server at sql01:1433 rejected the login 'backup' (error 18456)." });
    expect(result.hint).toContain('8 wrong password, 5 unknown login, 58 SQL logins not allowed');
  });

  it.each([
    [18470, 'is disabled', 'ALTER LOGIN [backup] ENABLE;'],
    [18486, 'is locked out', 'UNLOCK'],
    [18487, 'has expired', 'ALTER LOGIN [backup] WITH PASSWORD'],
    [18452, 'accepts only Windows logins', 'SQL Server and Windows Authentication mode'],
  ])('AUTH_FAILED for %i says what happened and the statement that fixes it', (number, said, fix) => {
    const result = classifySqlServerError(connectionError(driverError('Login failed.', 'ELOGIN')), context({ serverMessages: [loginMessage(number, 'x')] }));
    expect(result.code).toBe('AUTH_FAILED');
    expect(result.message).toContain(said);
    expect(result.hint).toContain(fix);
  });

  it('AUTH_FAILED for a login error whose number was not seen', () => {
    expect(classifySqlServerError(connectionError(driverError('Login failed.', 'ELOGIN')), context()).code).toBe('AUTH_FAILED');
  });

  it('for 4060 without the database state, NOT_FOUND covering both causes', () => {
    const result = classifySqlServerError(connectionError(driverError("Login failed for user 'backup'.", 'ELOGIN')), context({
      serverMessages: [loginMessage(4060, 'Cannot open database "orders" requested by the login. The login failed.'), loginMessage(18456, 'Login failed')],
    }));
    expect(result.code).toBe('NOT_FOUND');
    expect(result.message).toBe("Cannot open database 'orders' on sql01:1433: it does not exist, is not online, or login 'backup' has no user in it.");
    expect(result.hint).toContain('CREATE USER [backup] FOR LOGIN [backup]');
  });

  it.each([916, 229, 262])('PERMISSION_DENIED for error %i, quoting the server and naming the roles to grant', (number) => {
    const text = 'The SELECT permission was denied on the object \'backupset\', database \'msdb\', schema \'dbo\'.';
    const result = classifySqlServerError(serverError(number, text), context());
    expect(result.code).toBe('PERMISSION_DENIED');
    expect(result.message).toBe(`SQL Server at sql01:1433 refused: ${text} (error ${number})`);
    expect(result.hint).toContain('ALTER ROLE db_backupoperator ADD MEMBER [backup]');
  });

  it('finds the server error among preceding errors too', () => {
    const error = serverError(3013, 'BACKUP DATABASE is terminating abnormally.', [serverError(262, 'BACKUP DATABASE permission denied in database \'orders\'.')]);
    expect(classifySqlServerError(error, context()).code).toBe('PERMISSION_DENIED');
  });

  it('UNREACHABLE for a refused connection, with what to check on the server', () => {
    const error = connectionError(driverError('Failed to connect to sql01:1433 - connect ECONNREFUSED 10.0.0.5:1433', 'ESOCKET', systemError('connect ECONNREFUSED 10.0.0.5:1433', 'ECONNREFUSED')));
    const result = classifySqlServerError(error, context());
    expect(result).toMatchObject({ code: 'UNREACHABLE', message: 'Cannot reach SQL Server at sql01:1433 (connection refused).' });
    expect(result.hint).toContain('TCP/IP is enabled for the instance in SQL Server Configuration Manager');
    expect(result.hint).toContain('firewall allows 1433/tcp');
  });

  it('UNREACHABLE for an unknown host name, saying it is DNS', () => {
    const error = connectionError(driverError('Failed to connect to sqll01:1433 - getaddrinfo ENOTFOUND sqll01', 'ESOCKET', systemError('getaddrinfo ENOTFOUND sqll01', 'ENOTFOUND')));
    expect(classifySqlServerError(error, context())).toMatchObject({ code: 'UNREACHABLE', message: "The host name 'sql01' was not found (DNS)." });
  });

  it('UNREACHABLE for a named instance SQL Server Browser did not resolve', () => {
    const error = connectionError(driverError('Failed to get response from SQL Server Browser on sql01', 'EINSTLOOKUP'));
    const result = classifySqlServerError(error, context({ connection: { ...connection, instance: 'SQLEXPRESS' } }));
    expect(result.code).toBe('UNREACHABLE');
    expect(result.message).toBe("Could not learn the port of instance 'SQLEXPRESS' on sql01: SQL Server Browser did not answer.");
    expect(result.hint).toContain('UDP 1434');
  });

  it('TIMEOUT when the server does not answer in time', () => {
    const error = connectionError(driverError('Failed to connect to sql01:1433 in 10000ms', 'ETIMEOUT'));
    expect(classifySqlServerError(error, context({ timeoutMs: 10_000 }))).toMatchObject({ code: 'TIMEOUT', message: 'SQL Server at sql01:1433 did not answer within 10 s.' });
  });

  it('TLS for an untrusted certificate, with advice that depends on the TLS mode', () => {
    const inner = driverError('Failed to connect to sql01:1433 - self-signed certificate', 'ESOCKET', systemError('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'));
    const strict = classifySqlServerError(connectionError(inner), context());
    expect(strict).toMatchObject({ code: 'TLS', message: 'The encrypted connection to sql01:1433 failed: Failed to connect to sql01:1433 - self-signed certificate' });
    expect(strict.hint).toContain("issued for 'sql01'");
    expect(strict.hint).toContain("'require' encrypts without checking the certificate");
    const lenient = classifySqlServerError(connectionError(inner), context({ connection: { ...connection, tls: 'require' } }));
    expect(lenient.hint).toContain('SQL Server Configuration Manager');
  });

  it('TLS when the server insists on encryption the TLS mode turns off', () => {
    const error = connectionError(driverError("Server requires encryption, set 'encrypt' config option to true.", 'EENCRYPT'));
    const result = classifySqlServerError(error, context({ connection: { ...connection, tls: 'disable' } }));
    expect(result).toMatchObject({ code: 'TLS', message: "SQL Server at sql01:1433 requires encryption, and the TLS mode 'disable' turns it off." });
  });

  it('passes through a LifeboatError raised inside the driver (the encryption guard)', () => {
    const guard = new LifeboatError('TLS', 'will not encrypt', 'check the address');
    expect(classifySqlServerError(connectionError(guard), context())).toBe(guard);
  });

  it('CANCELLED once the caller gave up, whatever the driver said after', () => {
    expect(classifySqlServerError(new mssql.RequestError('Canceled.', 'ECANCEL'), context()).code).toBe('CANCELLED');
    const guard = new LifeboatError('INTERNAL', 'no row', 'bug');
    expect(classifySqlServerError(guard, context({ cancelled: true })).code).toBe('CANCELLED');
  });

  it('INTERNAL for anything else, with the password scrubbed from the driver text', () => {
    const result = classifySqlServerError(new Error('weird failure near Tr0ub4dor&3'), context({ password: 'Tr0ub4dor&3' }));
    expect(result).toMatchObject({ code: 'INTERNAL', message: 'SQL Server at sql01:1433: weird failure near ***' });
  });
});
