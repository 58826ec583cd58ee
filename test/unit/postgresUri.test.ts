// A DBA pastes the URI an application uses; Lifeboat must read it as libpq would, and say what is wrong
// without ever echoing the password.
import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../../src/core/lifeboatError';
import { parsePostgresUri } from '../../src/core/inventory/postgresUri';

function failure(uri: string): LifeboatError {
  try {
    parsePostgresUri(uri);
  } catch (err) {
    if (err instanceof LifeboatError) return err;
    throw err;
  }
  throw new Error(`${uri} parsed without error`);
}

describe('parsePostgresUri', () => {
  it('reads user, password, host, port, database and sslmode', () => {
    expect(parsePostgresUri('postgres://orders_app:s3cret@db1.example.com:5433/orders?sslmode=require')).toEqual({
      connection: {
        host: 'db1.example.com',
        port: 5433,
        database: 'orders',
        user: 'orders_app',
        tls: 'require',
        password: { kind: 'keychain' },
      },
      password: 's3cret',
    });
  });

  it('accepts the postgresql:// scheme in any case and surrounding blanks', () => {
    expect(parsePostgresUri('  PostgreSQL://app@db/billing \n').connection).toMatchObject({ host: 'db', user: 'app', database: 'billing' });
  });

  it('defaults to port 5432, the database named after the user and TLS mode prefer, like libpq', () => {
    const { connection, password } = parsePostgresUri('postgres://reporting@10.0.0.7');
    expect(connection).toMatchObject({ host: '10.0.0.7', port: 5432, database: 'reporting', user: 'reporting', tls: 'prefer' });
    expect(password).toBeUndefined();
  });

  it('treats an empty password like no password', () => {
    expect(parsePostgresUri('postgres://app:@db/x').password).toBeUndefined();
  });

  it('percent-decodes user, password and database', () => {
    const parsed = parsePostgresUri('postgres://backup%40corp:p%40ss%3Aw%2Ford%25@db/my%20db');
    expect(parsed.connection.user).toBe('backup@corp');
    expect(parsed.password).toBe('p@ss:w/ord%');
    expect(parsed.connection.database).toBe('my db');
  });

  it('keeps an unencoded "@" in the password, splitting at the last "@"', () => {
    const parsed = parsePostgresUri('postgres://app:p@ss@db:6432/x');
    expect(parsed.password).toBe('p@ss');
    expect(parsed.connection).toMatchObject({ host: 'db', port: 6432, user: 'app' });
  });

  it('reads IPv6 addresses in brackets, with and without a port', () => {
    expect(parsePostgresUri('postgres://app@[::1]:5433/x').connection).toMatchObject({ host: '::1', port: 5433 });
    expect(parsePostgresUri('postgres://app@[2001:db8::10]/x').connection).toMatchObject({ host: '2001:db8::10', port: 5432 });
  });

  it('maps every sslmode onto a TLS mode, "allow" as "prefer"', () => {
    const modes = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'].map(
      (mode) => parsePostgresUri(`postgres://a@h/d?sslmode=${mode}`).connection.tls,
    );
    expect(modes).toEqual(['disable', 'prefer', 'prefer', 'require', 'verify-ca', 'verify-full']);
  });

  it('lets query parameters name host, port, user, password and dbname, winning over the URI parts', () => {
    const parsed = parsePostgresUri('postgresql://ignored@old-host:1/olddb?host=new-host&port=6000&user=app&password=x%26y&dbname=sales&application_name=psql');
    expect(parsed.connection).toMatchObject({ host: 'new-host', port: 6000, user: 'app', database: 'sales' });
    expect(parsed.password).toBe('x&y');
  });

  it.each([
    ['mysql://app@db/x', /starts with postgres:\/\/ or postgresql:\/\//],
    ['postgres://app@db:port/x', /port "port" is not a number from 1 to 65535/],
    ['postgres://app@db:0/x', /port "0"/],
    ['postgres://app@db:70000/x', /port "70000"/],
    ['postgres://app@db/x?sslmode=always', /sslmode "always" is not one of/],
    ['postgres://app@db/x?sslrootcert=/tmp/ca.pem', /query parameter "sslrootcert" is not supported/],
    ['postgres://app@db/x?sslmode', /query parameter "sslmode" has no value/],
    ['postgres://app@db1:5432,db2:5432/x', /several hosts/],
    ['postgres://app@::1/x', /IPv6 address must be written in brackets/],
    ['postgres://app@[::1/x', /missing its closing "\]"/],
    ['postgres://app@[db.example.com]/x', /is not an IPv6 address/],
    ['postgres:///x', /names no host/],
    ['postgres://db.example.com/x', /names no user/],
    ['postgres://app@db/x?host=/var/run/postgresql', /Unix socket directories are not supported/],
    ['postgres://app@db/%zz', /The database name has a malformed percent-escape/],
    ['postgres://app@db%20x/d', /host in the URI is not valid/],
  ])('refuses %s, naming the problem', (uri, expected) => {
    const err = failure(uri);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(expected);
    expect(err.hint).toMatch(/postgres:\/\/user:password@host:port\/database/);
  });

  it('never repeats the password in an error', () => {
    const cases = [
      'postgres://app:Hunter2%zz@db/x',
      'postgres://app:Hunter2@db:99999/x',
      'postgres://app:Hunter2@db/x?password=Hunter2%&sslmode=bogus',
      'postgres://app:Hunter2@db/x?password=Hunter2&sslmode=bogus',
      'postgres://app:Hunter2@/x',
    ];
    for (const uri of cases) {
      const err = failure(uri);
      expect(err.code).toBe('INVALID_INPUT');
      expect(`${err.message} ${err.hint}`).not.toContain('Hunter2');
    }
  });
});
