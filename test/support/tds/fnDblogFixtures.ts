// What fn_dump_dblog (log backups) and fn_dblog (the active log) answer for the orders database in the TDS test
// double, rows shaped after the documented output of those functions (Current LSN as VLF:block:slot in hex,
// Transaction ID, Transaction Name, Begin/End Time in the server's local time, Lock Information, AllocUnitName and
// Context): log backup 104 holds two one-row updates and DROP TABLE orders, 105 a TRUNCATE and a 150-row DELETE,
// the active log a 120-row UPDATE. Shared by the find-the-moment integration and end-to-end tests.
import { msdbHistoryRule } from './msdbHistoryFixtures';
import { databaseFactsRule, fileListRule, ORDERS_FILE_LIST, restoreRule, serverFactsRule, type DatabaseFixture } from './sqlServerBackupFixtures';
import { startSqlServerTestCore, type SqlServerTestCore } from './sqlServerTestCore';
import { resultSet, type TdsRule } from './tdsFixtures';
import { startTdsTestDouble, type TdsTestDouble } from './tdsTestDouble';

const COLUMNS = { lsn: 'varchar(30)', operation: 'nvarchar(31)', context: 'nvarchar(31)', xact: 'nvarchar(14)', alloc_unit: 'nvarchar(387)', xact_name: 'nvarchar(33)', begin_time: 'nvarchar(24)', end_time: 'nvarchar(24)', login: 'nvarchar(128)', lock_info: 'nvarchar(256)' };
type Row = [lsn: string, operation: string, context: string, xact: string, allocUnit: string | null, name: string | null, begin: string | null, end: string | null, login: string | null, lock: string | null];

/** A transaction's records: LOP_BEGIN_XACT, what it did, LOP_COMMIT_XACT; LSNs counted from `block` in VLF 0x62. */
function transaction(xact: string, name: string, block: number, begin: string, end: string, login: string, body: Array<[operation: string, context: string, allocUnit: string | null, lock?: string]>): Row[] {
  let slot = 1;
  const lsn = () => `00000062:${block.toString(16).padStart(8, '0')}:${(slot++).toString(16).padStart(4, '0')}`;
  return [
    [lsn(), 'LOP_BEGIN_XACT', 'LCX_NULL', xact, null, name, begin, null, login, null],
    ...body.map(([operation, context, allocUnit, lock]): Row => [lsn(), operation, context, xact, allocUnit, null, null, null, null, lock ?? null]),
    [lsn(), 'LOP_COMMIT_XACT', 'LCX_NULL', xact, null, null, null, end, null, null],
  ];
}
const times = <T,>(n: number, item: T): T[] => Array.from({ length: n }, () => item);

