// Fixture rules that make the TDS test double answer like a SQL Server taking and restoring backups: the
// server's edition and clock, sys.databases, BACKUP/RESTORE with STATS progress, RESTORE FILELISTONLY, DBCC
// CHECKDB and DROP DATABASE. Messages are SQL Server's documented texts and numbers (3211 progress, 3014
// success, 4035 pages, 262 permission, 4208 SIMPLE recovery, 3013 terminating abnormally).
import { info, resultSet, sqlError, statsProgress, type TdsRule, type TdsStep } from './tdsFixtures';

export interface DoubleEdition {
  product_version: string;
  edition: string;
  engine_edition: number;
}

export const DEVELOPER_2022: DoubleEdition = { product_version: '16.0.4135.4', edition: 'Developer Edition (64-bit)', engine_edition: 3 };
export const EXPRESS_2019: DoubleEdition = { product_version: '15.0.2000.5', edition: 'Express Edition (64-bit)', engine_edition: 4 };
export const STANDARD_2008: DoubleEdition = { product_version: '10.0.6000.29', edition: 'Standard Edition (64-bit)', engine_edition: 2 };

export interface ServerFactsFixture {
  edition?: DoubleEdition;
  utcOffsetMinutes?: number;
  dataPath?: string;
  logPath?: string;
}

/** SERVERPROPERTY(...) and the server's UTC offset, as SERVER_FACTS_QUERY selects them. */
export function serverFactsRule(facts: ServerFactsFixture = {}): TdsRule {
  const e = facts.edition ?? DEVELOPER_2022;
  return {
    name: 'server facts',
    match: /SERVERPROPERTY\('InstanceDefaultDataPath'\)/,
    respond: [
      resultSet(
        { product_version: 'nvarchar(128)', edition: 'nvarchar(128)', engine_edition: 'int', utc_offset_minutes: 'int', default_data_path: 'nvarchar(512)', default_log_path: 'nvarchar(512)' },
        [[e.product_version, e.edition, e.engine_edition, facts.utcOffsetMinutes ?? 60, facts.dataPath ?? 'D:\\MSSQL\\Data\\', facts.logPath ?? 'L:\\MSSQL\\Log\\']],
      ),
    ],
  };
}

export interface DatabaseFixture {
  recovery?: 'FULL' | 'SIMPLE' | 'BULK_LOGGED';
  state?: string;
}

/** sys.databases by @name: recovery model and state; a name not listed does not exist. The map may change
 * during a test (a restore creates a database). */
export function databaseFactsRule(databases: Record<string, DatabaseFixture>): TdsRule {
  return {
    name: 'database facts',
    match: /recovery_model_desc, state_desc FROM sys\.databases WHERE name = @name/,
    respond: (_sql, params) => {
      const name = String(params.name);
      const db = Object.entries(databases).find(([n]) => n.toLowerCase() === name.toLowerCase());
      return [
        resultSet(
          { name: 'nvarchar(128)', recovery_model_desc: 'nvarchar(60)', state_desc: 'nvarchar(60)' },
          db ? [[db[0], db[1].recovery ?? 'FULL', db[1].state ?? 'ONLINE']] : [],
        ),
      ];
    },
  };
}

/** What a successful BACKUP sends: STATS progress, pages per file, the summary line. */
export function backupSuccess(options: { intervalMs?: number; verb?: 'DATABASE' | 'LOG' } = {}): TdsStep[] {
  const verb = options.verb ?? 'DATABASE';
  return [
    ...statsProgress({ every: 10, intervalMs: options.intervalMs }),
    info("Processed 360 pages for database 'orders', file 'orders' on file 1.", { number: 4035, class: 0 }),
    info(`BACKUP ${verb} successfully processed 362 pages in 0.051 seconds (55.399 MB/sec).`, { number: 3014, class: 0 }),
  ];
}

/** BACKUP answered per login: `deniedTo` logins get 262 + 3013, others succeed. */
export function backupRule(options: { deniedTo?: string[]; intervalMs?: number } = {}): TdsRule {
  return {
    name: 'BACKUP',
    match: /^BACKUP (DATABASE|LOG) /,
    respond: (sql, _params, request) => {
      const verb = sql.startsWith('BACKUP LOG') ? 'LOG' : 'DATABASE';
      const db = /^BACKUP \w+ \[((?:[^\]]|\]\])+)\]/.exec(sql)?.[1] ?? 'orders';
      if (options.deniedTo?.includes(request.user)) {
        return [
          sqlError(262, `BACKUP ${verb} permission denied in database '${db}'.`, { class: 14 }),
          sqlError(3013, `BACKUP ${verb} is terminating abnormally.`),
        ];
      }
      return backupSuccess({ intervalMs: options.intervalMs, verb });
    },
  };
}

/** What SQL Server answers to BACKUP LOG of a database in SIMPLE recovery. */
export const LOG_BACKUP_IN_SIMPLE: TdsStep[] = [
  sqlError(4208, 'The statement BACKUP LOG is not allowed while the recovery model is SIMPLE. Use BACKUP DATABASE or change the recovery model using ALTER DATABASE.'),
  sqlError(3013, 'BACKUP LOG is terminating abnormally.'),
];

export interface FileListFixture {
  LogicalName: string;
  PhysicalName: string;
  Type: 'D' | 'L' | 'S' | 'F';
  FileGroupName: string | null;
  Size: number;
}

/** The orders database's files: one data file, one log file. */
export const ORDERS_FILE_LIST: readonly FileListFixture[] = [
  { LogicalName: 'orders', PhysicalName: 'D:\\MSSQL\\Data\\orders.mdf', Type: 'D', FileGroupName: 'PRIMARY', Size: 8388608 },
  { LogicalName: 'orders_log', PhysicalName: 'L:\\MSSQL\\Log\\orders_log.ldf', Type: 'L', FileGroupName: null, Size: 8388608 },
];

/** RESTORE FILELISTONLY: the columns Lifeboat reads, in the documented order and types. */
export function fileListRule(files: readonly FileListFixture[]): TdsRule {
  return {
    name: 'RESTORE FILELISTONLY',
    match: /^RESTORE FILELISTONLY /,
    respond: [
      resultSet(
        { LogicalName: 'nvarchar(128)', PhysicalName: 'nvarchar(260)', Type: 'char(1)', FileGroupName: 'nvarchar(128)', Size: 'numeric(20,0)', MaxSize: 'numeric(20,0)', FileId: 'bigint' },
        files.map((f, i) => [f.LogicalName, f.PhysicalName, f.Type, f.FileGroupName, f.Size, 35184372080640, i + 1]),
      ),
    ],
  };
}

/** RESTORE DATABASE/LOG with STATS progress and the summary; `onRestore` sees each statement (e.g. to mark
 * the database ONLINE after WITH RECOVERY). */
export function restoreRule(options: { intervalMs?: number; onRestore?: (sql: string) => void } = {}): TdsRule {
  return {
    name: 'RESTORE',
    match: /^RESTORE (DATABASE|LOG) /,
    respond: (sql) => {
      options.onRestore?.(sql);
      const verb = sql.startsWith('RESTORE LOG') ? 'LOG' : 'DATABASE';
      return [
        ...statsProgress({ every: 25, intervalMs: options.intervalMs }),
        info(`RESTORE ${verb} successfully processed 362 pages in 0.040 seconds (70.703 MB/sec).`, { number: 3014, class: 0 }),
      ];
    },
  };
}
