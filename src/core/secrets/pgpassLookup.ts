// Finds a password in a PostgreSQL passfile (hostname:port:database:username:password, "*" wildcards,
// "\:" and "\\" escapes), the same first-match rule libpq uses.
import { readFile, stat } from 'node:fs/promises';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import { LifeboatError } from '../lifeboatError';

export interface PgpassKey {
  host: string;
  port: number;
  database: string;
  user: string;
}

export function defaultPassfilePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PGPASSFILE) return env.PGPASSFILE;
  return platform() === 'win32'
    ? join(env.APPDATA || homedir(), 'postgresql', 'pgpass.conf')
    : join(env.HOME || homedir(), '.pgpass');
}

export function findInPgpass(text: string, key: PgpassKey): string | undefined {
  for (const raw of text.split(/\r?\n/)) {
    if (!raw || raw.startsWith('#')) continue;
    const fields = splitPgpassLine(raw);
    if (fields.length < 5) continue;
    const [host, port, database, user, password] = fields as [string, string, string, string, string];
    const matches = (pattern: string, value: string) => pattern === '*' || pattern === value;
    if (matches(host, key.host) && matches(port, String(key.port)) && matches(database, key.database) && matches(user, key.user))
      return password;
  }
  return undefined;
}

function splitPgpassLine(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) current += line[++i];
    else if (ch === ':' && fields.length < 4) {
      fields.push(current);
      current = '';
    } else current += ch;
  }
  fields.push(current);
  return fields;
}

export async function lookupPgpass(path: string, key: PgpassKey): Promise<string | undefined> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new LifeboatError('CONFIG_INVALID', `The passfile ${path} does not exist.`, 'Create it with lines host:port:database:user:password and chmod 0600, or choose another password source.');
  }
  // libpq ignores a passfile others can read; so do we, with a clearer message.
  if (platform() !== 'win32' && (info.mode & 0o077) !== 0)
    throw new LifeboatError('CONFIG_INVALID', `The passfile ${path} is readable by other users.`, `Run chmod 0600 ${path}; PostgreSQL ignores it otherwise.`);
  return findInPgpass(await readFile(path, 'utf8'), key);
}