// Log backup 104 (server time UTC+1): two one-row updates of customers, then DROP TABLE orders (object 245575913).
const LOG_104: Row[] = [
  ...transaction('0000:000004d0', 'UPDATE', 0x110, '2026/11/25 00:10:00:000', '2026/11/25 00:10:00:010', 'app', [['LOP_MODIFY_ROW', 'LCX_CLUSTERED', 'dbo.customers.PK_customers']]),
  ...transaction('0000:000004d1', 'UPDATE', 0x120, '2026/11/25 00:20:00:000', '2026/11/25 00:20:00:010', 'app', [['LOP_MODIFY_ROW', 'LCX_CLUSTERED', 'dbo.customers.PK_customers']]),
  ...transaction('0000:000004d2', 'DROPOBJ', 0x130, '2026/11/25 00:30:00:123', '2026/11/25 00:30:00:200', 'CORP\\deployer', [
    ['LOP_LOCK_XACT', 'LCX_NULL', null, 'HoBt 0:ACQUIRE_LOCK_SCH_M OBJECT: 8:245575913:0'],
    ['LOP_DELETE_ROWS', 'LCX_CLUSTERED', 'sys.sysschobjs.clst'],
    ['LOP_DELETE_ROWS', 'LCX_CLUSTERED', 'sys.syscolpars.clst'],
  ]),
];
// Log backup 105: TRUNCATE TABLE audit (still there), then DELETE of 150 customers rows (and their nonclustered index rows).
const LOG_105: Row[] = [
  ...transaction('0000:000004e0', 'TRUNCATE TABLE', 0x170, '2026/11/25 01:20:00:000', '2026/11/25 01:20:00:050', 'CORP\\batch', [['LOP_LOCK_XACT', 'LCX_NULL', null, 'HoBt 0:ACQUIRE_LOCK_SCH_M OBJECT: 8:261575970:0']]),
  ...transaction('0000:000004e1', 'DELETE', 0x180, '2026/11/25 01:40:00:000', '2026/11/25 01:40:00:500', 'app', [
    ...times(150, ['LOP_DELETE_ROWS', 'LCX_CLUSTERED', 'dbo.customers.PK_customers'] as [string, string, string]),
    ...times(150, ['LOP_DELETE_ROWS', 'LCX_INDEX_LEAF', 'dbo.customers.IX_customers_email'] as [string, string, string]),
  ]),
];
// The active log, after the last log backup: an UPDATE of 120 customers rows.
const ACTIVE: Row[] = transaction('0000:000004f0', 'UPDATE', 0x1a0, '2026/11/25 02:30:00:000', '2026/11/25 02:30:01:000', 'app', times(120, ['LOP_MODIFY_ROW', 'LCX_CLUSTERED', 'dbo.customers.PK_customers'] as [string, string, string]));

/** The rules that answer the three reads, and the object name lookup of a table that still exists. */
export function fnDblogRules(): TdsRule[] {
  return [
    {
      name: 'fn_dump_dblog',
      match: /FROM sys\.fn_dump_dblog\(NULL, NULL, N'DISK', 1, N'[^']+', DEFAULT/,
      respond: (sql) => [resultSet(COLUMNS, sql.includes('LOG_20261125T000000Z') ? LOG_104 : sql.includes('LOG_20261125T010000Z') ? LOG_105 : [])],
    },
    { name: 'fn_dblog', match: /FROM sys\.fn_dblog\(NULL, NULL\)/, respond: [resultSet(COLUMNS, ACTIVE)] },
    { name: 'OBJECT_NAME', match: /OBJECT_SCHEMA_NAME\(@id\)/, respond: (_sql, params) => [resultSet({ name: 'nvarchar(257)' }, [[Number(params.id) === 261575970 ? 'dbo.audit' : null]])] },
  ];
}

/**
 * The orders server of both find-the-moment suites: its msdb history (UTC+1), the three log reads, and restores
 * that bring a copy named orders_before_drop ONLINE once a RESTORE ... WITH RECOVERY has run; a test core with
 * the service orders-prod on it.
 */
export async function startFindMomentServer(): Promise<{ double: TdsTestDouble; t: SqlServerTestCore }> {
  const databases: Record<string, DatabaseFixture> = { orders: { recovery: 'FULL' } };
  const double = await startTdsTestDouble({
    logins: [{ user: 'sa', password: 'Str0ng!Passw0rd' }],
    databases: ['orders'],
    rules: [
      ...fnDblogRules(),
      serverFactsRule({ utcOffsetMinutes: 60 }),
      databaseFactsRule(databases),
      msdbHistoryRule(),
      fileListRule(ORDERS_FILE_LIST),
      restoreRule({ onRestore: (sql) => void (/[\s,]RECOVERY\b/.test(sql) && (databases.orders_before_drop = { recovery: 'FULL', state: 'ONLINE' })) }),
    ],
  });
  const t = await startSqlServerTestCore(double, [{ id: 'orders-prod', user: 'sa', password: 'Str0ng!Passw0rd', database: 'orders' }]);
  return { double, t };
}
