// How a compliance level reads: a tone for the badge and a word, so the status never rests on colour alone;
// and its rank, for sorting.
import type { ComplianceLevel } from '../../../../shared/monitoring';
import type { StatusTone } from '../../components/StatusBadge';

export const LEVEL_TONE: Record<ComplianceLevel, StatusTone> = { ok: 'ok', warning: 'warn', breach: 'error', unknown: 'untested' };
export const LEVEL_WORD: Record<ComplianceLevel, string> = { ok: 'OK', warning: 'Attention', breach: 'Breach', unknown: 'Unknown' };
/** For sorting, worst first when descending: breach, warning, unknown, ok (an unknown may hide a breach). */
export const LEVEL_RANK: Record<ComplianceLevel, number> = { ok: 0, unknown: 1, warning: 2, breach: 3 };

export function percentText(rate: number | null): string {
  return rate === null ? 'no runs' : `${Math.round(rate * 1000) / 10} %`;
}
