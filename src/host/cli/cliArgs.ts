// Arguments of commands that take no options of their own: a mistyped option or a stray second argument
// is refused with the usage, never silently ignored (`lifeboat backups orders --kind x` must not list).
import { resolve } from 'node:path';
import { LifeboatError } from '../../core/lifeboatError';

/** A required argument: missing → INVALID_INPUT with the usage. */
export function need(value: string | undefined, what: string, usage: string): string {
  if (!value) throw new LifeboatError('INVALID_INPUT', `Missing ${what}.`, `Usage:\n${usage}`);
  return value;
}

/** The one argument of a command that takes exactly one and no options. */
export function onlyArgument(args: string[], what: string, usage: string): string {
  const option = args.find((a) => a.startsWith('-'));
  if (option) throw new LifeboatError('INVALID_INPUT', `Unknown option ${option}.`, `Usage:\n${usage}`);
  if (args.length > 1) throw new LifeboatError('INVALID_INPUT', `Unexpected argument ${args[1]}: give only ${what}.`, `Usage:\n${usage}`);
  return need(args[0], what, usage);
}

/** pg_basebackup's spelling: --tablespace-mapping OLD=NEW, once per tablespace. */
export function tablespaceMappingFrom(pairs: string[] | undefined): Record<string, string> | undefined {
  if (!pairs?.length) return undefined;
  const mapping: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new LifeboatError('INVALID_INPUT', `--tablespace-mapping takes OLD=NEW, not "${pair}".`, 'Example: --tablespace-mapping /srv/fast=/srv/fast-restored');
    mapping[resolve(pair.slice(0, at))] = resolve(pair.slice(at + 1));
  }
  return mapping;
}
