import { describe, expect, it } from 'vitest';
import { parseSqlServerConnectionString } from '../../src/core/inventory/sqlServerConnectionString';
import { LifeboatError } from '../../src/core/lifeboatError';

function failure(text: string): LifeboatError {
  try {
    parseSqlServerConnectionString(text);
  } catch (error) {
    expect(error).toBeInstanceOf(LifeboatError);
    return error as LifeboatError;
  }
  throw new Error(`expected "${text}" to be rejected`);
}

describe('SQL Server connection strings', () => {
  it('reads the ADO.NET string a DBA copies from an app config', () => {
    const parsed = parseSqlServerConnectionString(
      'Server=tcp:sql01.example.com,1433;Database=orders;User Id=backup;Password=S3cret!;Encrypt=True;TrustServerCertificate=True',
    );
    expect(parsed).toEqual({
      connection: {
        host: 'sql01.example.com',
        port: 1433,
        database: 'orders',
        user: 'backup',
        tls: 'require',
        password: { kind: 'keychain' },
      },
      password: 'S3cret!',
    });
  });

  it('accepts the synonyms Data Source, Initial Catalog, UID and PWD, in any case and spacing', () => {
    const parsed = parseSqlServerConnectionString('data source = db1 ; INITIAL CATALOG=billing;uid=app;pwd=pw;');
    expect(parsed.connection).toMatchObject({ host: 'db1', port: 1433, database: 'billing', user: 'app' });
    expect(parsed.password).toBe('pw');
  });

  it('reads a named instance from host\\instance, and lets an explicit port win over it', () => {
    expect(parseSqlServerConnectionString('Server=db1\\SQLEXPRESS;Database=d;User Id=u').connection).toMatchObject({
      host: 'db1',
      instance: 'SQLEXPRESS',
      port: 1433,
    });
    const withPort = parseSqlServerConnectionString('Server=db1\\SQLEXPRESS,14330;Database=d;User Id=u').connection;
    expect(withPort).toMatchObject({ host: 'db1', port: 14330 });
    expect(withPort.instance).toBeUndefined();
  });

  it('maps (local), "." and a bracketed IPv6 address to hosts the driver understands', () => {
    expect(parseSqlServerConnectionString('Server=(local);Database=d;User Id=u').connection.host).toBe('localhost');
    expect(parseSqlServerConnectionString('Server=.\\SQL2022;Database=d;User Id=u').connection).toMatchObject({ host: 'localhost', instance: 'SQL2022' });
    expect(parseSqlServerConnectionString('Server=tcp:[::1],1444;Database=d;User Id=u').connection).toMatchObject({ host: '::1', port: 1444 });
  });

  it('keeps quoted values whole: ";" inside quotes, doubled quotes, and ODBC {} braces', () => {
    expect(parseSqlServerConnectionString('Server=db1;Database=d;User Id=u;Password="pa;ss""word"').password).toBe('pa;ss"word');
    expect(parseSqlServerConnectionString("Server=db1;Database=d;User Id=u;Password='it''s;here'").password).toBe("it's;here");
    expect(parseSqlServerConnectionString('Driver={ODBC Driver 18 for SQL Server};Server=db1;Database=d;UID=u;PWD={a;b}}c}').password).toBe('a;b}c');
    expect(parseSqlServerConnectionString('Server=db1;Database=d;User Id=u;Password=  spaced  ').password).toBe('spaced');
  });

  it('maps Encrypt and TrustServerCertificate to TLS modes, encrypting by default like current drivers', () => {
    const tls = (options: string) => parseSqlServerConnectionString(`Server=db1;Database=d;User Id=u;${options}`).connection.tls;
    expect(tls('Encrypt=False')).toBe('disable');
    expect(tls('Encrypt=no;TrustServerCertificate=yes')).toBe('disable');
    expect(tls('Encrypt=Optional')).toBe('disable');
    expect(tls('Encrypt=True;TrustServerCertificate=True')).toBe('require');
    expect(tls('Encrypt=yes')).toBe('verify-full');
    expect(tls('Encrypt=Mandatory;TrustServerCertificate=False')).toBe('verify-full');
    expect(tls('Encrypt=Strict;TrustServerCertificate=True')).toBe('verify-full');
    expect(tls('')).toBe('verify-full');
    expect(tls('TrustServerCertificate=True')).toBe('require');
  });

  it('lets the last of repeated keywords (or synonyms) win, as SqlClient does', () => {
    expect(parseSqlServerConnectionString('Server=a;Data Source=b;Database=d;Initial Catalog=e;User Id=u').connection).toMatchObject({ host: 'b', database: 'e' });
  });

  it('ignores keywords that change nothing for Lifeboat', () => {
    const parsed = parseSqlServerConnectionString(
      'Server=db1;Database=d;User Id=u;Application Name=orders-api;Connect Timeout=30;MultipleActiveResultSets=True;Pooling=false;ApplicationIntent=ReadOnly',
    );
    expect(parsed.connection).toMatchObject({ host: 'db1', database: 'd', user: 'u' });
    expect(parsed.password).toBeUndefined();
  });

  it('rejects what it cannot use, naming the keyword', () => {
    expect(failure('Server=db1;Database=d;User Id=u;Colour=blue')).toMatchObject({ code: 'INVALID_INPUT', message: "'Colour' is not a SQL Server connection string keyword." });
    expect(failure('Server=db1,abc;Database=d;User Id=u').message).toBe("'Server' has an invalid port 'abc'.");
    expect(failure('Data Source=db1,70000;Database=d;User Id=u').message).toBe("'Data Source' has an invalid port '70000'.");
    expect(failure('Server=np:\\\\db1\\pipe\\sql\\query;Database=d;User Id=u').message).toBe("'Server' uses the np: protocol; Lifeboat connects over TCP only.");
    expect(failure('Server=db1;Database=d;User Id=u;Encrypt=maybe').message).toBe("'Encrypt' must be True or False, not 'maybe'.");
    expect(failure('Server=db1;Database=d;Integrated Security=SSPI').message).toBe("'Integrated Security' asks for Windows authentication, which Lifeboat does not use.");
    expect(failure('Server=db1;Database=d;User Id=u;Authentication=ActiveDirectoryPassword').message).toContain("'Authentication=ActiveDirectoryPassword' is not supported");
    expect(failure('Database=d;User Id=u').message).toBe('The connection string names no server.');
    expect(failure('Server=db1;User Id=u').message).toBe('The connection string names no database.');
    expect(failure('Server=db1;Database=d').message).toBe('The connection string names no user.');
    expect(failure('Server=db1;Database=d;User Id=u;Password="open').message).toBe("The value of 'Password' opens with \" but never closes.");
    expect(failure('Server=db 1;Database=d;User Id=u').message).toMatch(/^'Server' is not valid: /);
    expect(failure('   ').message).toBe('The connection string is empty.');
  });

  it('never repeats any part of a password in an error, even one that breaks the string', () => {
    const unquoted = failure('Server=db1;Database=d;User Id=u;Password=hunter;2secret');
    expect(unquoted.message).toBe("The connection string has a part without '=' after 'Password'.");
    const looksLikeKey = failure('Server=db1;Database=d;User Id=u;Password=hunter;2secret=x');
    expect(looksLikeKey.message).toBe("The connection string has an unknown keyword after 'Password'.");
    for (const error of [unquoted, looksLikeKey]) {
      expect(`${error.message} ${error.hint}`).not.toMatch(/hunter|2secret/);
    }
  });
});
