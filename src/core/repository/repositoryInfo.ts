// lifeboat-repo.json, the description at a repository's root: format, creation, and the fingerprint of
// its key (never the key). Read on every archive_command and restore_command, so in zod's "mini" form.
import * as z from 'zod/mini';
import { LifeboatError } from '../lifeboatError';
import type { RepositoryStore } from './store/repositoryStore';

export const REPOSITORY_FORMAT = 1;
export const REPOSITORY_FILE = 'lifeboat-repo.json';

export const repositoryInfoSchema = z.object({
  format: z.literal(REPOSITORY_FORMAT),
  createdAt: z.string(),
  createdBy: z.string(),
  encryption: z.nullable(z.object({ alg: z.string(), keyFingerprint: z.string() })),
});
export type RepositoryInfo = z.infer<typeof repositoryInfoSchema>;

/** The description of the repository in store. */
export async function readRepositoryInfo(store: RepositoryStore, options: { blocking?: boolean } = {}): Promise<RepositoryInfo> {
  let text: string;
  try {
    text = (await store.getBytes(REPOSITORY_FILE, options)).toString('utf8');
  } catch (err) {
    // Unreachable, refused or unauthenticated stores say so themselves; only a missing description (or a
    // missing folder or bucket) means "not a repository".
    if ((err as LifeboatError).code !== 'NOT_FOUND') throw err;
    throw new LifeboatError('NOT_FOUND', `${store.name} is not a Lifeboat repository (no ${REPOSITORY_FILE}).`, 'Create one with "lifeboat repo init <path>", or check that the share is mounted.', { cause: err });
  }
  let parsed: ReturnType<typeof repositoryInfoSchema.safeParse> | undefined;
  try {
    parsed = repositoryInfoSchema.safeParse(JSON.parse(text));
  } catch {
    // Not JSON: reported like any other description this version cannot read.
  }
  if (!parsed?.success)
    throw new LifeboatError('CONFIG_INVALID', `${REPOSITORY_FILE} in ${store.name} is not a repository description this Lifeboat understands.`, 'It may come from a newer Lifeboat; upgrade.');
  return parsed.data;
}
