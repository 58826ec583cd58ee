// Reading who ran a statement from PostgreSQL's own log: a line's prefix is parsed with the server's
// log_line_prefix (%u the role, %d the database, %m/%t the time, %x the transaction), its message with what
// log_statement and pgaudit write, and a finding is matched to the last such statement on its table, of its
// kind, logged before its commit. Pure.

export interface LoggedStatement {
  /** Milliseconds since 1970, UTC. */
  at?: number;
  role?: string;
  database?: string;
  xid?: number;
  sql: string;
  line: string;
}

const PREFIX_PARTS: Record<string, string> = {
  a: '(?:.*?)',
  u: '(?<u>.*?)',
  d: '(?<d>.*?)',
  r: '(?:.*?)',
  h: '(?:.*?)',
  b: '(?:.*?)',
  p: '(?:\\d+)',
  P: '(?:\\d*)',
  t: '(?<t>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?: [^\\s]+)?)',
  m: '(?<m>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+(?: [^\\s]+)?)',
  n: '(?<n>\\d+\\.\\d+)',
  i: '(?:.*?)',
  e: '(?:[0-9A-Z]{5})',
  c: '(?:[0-9a-f]+\\.[0-9a-f]+)',
  l: '(?:\\d+)',
  s: '(?:\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?: [^\\s]+)?)',
  v: '(?:[\\d/]*)',
  x: '(?<x>\\d+)',
  Q: '(?:-?\\d+)',
  q: '',
};

/** A regular expression for a line written with this log_line_prefix, up to and including its message. */
export function prefixPattern(logLinePrefix: string): RegExp {
  let source = '^';
  for (let i = 0; i < logLinePrefix.length; i++) {
    const ch = logLinePrefix[i]!;
    if (ch !== '%') {
      source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    // %-10u and %10u pad their value: spaces may come before or after it.
    const pad = /^-?\d+/.exec(logLinePrefix.slice(i + 1));
    if (pad) i += pad[0].length;
    const code = logLinePrefix[++i];
    if (code === '%') source += '%';
    else if (code !== undefined) source += `\\s*${PREFIX_PARTS[code] ?? '(?:.*?)'}\\s*`;
  }
  return new RegExp(`${source}(?<level>[A-Z0-9]+):\\s+(?<msg>.*)$`);
}

/**
 * Milliseconds since 1970 of a log time such as "2026-11-25 14:03:00.123 UTC", "... +01" or "... CET"; a
 * zone name other than UTC/GMT is read with the offset the server's log_timezone has now (offsetMinutes).
 */
export function logTimeToMs(text: string, offsetMinutes: number): number | undefined {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)(?: (\S+))?$/.exec(text);
  if (!m) return undefined;
  const zone = m[3];
  let offset = offsetMinutes;
  if (zone === 'UTC' || zone === 'GMT' || zone === 'Z') offset = 0;
  else if (zone && /^[+-]\d\d(:?\d\d)?$/.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.replace(':', '').slice(3, 5) || 0));
  }
  const ms = Date.parse(`${m[1]}T${m[2]}Z`);
  return Number.isNaN(ms) ? undefined : ms - offset * 60_000;
}

/** The SQL of a statement line: log_statement's "statement: ", the extended protocol's "execute <name>: ", pgaudit's AUDIT. */
export function statementOf(message: string): string | undefined {
  let m = /(?:^|\s)statement: (.*)$/s.exec(message);
  if (m) return m[1];
  m = /^execute [^:]*: (.*)$/s.exec(message);
  if (m) return m[1];
  // AUDIT: SESSION,1,1,DDL,DROP TABLE,TABLE,public.orders,drop table orders,<not logged>
  if (message.startsWith('AUDIT: ')) return message.slice(7);
  return undefined;
}

/** A stderr-format log line, when it carries a statement. */
export function readStderrLine(line: string, pattern: RegExp, offsetMinutes: number): LoggedStatement | undefined {
  const m = pattern.exec(line);
  if (!m?.groups) return undefined;
  const sql = statementOf(m.groups.msg!);
  if (sql === undefined) return undefined;
  const g = m.groups;
  const at = g.m ? logTimeToMs(g.m, offsetMinutes) : g.t ? logTimeToMs(g.t, offsetMinutes) : g.n ? Number(g.n) * 1000 : undefined;
  return { at, role: g.u || undefined, database: g.d || undefined, xid: g.x ? Number(g.x) : undefined, sql, line };
}

/** A jsonlog line (PostgreSQL 15 on): the fields are named. */
export function readJsonLine(line: string, offsetMinutes: number): LoggedStatement | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const j = JSON.parse(line) as { timestamp?: string; user?: string; dbname?: string; txid?: number; message?: string };
    const sql = j.message === undefined ? undefined : statementOf(j.message);
    if (sql === undefined) return undefined;
    return { at: j.timestamp ? logTimeToMs(j.timestamp, offsetMinutes) : undefined, role: j.user, database: j.dbname, xid: j.txid || undefined, sql, line };
  } catch {
    return undefined;
  }
}

const ACTION_WORDS: Record<string, RegExp> = {
  drop: /\bdrop\s+(table|schema|owned)\b/,
  truncate: /\btruncate\b/,
  delete: /\bdelete\s+from\b/,
  update: /\bupdate\b/,
};

/** Whether a statement could be the one that did `action` to `table` (schema.table). */
export function statementFits(sql: string, action: string, table: string): boolean {
  const text = sql.toLowerCase().replace(/\s+/g, ' ');
  if (!ACTION_WORDS[action]?.test(text)) return false;
  const [schema, name] = table.includes('.') ? [table.slice(0, table.indexOf('.')), table.slice(table.indexOf('.') + 1)] : ['', table];
  const word = (w: string) => new RegExp(`(^|[\\s."(,])"?${w.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?($|[\\s";,)])`).test(text);
  // DROP SCHEMA ... CASCADE names the schema, not the table.
  return word(name) || (action === 'drop' && /\bdrop\s+(schema|owned)\b/.test(text) && schema !== '' && word(schema));
}

/**
 * The statement behind a finding: the same transaction when the prefix logs %x, else the last statement that
 * fits, in its database, logged no later than a second after the commit (log lines carry milliseconds).
 */
export function matchStatement(statements: LoggedStatement[], f: { xid: number; commitMs: number; database: string; action: string; table: string }): LoggedStatement | undefined {
  let best: LoggedStatement | undefined;
  for (const s of statements) {
    if (s.database && s.database !== f.database) continue;
    if (!statementFits(s.sql, f.action, f.table)) continue;
    if (s.xid && s.xid === f.xid) return s;
    if (s.at === undefined || s.at > f.commitMs + 1000 || s.at < f.commitMs - 24 * 3600_000) continue;
    if (!best || (best.at ?? 0) <= s.at) best = s;
  }
  return best;
}
