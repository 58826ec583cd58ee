// The wizard finds the password in a pasted connection URI or string itself, because the core never sends one back.
import { describe, expect, it } from 'vitest';
import { passwordFromConnectionText } from '../../../src/renderer/src/pages/wizard/passwordFromConnectionText';

describe('passwordFromConnectionText', () => {
  it('reads the password of a PostgreSQL URI, percent-decoded', () => {
    expect(passwordFromConnectionText('postgresql://app:s3cr%40t@db1.internal:5432/orders')).toBe('s3cr@t');
    expect(passwordFromConnectionText('postgres://app:plain@db1/orders?sslmode=require')).toBe('plain');
  });

  it('reads ?password= when the user info has none', () => {
    expect(passwordFromConnectionText('postgresql://app@db1/orders?sslmode=require&password=from%20query')).toBe('from query');
  });

  it('finds no password in a URI without one', () => {
    expect(passwordFromConnectionText('postgresql://app@db1.internal:5432/orders')).toBeUndefined();
    expect(passwordFromConnectionText('postgresql://db1/orders')).toBeUndefined();
  });

  it('keeps a URI password that is not valid percent-encoding as typed', () => {
    expect(passwordFromConnectionText('postgresql://app:100%@db1/orders')).toBe('100%');
  });

  it('reads Password= and PWD= from a SQL Server connection string, any case', () => {
    expect(passwordFromConnectionText('Server=sql1,1433;Database=billing;User Id=backup;Password=Pa55word;')).toBe('Pa55word');
    expect(passwordFromConnectionText('server=sql1;uid=backup;pwd=short')).toBe('short');
  });

  it('reads braced and quoted values, with doubled closing characters as literals', () => {
    expect(passwordFromConnectionText('Server=sql1;User Id=sa;Password={a;b}}c};Encrypt=true')).toBe('a;b}c');
    expect(passwordFromConnectionText('Server=sql1;User Id=sa;Password="say ""hi""";')).toBe('say "hi"');
    expect(passwordFromConnectionText("Server=sql1;User Id=sa;Password='it''s';")).toBe("it's");
  });

  it('reads the password of a JDBC SQL Server URL', () => {
    expect(passwordFromConnectionText('jdbc:sqlserver://sql1:1433;databaseName=billing;user=backup;password=jdbcPass')).toBe('jdbcPass');
  });

  it('reads libpq keyword/value pairs, quoted with backslash escapes', () => {
    expect(passwordFromConnectionText('host=db1 user=app password=simple dbname=orders')).toBe('simple');
    expect(passwordFromConnectionText("host=db1 user=app password='s3cr et\\'s' dbname=orders")).toBe("s3cr et's");
  });

  it('finds nothing in text without a password', () => {
    expect(passwordFromConnectionText('Server=sql1;Database=billing;User Id=backup')).toBeUndefined();
    expect(passwordFromConnectionText('host=db1 user=app dbname=orders')).toBeUndefined();
    expect(passwordFromConnectionText('')).toBeUndefined();
  });

  it('ignores surrounding whitespace', () => {
    expect(passwordFromConnectionText('  postgresql://app:pw@db1/orders \n')).toBe('pw');
  });
});
