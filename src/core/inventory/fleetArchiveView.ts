// What archive_command and restore_command need from the fleet file: which services are PostgreSQL services,
// and the repository each one's WAL goes to (its policy's, else the fleet's default). Read through a schema
// of only those fields, in zod's "mini" form: a mistake elsewhere in the file (another service's schedule)
// does not stop archiving, and `lifeboat services list` reports it. Loaded only when the fleet file changed
// since the archive doors last read it (archiveViewCache.ts).
import { parse } from 'yaml';
import * as z from 'zod/mini';
import { LifeboatError } from '../lifeboatError';
import type { StoreCredentialSource } from '../repository/store/storeCredentials';
import { FLEET_FORMAT_VERSION } from './fleetFormat';

const archiveViewSchema = z.object({
  version: z.literal(FLEET_FORMAT_VERSION),
  repository: z.optional(z.string()),
  // Checked in full by the fleet file's own schema; here only carried to the store that uses it.
  repositoryCredentials: z.optional(z.record(z.string(), z.looseObject({ kind: z.string() }))),
  services: z._default(
    z.array(z.object({ id: z.string(), engine: z.string(), policy: z.optional(z.object({ repository: z.optional(z.string()), repositories: z.optional(z.array(z.string())) })) })),
    [],
  ),
});

export interface ArchiveView {
  /** Per service id: its engine and the repository its WAL goes to, if the file names one. */
  services: Record<string, { engine: string; repository?: string; credentials?: StoreCredentialSource; copies?: { location: string; credentials?: StoreCredentialSource }[] }>;
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
  const credentials = parsed.data.repositoryCredentials ?? {};
  for (const s of parsed.data.services) {
    const sourceOf = (location: string) => (Object.hasOwn(credentials, location) ? (credentials[location] as StoreCredentialSource) : undefined);
    const [repository = s.policy?.repository ?? parsed.data.repository, ...copies] = s.policy?.repositories ?? [];
    services[s.id] = { engine: s.engine, repository, credentials: repository === undefined ? undefined : sourceOf(repository), copies: copies.map((location) => ({ location, credentials: sourceOf(location) })) };
  }
  return { services };
}
