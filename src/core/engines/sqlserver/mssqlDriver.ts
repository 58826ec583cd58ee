// The SQL Server driver (mssql on tedious), loaded the first time a SQL Server connection is made, so that
// the commands and doors that never talk to SQL Server do not pay for loading it.
import type * as Mssql from 'mssql';

export type MssqlDriver = typeof Mssql;

let driver: Promise<MssqlDriver> | undefined;

/** The mssql module (its CommonJS exports); one import shared by every caller. */
export function loadMssql(): Promise<MssqlDriver> {
  driver ??= import('mssql').then((m) => m.default);
  return driver;
}
