// Who ran each finding's statement, from the server's log read over SQL (pg_ls_logdir, pg_read_binary_file:
// superuser, or pg_monitor and pg_read_server_files): WAL does not record roles, but log_statement = 'ddl' or
// 'mod' and pgaudit write the statement with the prefix's %u. Where nothing is readable or nothing matches,
// the finding says why the role is unknown.
import type pg from 'pg';
import type { MomentFinding } from '../../shared/findMoment';
import type { Service } from '../../shared/domain';
import { withPgClient } from '../engines/postgres/pgClient';
import { toWireError } from '../lifeboatError';
import { matchStatement, prefixPattern, readJsonLine, readStderrLine, type LoggedStatement } from './serverLogLines';

/** Log files are read in pieces of this size, and no more than this much in all. */
const PIECE = 8 << 20;
const MOST = 512 << 20;

interface LogSettings {
  prefix: string;
  logStatement: string;
  offsetMinutes: number;
}

async function readStatements(c: pg.Client, since: number, settings: LogSettings, notes: string[]): Promise<LoggedStatement[]> {
  const dir = (await c.query("select current_setting('log_directory') as d")).rows[0].d as string;
  const files = (await c.query('select name, size::int8 as size, modification from pg_ls_logdir() order by modification')).rows as Array<{ name: string; size: string; modification: Date }>;
  const pattern = prefixPattern(settings.prefix);
  const statements: LoggedStatement[] = [];
  let budget = MOST;
  for (const f of files.filter((x) => x.modification.getTime() >= since)) {
    if (f.name.endsWith('.csv')) {
      notes.push(`Server log ${f.name} is in csvlog format, which Lifeboat does not read (stderr and jsonlog are).`);
      continue;
    }
    const json = f.name.endsWith('.json');
    const size = Number(f.size);
    let carry = '';
    for (let offset = 0; offset < size && budget > 0; offset += PIECE) {
      const length = Math.min(PIECE, size - offset, budget);
      budget -= length;
      const bytes = (await c.query('select pg_read_binary_file($1, $2, $3, true) as b', [`${dir}/${f.name}`, offset, length])).rows[0].b as Buffer | null;
      if (!bytes) break;
      const lines = (carry + bytes.toString('utf8')).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        const s = json ? readJsonLine(line, settings.offsetMinutes) : readStderrLine(line, pattern, settings.offsetMinutes);
        if (s) statements.push({ ...s, line: `${f.name}: ${line.slice(0, 500)}` });
      }
    }
    if (budget <= 0) {
      notes.push(`The server log was read up to ${MOST >> 20} MiB; older lines were not read.`);
      break;
    }
  }
  return statements;
}

/** Fills each finding's role from the server log, or says why it stays unknown. */
export async function attachRoles(service: Service, password: string | undefined, findings: MomentFinding[], notes: string[]): Promise<void> {
  if (!findings.length) return;
  const earliest = Math.min(...findings.map((f) => Date.parse(f.commitTime)));
  const unknown = (why: string) => {
    for (const f of findings) f.role = { source: `unknown: ${why}` };
  };
  await withPgClient(service.connection, password, async (c) => {
    const s = (
      await c.query(`select current_setting('log_line_prefix') as prefix, current_setting('log_statement') as log_statement, current_setting('logging_collector') as collector,
                            extract(epoch from (now() at time zone current_setting('log_timezone')) - (now() at time zone 'UTC'))::int / 60 as offset_minutes`)
    ).rows[0] as { prefix: string; log_statement: string; collector: string; offset_minutes: number };
    // Without the logging collector the server's log goes wherever its stderr goes: not a file SQL can read.
    if (s.collector !== 'on') return unknown("the server's log is not kept in files it can read back (logging_collector = off); WAL does not record who ran a statement");
    const settings: LogSettings = { prefix: s.prefix, logStatement: s.log_statement, offsetMinutes: Number(s.offset_minutes) };
    let statements: LoggedStatement[];
    try {
      statements = await readStatements(c, earliest - 3600_000, settings, notes);
    } catch (err) {
      return unknown(`the server log is not readable by ${service.connection.user} (${toWireError(err).message}); WAL does not record who ran a statement`);
    }
    const hasRole = /%-?\d*u/.test(settings.prefix);
    for (const f of findings) {
      const named = f.relations.find((r) => r.name);
      const match = named && matchStatement(statements, { xid: Number(f.xid), commitMs: Date.parse(f.commitTime), database: f.database, action: named.action, table: named.name! });
      if (match?.role) f.role = { name: match.role, source: `the server log: the last ${named!.action.toUpperCase()} statement on ${named!.name} before the commit${match.xid ? ' (same transaction id)' : ''}`, line: match.line };
      else if (match) f.role = { source: `unknown: the server log has the statement, but log_line_prefix ('${settings.prefix}') has no %u`, line: match.line };
      else
        f.role = {
          source: `unknown: no statement in the server log matches it (log_statement = '${settings.logStatement}'${settings.logStatement === 'none' ? "; 'ddl' logs DROP and TRUNCATE, 'mod' also DELETE and UPDATE" : ''})`,
        };
      if (!hasRole && !match) f.role.source += '; log_line_prefix has no %u either';
    }
  }).catch((err: unknown) => unknown(`the server could not be asked for its log (${toWireError(err).message})`));
}
