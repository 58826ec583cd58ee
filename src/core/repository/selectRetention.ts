// Decides which backups a retention policy removes. Pure: the caller lists the backups and deletes.
// Rules, per kind of backup (physical and logical age separately): keep the newest N, keep everything newer
// than D days, or both (a backup either rule keeps is kept); never remove the newest verified backup; never
// touch a backup a running job is writing or reading.

export interface RetentionCandidate {
  id: string;
  kind: string;
  /** When the backup finished (ISO). */
  finishedAt: string;
  /** The last verification succeeded. */
  verified: boolean;
}

export interface RetentionPolicy {
  keep?: number;
  days?: number;
}

export interface RetentionDecision {
  keep: Array<{ id: string; reasons: string[] }>;
  remove: Array<{ id: string; reason: string }>;
}

export function selectRetention(
  backups: RetentionCandidate[],
  policy: RetentionPolicy,
  now: Date,
  busyIds: ReadonlySet<string> = new Set(),
): RetentionDecision {
  const decision: RetentionDecision = { keep: [], remove: [] };
  const hasRule = policy.keep !== undefined || policy.days !== undefined;
  const byKind = new Map<string, RetentionCandidate[]>();
  for (const b of backups) byKind.set(b.kind, [...(byKind.get(b.kind) ?? []), b]);

  for (const [kind, list] of byKind) {
    const newestFirst = [...list].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt));
    const newestVerified = newestFirst.find((b) => b.verified)?.id;
    const cutoff = policy.days !== undefined ? now.getTime() - policy.days * 86_400_000 : undefined;
    newestFirst.forEach((b, index) => {
      const reasons: string[] = [];
      if (!hasRule) reasons.push('no retention policy');
      if (policy.keep !== undefined && index < policy.keep) reasons.push(`one of the newest ${policy.keep} ${kind} backups`);
      if (cutoff !== undefined && Date.parse(b.finishedAt) >= cutoff) reasons.push(`newer than ${policy.days} days`);
      if (b.id === newestVerified) reasons.push(`the newest verified ${kind} backup`);
      if (busyIds.has(b.id)) reasons.push('in use by a running job');
      if (reasons.length) decision.keep.push({ id: b.id, reasons });
      else
        decision.remove.push({
          id: b.id,
          reason: [
            policy.keep !== undefined ? `older than the newest ${policy.keep}` : undefined,
            policy.days !== undefined ? `older than ${policy.days} days` : undefined,
          ]
            .filter(Boolean)
            .join(' and '),
        });
    });
  }
  return decision;
}
