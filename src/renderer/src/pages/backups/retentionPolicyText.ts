// A service's retention policy in one sentence, as the retention panel states it before listing the dry run.
import type { RetentionPlanView } from '../../../../shared/backups';

export function describeRetentionPolicy(policy: RetentionPlanView['policy']): string {
  const { keep, days } = policy;
  if (keep === undefined && days === undefined)
    return 'No retention policy: every backup is kept. Set “Keep backups” or “Keep days” by editing the service (its Settings tab).';
  const newest = keep !== undefined ? `the newest ${keep} ${keep === 1 ? 'backup' : 'backups'} of each kind` : undefined;
  const recent = days !== undefined ? `every backup newer than ${days} ${days === 1 ? 'day' : 'days'}` : undefined;
  const rule = [newest, recent].filter(Boolean).join(' and ');
  return `Keeps ${rule}. The newest verified backup of each kind is always kept, and so is any backup a running job is reading.`;
}
