// A SQL Server runbook's "Last verified" line from the recorded verifications: the newest one that passed,
// which sets it proved, and a failure since then, which a DBA must see beside it.
import type { SqlVerificationRecord } from '../../shared/sqlServerViews';
import { formatTime } from '../formatFacts';

const WORD = { D: 'FULL', I: 'DIFF', L: 'LOG' } as const;

export function sqlVerificationFact(records: readonly SqlVerificationRecord[]): { id: string; at: string; detail: string } | null {
  const newestFirst = [...records].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt));
  const passed = newestFirst.find((r) => r.ok);
  const failed = newestFirst.find((r) => !r.ok && (!passed || r.finishedAt > passed.finishedAt));
  const failure = failed && `FAILED at ${formatTime(failed.finishedAt)}: ${failed.error?.message ?? 'see the job'}`;
  if (!passed) return failed ? { id: failed.sets[0]?.backupSetId ?? failed.jobId, at: failed.finishedAt, detail: `${failure}; no verification has passed yet` } : null;
  const sets = passed.sets.map((s) => `${WORD[s.type]} ${s.backupSetId}`).join(', ');
  const proved = `RESTORE VERIFYONLY WITH CHECKSUM passed for ${passed.sets.length} backup set${passed.sets.length === 1 ? '' : 's'} of ${passed.database} (${sets})`;
  return { id: passed.sets[0]?.backupSetId ?? passed.jobId, at: passed.finishedAt, detail: failure ? `${proved}; a later verification ${failure}` : proved };
}
