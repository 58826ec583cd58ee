// Reads `pgbackrest info --output=json` (pgBackRest's stable shape for scripts) into Lifeboat's words: the
// stanza's state, its backups with their LSNs, times, sizes and references, and the archive's range per
// database. Pure: the caller runs the command.
import { z } from 'zod';
import { LifeboatError } from '../../lifeboatError';
import type { EngineBackup } from '../existingEngine';

const backupSchema = z.object({
  label: z.string(),
  type: z.enum(['full', 'diff', 'incr']),
  prior: z.string().nullable().optional(),
  reference: z.array(z.string()).nullable().optional(),
  error: z.boolean().optional(),
  archive: z.object({ start: z.string().nullable(), stop: z.string().nullable() }),
  lsn: z.object({ start: z.string(), stop: z.string() }).optional(),
  timestamp: z.object({ start: z.number(), stop: z.number() }),
  info: z.object({ size: z.number(), delta: z.number().optional(), repository: z.object({ size: z.number().optional(), delta: z.number().optional() }).optional() }),
  database: z.object({ id: z.number(), 'repo-key': z.number().optional() }),
});

const stanzaSchema = z.object({
  name: z.string(),
  status: z.object({ code: z.number(), message: z.string() }),
  cipher: z.string().optional(),
  backup: z.array(backupSchema),
  archive: z.array(z.object({ id: z.string(), min: z.string().nullable(), max: z.string().nullable(), database: z.object({ id: z.number(), 'repo-key': z.number().optional() }) })),
  db: z.array(z.object({ id: z.number(), version: z.string(), 'system-id': z.number().optional(), 'repo-key': z.number().optional() })),
  repo: z.array(z.object({ key: z.number(), cipher: z.string().optional(), status: z.object({ code: z.number(), message: z.string() }) })).optional(),
});
export type PgBackRestStanzaInfo = z.infer<typeof stanzaSchema>;

export const pgBackRestInfoSchema = z.array(stanzaSchema);

/** The stanzas `pgbackrest info` lists (the wizard's detection): name, state and the number of backups. */
export function stanzasOf(json: string): Array<{ name: string; status: string; backups: number }> {
  return parse(json).map((s) => ({ name: s.name, status: s.status.message, backups: s.backup.length }));
}

function parse(json: string): PgBackRestStanzaInfo[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new LifeboatError('INTERNAL', 'pgbackrest info did not answer JSON.', 'Run "pgbackrest info --output=json" by hand; Lifeboat reads pgBackRest 2.x.');
  }
  const parsed = pgBackRestInfoSchema.safeParse(raw);
  if (!parsed.success) throw new LifeboatError('INTERNAL', `pgbackrest info answered a shape Lifeboat does not know: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`, 'Lifeboat reads the JSON of pgBackRest 2.x; check "pgbackrest version".');
  return parsed.data;
}

/** The one stanza asked for; missing or not usable is NOT_FOUND in pgBackRest's own words. */
export function stanzaInfo(json: string, stanza: string): PgBackRestStanzaInfo {
  const found = parse(json).find((s) => s.name === stanza);
  if (!found) throw new LifeboatError('NOT_FOUND', `pgBackRest knows no stanza "${stanza}".`, 'List the stanzas with "pgbackrest info", or create it with "pgbackrest --stanza=<name> stanza-create".');
  // 1: missing stanza path, 2: no valid backups (still fine: the archive may be there), 3: missing stanza data.
  if (found.status.code === 1 || found.status.code === 3)
    // pgBackRest answers so for a name it has no folder for (often a typo): its check would fail the same way.
    throw new LifeboatError('NOT_FOUND', `pgBackRest: stanza ${stanza}: ${found.status.message}.`, `Check the stanza's name against "pgbackrest info" (the stanzas this config knows) and its repository; a new stanza is made with "pgbackrest --stanza=${stanza} stanza-create".`);
  return found;
}

/** A timeline from a WAL file name (its first 8 hex digits). */
const timelineOf = (walName: string | null) => (walName ? parseInt(walName.slice(0, 8), 16) : 1);

/** pgBackRest keeps whole seconds: the copy is consistent by the second after the one it records. */
const secondsToIso = (s: number) => new Date(s * 1000).toISOString();

export function backupsOf(info: PgBackRestStanzaInfo): EngineBackup[] {
  const versions = new Map(info.db.map((d) => [d.id, d.version]));
  return info.backup
    .filter((b) => b.lsn)
    .map((b) => ({
      label: b.label,
      type: b.type,
      startedAt: secondsToIso(b.timestamp.start),
      finishedAt: secondsToIso(b.timestamp.stop),
      consistentAt: secondsToIso(b.timestamp.stop + 1),
      startLsn: b.lsn!.start.toUpperCase(),
      stopLsn: b.lsn!.stop.toUpperCase(),
      timeline: timelineOf(b.archive.stop ?? b.archive.start),
      sizeBytes: b.info.size,
      storedBytes: b.info.repository?.delta ?? b.info.repository?.size ?? 0,
      references: b.reference ?? (b.prior ? [b.prior] : []),
      serverVersion: versions.get(b.database.id) ?? '',
      problem: b.error ? 'pgBackRest found errors in this backup (page checksums); run pgbackrest verify' : undefined,
    }))
    .sort((a, b) => a.finishedAt.localeCompare(b.finishedAt) || a.label.localeCompare(b.label));
}

/** The archive ids (e.g. "15-1") of the stanza's current database, where `repo-ls` finds its WAL. */
export function archiveIdsOf(info: PgBackRestStanzaInfo): string[] {
  return info.archive.filter((a) => a.min).map((a) => a.id);
}

/** What pgBackRest's info says is wrong, in its words: the stanza's status and each repository's, when not ok
 * (e.g. "no valid backups", "missing stanza path", "error (other)"). */
export function stanzaProblems(i: PgBackRestStanzaInfo, repoKey?: number): string[] {
  const problems = i.status.code === 0 ? [] : [`pgBackRest reports stanza ${i.name}: ${i.status.message}`];
  for (const r of i.repo ?? []) if ((repoKey === undefined || r.key === repoKey) && r.status.code !== 0) problems.push(`pgBackRest reports repo${r.key}: ${r.status.message}`);
  return problems;
}
