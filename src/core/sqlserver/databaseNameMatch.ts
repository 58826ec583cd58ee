// Database names compared as SQL Server compares them: trailing spaces do not count (the shorter name is padded
// with spaces) and, under the default collations (SQL_Latin1_General_CP1_CI_AS, Latin1_General_CI_AS), neither
// does case. msdb can hold "Sales " for a database created as "Sales " (dbatools' own fixtures do).
import type { SqlBackupSet } from '../../shared/sqlServer';

const comparable = (name: string) => name.replace(/ +$/, '').toLowerCase();

export function sameDatabaseName(a: string, b: string): boolean {
  return comparable(a) === comparable(b);
}

/** The sets of one database: the exact name first (a case-sensitive server may hold "Sales" and "sales"), then
 * as SQL Server's default collations compare. */
export function setsOfDatabase(history: SqlBackupSet[], databaseName: string): SqlBackupSet[] {
  const exact = history.filter((s) => s.databaseName === databaseName);
  return exact.length > 0 ? exact : history.filter((s) => sameDatabaseName(s.databaseName, databaseName));
}
