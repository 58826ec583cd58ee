// Reads `pgbackrest verify --output=text --verbose`: the stanza's status, each archive id's WAL counts and each
// backup's status with pgBackRest's counts of missing and invalid files, into Lifeboat's verification. Pure.

export interface VerifyOutcome {
  ok: boolean;
  /** pgBackRest's own lines about the backup asked for and the archive. */
  detail: string;
  /** Every backup the run found valid. */
  verified: string[];
}

export function readVerifyReport(text: string, label: string): VerifyOutcome {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const stanzaOk = lines.some((l) => l === 'status: ok');
  const backups = new Map<string, { status: string; counts?: string }>();
  const archives: string[] = [];
  lines.forEach((l, i) => {
    const b = /^backup: (\S+), status: ([^,]+)(.*)$/.exec(l);
    if (b) backups.set(b[1]!, { status: b[2]!, counts: /missing: \d+/.test(lines[i + 1] ?? '') ? lines[i + 1] : undefined });
    const a = /^archiveId: (\S+), (.*)$/.exec(l);
    if (a) archives.push(`archive ${a[1]}: ${a[2]}${/missing: \d+/.test(lines[i + 1] ?? '') ? ` (${lines[i + 1]})` : ''}`);
  });
  const mine = backups.get(label);
  const verified = [...backups].filter(([, v]) => v.status === 'valid').map(([k]) => k);
  const errors = lines.filter((l) => /ERROR|invalid|missing: [1-9]/.test(l));
  const detail = [
    mine ? `pgBackRest verify: backup ${label} ${mine.status}${mine.counts ? ` (${mine.counts})` : ''}` : `pgBackRest verify did not list backup ${label}`,
    ...archives,
    ...(stanzaOk ? [] : errors.slice(0, 3)),
  ].join('; ');
  return { ok: stanzaOk && mine?.status === 'valid', detail, verified };
}
