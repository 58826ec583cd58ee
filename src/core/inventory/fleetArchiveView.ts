// What archive_command and restore_command need from the fleet file: which services are PostgreSQL services,
// and the repository each one's WAL goes to (its policy's, else the fleet's default). Read through a schema
// of only those fields, in zod's "mini" form: a mistake elsewhere in the file (another service's schedule)
// does not stop archiving, and `lifeboat services list` reports it. Loaded only when the fleet file changed
// since the archive doors last read it (archiveViewCache.ts).
import { parse } from 'yaml';
import * as z from 'zod/mini';
import { LifeboatError } from '../lifeboatError';
import { FLEET_FORMAT_VERSION } from './fleetFormat';

const archiveViewSchema = z.object({
  version: z.literal(FLEET_FORMAT_VERSION),
  repository: z.optional(z.string()),
  services: z._default(
    z.array(z.object({ id: z.string(), engine: z.string(), policy: z.optional(z.object({ repository: z.optional(z.string()) })) })),
    [],
  ),
});

export interface ArchiveView {
  /** Per service id: its engine and the repository its WAL goes to, if the file names one. */
  services: Record<string, { engine: string; repository?: string }>;
}

export function parseArchiveView(configPath: string, text: string): ArchiveView {
  let parsed: ReturnType<typeof archiveViewSchema.safeParse> | undefined;
  try {
    parsed = archiveViewSchema.safeParse(parse(text) ?? { version: FLEET_FORMAT_VERSION });
  } catch {
    // A YAML syntax error: reported below, with where to see its line.
  }
  if (!parsed?.success)
    throw new LifeboatError('CONFIG_INVALID', `The fleet file ${configPath} cannot be read as a Lifeboat fleet.`, `Run "lifeboat services list --config ${configPath}" to see the line and field.`);
  const services: ArchiveView['services'] = {};
  for (const s of parsed.data.services) services[s.id] = { engine: s.engine, repository: s.policy?.repository ?? parsed.data.repository };
  return { services };
}
