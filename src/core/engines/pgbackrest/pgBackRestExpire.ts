// Reads what `pgbackrest expire [--dry-run] --log-level-console=info` says it expires: one line per retention
// rule ("repo1: expire full backup set 20261207-024511F, 20261207-024511F_20261207-024515I"), each backup with
// the rule that removes it. Pure.

const LABEL = /\d{8}-\d{6}F(?:_\d{8}-\d{6}[DI])?/g;

export function expiredLabels(log: string): Array<{ label: string; rule: string }> {
  const out: Array<{ label: string; rule: string }> = [];
  for (const line of log.split('\n')) {
    const m = /(repo\d+): expire (full|diff|time-based|adhoc) backup (?:set )?(.*)$/.exec(line);
    if (!m) continue;
    const labels = m[3]!.match(LABEL) ?? [];
    for (const label of labels) out.push({ label, rule: `${m[1]} ${m[2]} retention${labels.length > 1 ? ` (backup set ${labels.join(', ')})` : ''}` });
  }
  return out;
}
