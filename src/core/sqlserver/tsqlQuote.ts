// Quoting for generated T-SQL: identifiers by QUOTENAME's rules, strings as N'' literals.
import { LifeboatError } from '../lifeboatError';

/** [name] with every ] doubled, as QUOTENAME does; sysname is at most 128 characters. */
export function quoteName(name: string): string {
  if (name.length === 0 || name.length > 128) {
    throw new LifeboatError('INVALID_INPUT', `"${name}" cannot be a SQL Server name (1 to 128 characters).`, 'Choose a database name of at most 128 characters.');
  }
  return `[${name.replace(/]/g, ']]')}]`;
}

/** N'text' with every ' doubled: Unicode so paths and names outside the server's code page survive. */
export function quoteString(text: string): string {
  return `N'${text.replace(/'/g, "''")}'`;
}
