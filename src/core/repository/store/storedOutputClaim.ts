// What a job claims as its partial output when it writes into a repository (a backup's folder), so a failed,
// cancelled or interrupted run is removed: on a folder repository the folder's local path, as every other
// claim; on an object store a claim naming the store and the prefix, which the job runner hands back to
// removeStoredOutput (at once, or at the next start when the process was killed).
import { join } from 'node:path';
import { openRepositoryStore, type StoreAccess } from './openRepositoryStore';
import { parseRepositoryLocation } from './parseRepositoryLocation';
import type { StoreFolder } from './storeFolder';

const PREFIX = 'repository:';

export function storedOutputClaim(folder: StoreFolder): string {
  const location = folder.store.location;
  if (location.kind === 'posix') return join(location.path, ...folder.prefix.split('/').filter(Boolean));
  return PREFIX + JSON.stringify({ location: folder.store.name, prefix: folder.prefix });
}

/** Removes what the claim names: every object under the prefix, and uploads to it that never completed. */
export async function removeStoredOutput(claim: string, access: (location: string) => StoreAccess): Promise<void> {
  if (!claim.startsWith(PREFIX)) return;
  const { location, prefix } = JSON.parse(claim.slice(PREFIX.length)) as { location: string; prefix: string };
  const store = await openRepositoryStore(parseRepositoryLocation(location), access(location));
  try {
    await store.deletePrefix(prefix);
    await store.cleanIncomplete(prefix, { startedBefore: new Date() });
  } finally {
    await store.close();
  }
}
