// Recognises what a DBA pasted: a PostgreSQL URI or a SQL Server connection string.
import type { Connection, EngineKind } from '../../shared/domain';
import { parsePostgresUri } from './postgresUri';
import { parseSqlServerConnectionString } from './sqlServerConnectionString';

export interface ParsedConnectionText {
  engine: EngineKind;
  connection: Connection;
  password?: string;
  suggestedId?: string;
}

export function parseConnectionText(text: string): ParsedConnectionText {
  const trimmed = text.trim();
  const parsed = /^postgres(ql)?:\/\//i.test(trimmed)
    ? { engine: 'postgres' as const, ...parsePostgresUri(trimmed) }
    : { engine: 'sqlserver' as const, ...parseSqlServerConnectionString(trimmed) };
  return { ...parsed, suggestedId: suggestId(parsed.connection.database) };
}

/** A service id from a database name: lower case, safe characters only. */
export function suggestId(database: string): string | undefined {
  const id = database.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[-_]+|[-_]+$/g, '').slice(0, 63);
  return id || undefined;
}
