// What archive_command and restore_command need from the fleet file: that the service exists and is a
// PostgreSQL service, and the repository its WAL goes to (its policy's, else the fleet's default). Read
// through a schema of only those fields, in zod's "mini" form, because these commands run once per WAL
// segment and the full fleet schema costs more to load than moving a segment. A mistake elsewhere in the
// file (another service's policy) does not stop archiving; `lifeboat services list` reports it.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import * as z from 'zod/mini';
import { LifeboatError } from '../lifeboatError';
import { FLEET_FORMAT_VERSION } from './fleetFormat';
import { noRepository, noSuchService, notPostgres } from './fleetLookupErrors';

const archiveViewSchema = z.object({
  version: z.literal(FLEET_FORMAT_VERSION),
  repository: z.optional(z.string()),
  services: z._default(
    z.array(z.object({ id: z.string(), engine: z.string(), policy: z.optional(z.object({ repository: z.optional(z.string()) })) })),
    [],
  ),
});

/** The repository of a PostgreSQL service, as the fleet file at configPath says. */
export async function serviceRepositoryPath(configPath: string, serviceId: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw noSuchService(serviceId);
    throw new LifeboatError('CONFIG_INVALID', `Cannot read the fleet file ${configPath}: ${(err as Error).message}`, 'Check that the file exists and is readable by this account, or pass another one with --config.');
  }
  let parsed: ReturnType<typeof archiveViewSchema.safeParse> | undefined;
  try {
    parsed = archiveViewSchema.safeParse(parse(text) ?? { version: FLEET_FORMAT_VERSION });
  } catch {
    // A YAML syntax error: reported below, with where to see its line.
  }
  if (!parsed?.success)
    throw new LifeboatError('CONFIG_INVALID', `The fleet file ${configPath} cannot be read as a Lifeboat fleet.`, `Run "lifeboat services list --config ${configPath}" to see the line and field.`);
  const service = parsed.data.services.find((s) => s.id === serviceId);
  if (!service) throw noSuchService(serviceId);
  if (service.engine !== 'postgres') throw notPostgres(serviceId);
  const repository = service.policy?.repository ?? parsed.data.repository;
  if (!repository) throw noRepository();
  return repository;
}
