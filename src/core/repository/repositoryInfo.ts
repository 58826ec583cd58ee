// lifeboat-repo.json, the description at a repository's root: format, creation, and the fingerprint of
// its key (never the key). Read on every archive_command and restore_command, so in zod's "mini" form.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as z from 'zod/mini';
import { LifeboatError } from '../lifeboatError';

export const REPOSITORY_FORMAT = 1;
export const REPOSITORY_FILE = 'lifeboat-repo.json';

export const repositoryInfoSchema = z.object({
  format: z.literal(REPOSITORY_FORMAT),
  createdAt: z.string(),
  createdBy: z.string(),
  encryption: z.nullable(z.object({ alg: z.string(), keyFingerprint: z.string() })),
});
export type RepositoryInfo = z.infer<typeof repositoryInfoSchema>;

/** The repository at path: its absolute root and description. */
export async function readRepositoryInfo(path: string): Promise<{ root: string; info: RepositoryInfo }> {
  const root = resolve(path);
  let text: string;
  try {
    text = await readFile(join(root, REPOSITORY_FILE), 'utf8');
  } catch {
    throw new LifeboatError('NOT_FOUND', `${root} is not a Lifeboat repository (no ${REPOSITORY_FILE}).`, 'Create one with "lifeboat repo init <path>", or check that the share is mounted.');
  }
  let parsed: ReturnType<typeof repositoryInfoSchema.safeParse> | undefined;
  try {
    parsed = repositoryInfoSchema.safeParse(JSON.parse(text));
  } catch {
    // Not JSON: reported like any other description this version cannot read.
  }
  if (!parsed?.success)
    throw new LifeboatError('CONFIG_INVALID', `${join(root, REPOSITORY_FILE)} is not a repository description this Lifeboat understands.`, 'It may come from a newer Lifeboat; upgrade.');
  return { root, info: parsed.data };
}
