// The WAL file names in `pgbackrest repo-ls archive/<stanza>/<archive id> --recurse --output=json`: pgBackRest
// stores a segment as <name>-<sha1>[.<compression>] and a timeline history as <tli>.history; the listing is
// pgBackRest's own JSON, so no repository file is read. Pure.

export function walNamesInListing(json: string): string[] {
  const listing = JSON.parse(json) as Record<string, { type: string }>;
  const names: string[] = [];
  for (const [path, entry] of Object.entries(listing)) {
    if (entry.type !== 'file') continue;
    const base = path.split('/').pop()!;
    const segment = /^([0-9A-F]{24})-[0-9a-f]{40}(\.[a-z0-9]+)?$/.exec(base);
    if (segment) names.push(segment[1]!);
    else if (/^[0-9A-F]{8}\.history$/.test(base)) names.push(base);
  }
  return names;
}
