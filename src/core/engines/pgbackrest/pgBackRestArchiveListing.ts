// The WAL files in `pgbackrest repo-ls archive/<stanza>/<archive id> --recurse --output=json`: pgBackRest
// stores a segment as <name>-<sha1>[.<compression>] and a timeline history as <tli>.history, each with its
// stored size and modification time (when it was archived); the listing is pgBackRest's own JSON, so no
// repository file is read. Pure.

export interface ListedArchiveFile {
  /** The WAL name (segment or history); undefined for pgBackRest's other archive files (.backup labels). */
  walName?: string;
  bytes: number;
  /** ISO time pgBackRest gives the stored file (seconds since the epoch in its JSON). */
  archivedAt: string;
}

export function archiveFilesInListing(json: string): ListedArchiveFile[] {
  const listing = JSON.parse(json) as Record<string, { type: string; size?: number; time?: number }>;
  const files: ListedArchiveFile[] = [];
  for (const [path, entry] of Object.entries(listing)) {
    if (entry.type !== 'file') continue;
    const base = path.split('/').pop()!;
    const segment = /^([0-9A-F]{24})-[0-9a-f]{40}(\.[a-z0-9]+)?$/.exec(base)?.[1];
    const walName = segment ?? (/^[0-9A-F]{8}\.history$/.test(base) ? base : undefined);
    files.push({ walName, bytes: entry.size ?? 0, archivedAt: new Date((entry.time ?? 0) * 1000).toISOString() });
  }
  return files;
}

export function walNamesInListing(json: string): string[] {
  return archiveFilesInListing(json).flatMap((f) => (f.walName ? [f.walName] : []));
}
